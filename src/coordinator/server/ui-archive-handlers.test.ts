import { describe, expect, it } from 'vitest';
import { runAnalysisSchema, runComparisonSchema } from '../../core/protocol/run-analysis-schema.ts';
import { sampleRow, storeWithRun } from '../../../test/support/store-fixtures.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { setLabels } from '../store/labels.ts';
import { setRunStatus } from '../store/runs.ts';
import { recordScores } from '../store/scores.ts';
import { recordSamples, recordVerdicts } from '../store/samples.ts';
import { uiArchiveHandlers } from './ui-archive-handlers.ts';

function withVerdicts(extra: (db: ReturnType<typeof storeWithRun>) => void = () => {}) {
  const db = storeWithRun();
  // base solves p1 (1 of 4), rl solves p2 (4 of 4).
  const rows = ['base', 'rl'].flatMap((m) => ['p1', 'p2'].flatMap((p) => [0, 1, 2, 3].map((i) => sampleRow(m, p, i, `${m} ${p} ${i}`))));
  recordSamples(db, rows, 1);
  recordVerdicts(db, rows.map((r) => ({ ...r, correct: (r.modelId === 'base' && r.problemId === 'p1' && r.sampleIndex === 0) || (r.modelId === 'rl' && r.problemId === 'p2'), extracted: '2', reason: 'r', verifier: 'math' as const })), 2);
  setRunStatus(db, 'r1', 'done', 3);
  extra(db);
  return uiArchiveHandlers(new Scheduler(db, () => 10));
}

const value = <T>(r: { ok: true; value: T } | { ok: false; error: string } | Promise<unknown>): T => {
  if (r instanceof Promise || !r.ok) throw new Error(JSON.stringify(r));
  return r.value;
};

describe('analysis answers for the app', () => {
  it('gives the whole analysis of a stored run, the same one passk report prints', () => {
    const h = withVerdicts();
    const analysis = value(h['run:analysis']({ runId: 'r1' })) as { stats: { models: { model: string; passAtK: Record<string, number> }[] }; diversity: unknown[] };
    expect(analysis.stats.models.map((m) => [m.model, m.passAtK['1']])).toEqual([['base', expect.closeTo(0.125, 12)], ['rl', expect.closeTo(0.5, 12)]]);
    expect(analysis.diversity).toHaveLength(2);
    expect(h['run:analysis']({ runId: 'nope' })).toMatchObject({ ok: false, error: 'no run "nope"' });
  });

  it('compares a run with itself: every difference 0', () => {
    const h = withVerdicts();
    const c = value(h['runs:compare']({ a: 'r1', b: 'r1' })) as { pairs: { points: { difference: number }[] }[] };
    expect(c.pairs.flatMap((p) => p.points.map((x) => x.difference))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('answers in the shape the app parses: every part of the analysis present (levels, subjects, perplexity, labels, guesses)', () => {
    const h = withVerdicts((db) => {
      db.prepare("UPDATE problems SET level = CASE id WHEN 'p1' THEN '1' ELSE '2' END, subject = 'algebra'").run();
      db.prepare("UPDATE verdicts SET fallback = 1 WHERE model_id = 'rl' AND problem_id = 'p2' AND sample_index = 0").run();
      recordScores(db, [0, 1, 2, 3].flatMap((i) => ['p1', 'p2'].map((p) => ({ runId: 'r1', scorerId: 'base', modelId: 'rl', problemId: p, sampleIndex: i, tokens: 10, logprob: -2 - i, workerId: null }))), 4);
      setLabels(db, [{ runId: 'r1', modelId: 'base', problemId: 'p1', sampleIndex: 0, label: 'valid', note: '' }], 5);
    });
    const analysis = runAnalysisSchema.parse(value(h['run:analysis']({ runId: 'r1' })));
    expect(analysis.byLevel?.groups.map((g) => [g.group, g.problems])).toEqual([['1', 1], ['2', 1]]);
    expect(analysis.bySubject?.groups.map((g) => g.group)).toEqual(['algebra']);
    expect(analysis.perplexity.pairs.map((p) => [p.scorer, p.model, p.samples])).toEqual([['base', 'rl', 8]]);
    expect(analysis.fallback).toEqual([{ model: 'rl', verdicts: 1, correct: 1 }]);
    expect(analysis.labels).toMatchObject({ problems: 1, labelled: 1 });
    const compared = runComparisonSchema.parse(value(h['runs:compare']({ a: 'r1', b: 'r1' })));
    expect(compared.pairs.map((p) => [p.matchedBy, p.modelA, p.modelB])).toEqual([['id', 'base', 'base'], ['id', 'rl', 'rl']]);
  });

  it('counts 0 valid chains, not none, for a model whose samples of a labelled problem are all correct and unlabelled', () => {
    // rl solves p2 with all four samples and none is labelled; a base sample of p2 is.
    const h = withVerdicts((db) => setLabels(db, [{ runId: 'r1', modelId: 'base', problemId: 'p2', sampleIndex: 1, label: 'invalid', note: '' }], 5));
    const { labels } = runAnalysisSchema.parse(value(h['run:analysis']({ runId: 'r1' })));
    expect(labels?.plain.models.map((m) => [m.model, m.passAtK['1']])).toEqual([['base', 0], ['rl', 1]]);
    expect(labels?.validOnly.models.map((m) => [m.model, m.passAtK['1']])).toEqual([['base', 0], ['rl', 0]]);
  });
});
