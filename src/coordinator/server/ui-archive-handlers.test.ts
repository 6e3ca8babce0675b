import { describe, expect, it } from 'vitest';
import { sampleRow, storeWithRun } from '../../../test/support/store-fixtures.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { setRunStatus } from '../store/runs.ts';
import { recordSamples, recordVerdicts } from '../store/samples.ts';
import { uiArchiveHandlers } from './ui-archive-handlers.ts';

function withVerdicts() {
  const db = storeWithRun();
  // base solves p1 (1 of 4), rl solves p2 (4 of 4).
  const rows = ['base', 'rl'].flatMap((m) => ['p1', 'p2'].flatMap((p) => [0, 1, 2, 3].map((i) => sampleRow(m, p, i, `${m} ${p} ${i}`))));
  recordSamples(db, rows, 1);
  recordVerdicts(db, rows.map((r) => ({ ...r, correct: (r.modelId === 'base' && r.problemId === 'p1' && r.sampleIndex === 0) || (r.modelId === 'rl' && r.problemId === 'p2'), extracted: '2', reason: 'r', verifier: 'math' as const })), 2);
  setRunStatus(db, 'r1', 'done', 3);
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
});
