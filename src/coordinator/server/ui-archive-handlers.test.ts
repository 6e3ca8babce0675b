import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleRow, storeWithRun } from '../../../test/support/store-fixtures.ts';
import { tempDir } from '../../../test/support/lab.ts';
import { bundledModelDir } from '../../node/resources.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { openStore } from '../store/open-store.ts';
import { setRunStatus } from '../store/runs.ts';
import { recordSamples, recordVerdicts } from '../store/samples.ts';
import { uiArchiveHandlers } from './ui-archive-handlers.ts';

function withVerdicts() {
  const db = storeWithRun();
  // base solves p1 (1 of 4), rl solves p2 (4 of 4); nobody solves anything else.
  const rows = ['base', 'rl'].flatMap((m) => ['p1', 'p2'].flatMap((p) => [0, 1, 2, 3].map((i) => sampleRow(m, p, i, `${m} ${p} ${i}`))));
  recordSamples(db, rows, 1);
  recordVerdicts(db, rows.map((r) => ({ ...r, correct: (r.modelId === 'base' && r.problemId === 'p1' && r.sampleIndex === 0) || (r.modelId === 'rl' && r.problemId === 'p2'), extracted: '2', reason: 'r', verifier: 'math' as const })), 2);
  setRunStatus(db, 'r1', 'done', 3);
  const scheduler = new Scheduler(db, () => 10);
  return { db, h: uiArchiveHandlers(scheduler, 'test') };
}

const value = <T>(r: { ok: true; value: T } | { ok: false; error: string } | Promise<unknown>): T => {
  if (r instanceof Promise || !r.ok) throw new Error(JSON.stringify(r));
  return r.value;
};

describe('archive and browser answers', () => {
  it('pages problems with c/n per model and filters them the way the browser asks', () => {
    const { h } = withVerdicts();
    const all = value(h['run:problems']({ runId: 'r1', offset: 0, limit: 10 }));
    expect(all).toMatchObject({ total: 2, problems: [{ id: 'p1', text: '1+1?', gold: '2', counts: { base: { n: 4, c: 1 }, rl: { n: 4, c: 0 } } }, { id: 'p2' }] });
    expect(value(h['run:problems']({ runId: 'r1', offset: 0, limit: 10, filter: { solvedBy: ['base'], unsolvedBy: ['rl'] } })).problems.map((p) => p.id)).toEqual(['p1']);
    expect(value(h['run:problems']({ runId: 'r1', offset: 1, limit: 1 })).problems.map((p) => p.id)).toEqual(['p2']);
    expect(value(h['run:problems']({ runId: 'r1', offset: 0, limit: 10, filter: { neverSolved: true } })).total).toBe(0);
  });

  it('shows a problem\'s samples with verdicts, and labels one', () => {
    const { h } = withVerdicts();
    const samples = value(h['run:samples']({ runId: 'r1', problemId: 'p1', modelId: 'base', offset: 0, limit: 10 }));
    expect(samples.map((s) => [s.index, s.correct, s.label])).toEqual([[0, true, null], [1, false, null], [2, false, null], [3, false, null]]);
    value(h['sample:label']({ runId: 'r1', modelId: 'base', problemId: 'p1', sample: 0, label: 'valid', note: 'checked' }));
    expect(value(h['run:samples']({ runId: 'r1', problemId: 'p1', modelId: 'base', offset: 0, limit: 1 }))[0]).toMatchObject({ label: 'valid', note: 'checked' });
    value(h['sample:label']({ runId: 'r1', modelId: 'base', problemId: 'p1', sample: 0, label: null, note: '' }));
    expect(value(h['run:samples']({ runId: 'r1', problemId: 'p1', modelId: 'base', offset: 0, limit: 1 }))[0].label).toBeNull();
    expect(() => h['sample:label']({ runId: 'r1', modelId: 'base', problemId: 'p1', sample: 99, label: 'valid', note: '' })).toThrow(/no sample 99/);
  });

  it('exports, deletes and imports a run by path on the coordinator\'s machine, and refuses relative paths', () => {
    const { db, h } = withVerdicts();
    const file = join(tempDir('ui-export'), 'r1.passk');
    expect(h['runs:export']({ runId: 'r1', path: 'r1.passk' })).toMatchObject({ ok: false, error: expect.stringContaining('absolute path') });
    expect(value(h['runs:export']({ runId: 'r1', path: file })).bytes).toBeGreaterThan(0);
    expect(h['runs:export']({ runId: 'r1', path: file })).toMatchObject({ ok: false, error: expect.stringContaining('exists') });
    value(h['runs:delete']({ runId: 'r1' }));
    expect(db.prepare('SELECT COUNT(*) AS n FROM samples').get()).toEqual({ n: 0 });
    expect(value(h['runs:import']({ path: file }))).toMatchObject({ imported: true, run: { id: 'r1', status: 'done' } });
    expect(value(h['runs:import']({ path: file }))).toMatchObject({ imported: false });
    const other = openStore(':memory:');
    expect(value(uiArchiveHandlers(new Scheduler(other), 'test')['runs:import']({ path: file })).run.models.map((m) => m.id)).toEqual(['base', 'rl']);
  });

  it('reads a model folder with the engine\'s checks for the launch form', () => {
    const { h } = withVerdicts();
    expect(value(h['models:inspect']({ folder: bundledModelDir('rl') }))).toMatchObject({ modelType: expect.any(String), dtype: 'fp32', hasChatTemplate: true });
    expect(h['models:inspect']({ folder: '/nonexistent/model' })).toMatchObject({ ok: false, error: expect.stringContaining('not a folder') });
  });
});
