import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { uiAppRequests } from '../../core/protocol/ui-app-requests.ts';
import { bundledModelDir } from '../../node/resources.ts';
import { sampleRow, storeWithRun } from '../../../test/support/store-fixtures.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { getRun, setRunStatus } from '../store/runs.ts';
import { recordSamples, recordVerdicts } from '../store/samples.ts';
import { uiAppHandlers } from './ui-app-handlers.ts';

/**
 * r1: base and rl on p1, p2, n = 4. base solves p1 (sample 0) and p2 (sample 1); rl solves
 * p1 only (all four). So: both solve p1, only base p2, none solves nothing.
 */
function lab() {
  const db = storeWithRun();
  const rows = [];
  for (const model of ['base', 'rl']) for (const problem of ['p1', 'p2']) for (let i = 0; i < 4; i++) rows.push(sampleRow(model, problem, i, `${model} on ${problem}, sample ${i}: \\boxed{${i}}`));
  recordSamples(db, rows, 1);
  recordVerdicts(db, rows.filter((r) => !(r.modelId === 'rl' && r.problemId === 'p2' && r.sampleIndex === 3)).map((s) => ({
    ...s, verifier: 'math' as const, reason: 'r', extracted: String(s.sampleIndex),
    correct: s.modelId === 'base' ? (s.problemId === 'p1' ? s.sampleIndex === 0 : s.sampleIndex === 1) : s.problemId === 'p1',
  })), 1);
  const scheduler = new Scheduler(db, () => 5000);
  let revoked = 0;
  const handlers = uiAppHandlers(scheduler, { version: 'test', revokeWorkerToken: async () => ({ joinCommand: `join ${++revoked}`, workerUrl: 'ws://x' }) });
  // Requests go through their schemas as they would off the wire (defaults filled in).
  const call = async <K extends keyof typeof uiAppRequests>(name: K, payload: unknown) => {
    const answer = await (handlers[name] as (r: unknown) => unknown)(uiAppRequests[name].request.parse(payload));
    const result = answer as { ok: boolean; value?: unknown; error?: string };
    if (result.ok) uiAppRequests[name].response.parse(result.value);
    return result as { ok: true; value: never } | { ok: false; error: string };
  };
  return { db, scheduler, call };
}

describe('the problem browser pages', () => {
  it('gives c/n per model for each problem, every model present, in the run\'s order', async () => {
    const { call } = lab();
    expect(await call('run:problems', { runId: 'r1' })).toEqual({
      ok: true,
      value: {
        total: 2, offset: 0,
        rows: [
          { id: 'p1', text: '1+1?', gold: '2', level: null, subject: null, counts: [{ modelId: 'base', n: 4, c: 1 }, { modelId: 'rl', n: 4, c: 4 }] },
          { id: 'p2', text: '2+2?', gold: '4', level: null, subject: null, counts: [{ modelId: 'base', n: 4, c: 1 }, { modelId: 'rl', n: 3, c: 0 }] },
        ],
      },
    });
  });

  it('filters by who solved what: only base, both, never; and pages', async () => {
    const { call } = lab();
    const ids = async (payload: object) => {
      const r = await call('run:problems', { runId: 'r1', ...payload });
      if (!r.ok) throw new Error(r.error);
      const v = r.value as { total: number; rows: { id: string }[] };
      return { total: v.total, ids: v.rows.map((row) => row.id) };
    };
    expect(await ids({ solvedBy: ['base'], unsolvedBy: ['rl'] })).toEqual({ total: 1, ids: ['p2'] });
    expect(await ids({ solvedBy: ['base', 'rl'] })).toEqual({ total: 1, ids: ['p1'] });
    expect(await ids({ unsolvedBy: ['base', 'rl'] })).toEqual({ total: 0, ids: [] });
    expect(await ids({ limit: 1, offset: 1 })).toEqual({ total: 2, ids: ['p2'] });
    expect(await ids({ search: '2+2' })).toEqual({ total: 1, ids: ['p2'] });
    expect(await ids({ search: '%' })).toEqual({ total: 0, ids: [] });
    expect(await call('run:problems', { runId: 'r1', solvedBy: ['ghost'] })).toEqual({ ok: false, error: 'run r1 has no model "ghost" (models: base, rl)' });
  });

  it('gives each problem its level and subject, filters by them in SQL, and lists the levels there are in natural order', async () => {
    const { db, call } = lab();
    // Levels 2 and 10 sort as numbers (10 after 2); p3 has neither a level nor a subject.
    db.prepare("UPDATE problems SET level = CASE id WHEN 'p1' THEN '10' ELSE '2' END, subject = CASE id WHEN 'p1' THEN 'algebra' ELSE 'geometry' END").run();
    db.prepare("INSERT INTO problems (run_id, id, benchmark, text, gold) VALUES ('r1', 'p3', 'bench.jsonl', '3+3?', '\"6\"')").run();
    const page = async (payload: object) => {
      const r = await call('run:problems', { runId: 'r1', ...payload });
      if (!r.ok) throw new Error(r.error);
      const v = r.value as { total: number; rows: { id: string; level: string | null; subject: string | null }[] };
      return { total: v.total, rows: v.rows.map((row) => [row.id, row.level, row.subject]) };
    };
    expect(await page({})).toEqual({ total: 3, rows: [['p1', '10', 'algebra'], ['p2', '2', 'geometry'], ['p3', null, null]] });
    expect(await page({ level: '2' })).toEqual({ total: 1, rows: [['p2', '2', 'geometry']] });
    expect(await page({ level: '10', solvedBy: ['rl'] })).toEqual({ total: 1, rows: [['p1', '10', 'algebra']] });
    expect(await page({ level: '2', solvedBy: ['rl'] })).toEqual({ total: 0, rows: [] });
    expect(await page({ subject: 'algebra' })).toEqual({ total: 1, rows: [['p1', '10', 'algebra']] });
    expect(await page({ level: '5' })).toEqual({ total: 0, rows: [] });
    expect(await call('run:problem-groups', { runId: 'r1' })).toEqual({
      ok: true,
      value: { levels: [{ name: '2', problems: 1 }, { name: '10', problems: 1 }], subjects: [{ name: 'algebra', problems: 1 }, { name: 'geometry', problems: 1 }], unlevelled: 1, unsubjected: 1 },
    });
    expect(await call('run:problem', { runId: 'r1', problemId: 'p1' })).toMatchObject({ ok: true, value: { level: '10', subject: 'algebra' } });
    expect(await call('run:problem-groups', { runId: 'ghost' })).toMatchObject({ ok: false });
  });

  it('lists one model\'s samples of a problem by verdict, without their text, and gives one whole', async () => {
    const { call } = lab();
    const page = await call('run:samples', { runId: 'r1', problemId: 'p2', modelId: 'rl', verdict: 'unverified' });
    expect(page).toEqual({ ok: true, value: { total: 1, offset: 0, rows: [{ index: 3, tokens: 3, finish: 'stop', correct: null, extracted: null, fallback: false, label: null }] } });
    const correct = await call('run:samples', { runId: 'r1', problemId: 'p2', modelId: 'base', verdict: 'correct' });
    expect(correct).toMatchObject({ ok: true, value: { total: 1, rows: [{ index: 1, correct: true, extracted: '1' }] } });
    expect(await call('sample:get', { runId: 'r1', problemId: 'p2', modelId: 'base', index: 1 })).toMatchObject({
      ok: true, value: { index: 1, text: 'base on p2, sample 1: \\boxed{1}', correct: true, extracted: '1', reason: 'r', label: null, workerId: 'w1' },
    });
    expect(await call('sample:get', { runId: 'r1', problemId: 'p2', modelId: 'base', index: 9 })).toMatchObject({ ok: false, error: expect.stringContaining('no sample 9') });
  });
});

describe('labels', () => {
  it('labels a chain in the store: the list and the sample show it, clearing removes it', async () => {
    const { db, call } = lab();
    expect(await call('sample:label', { runId: 'r1', problemId: 'p1', modelId: 'base', index: 0, label: 'invalid', note: 'right answer, wrong steps' }))
      .toEqual({ ok: true, value: { label: { label: 'invalid', note: 'right answer, wrong steps', at: 5000 } } });
    expect(await call('sample:label', { runId: 'r1', problemId: 'p1', modelId: 'base', index: 2, label: 'valid' })).toMatchObject({ ok: true });
    expect(await call('sample:label', { runId: 'r1', problemId: 'p1', modelId: 'base', index: 2, label: null })).toEqual({ ok: true, value: { label: null } });
    expect(await call('sample:label', { runId: 'r1', problemId: 'p1', modelId: 'base', index: 7, label: 'valid' })).toMatchObject({ ok: false });
    const page = await call('run:samples', { runId: 'r1', problemId: 'p1', modelId: 'base' });
    expect((page as { value: { rows: { label: string | null }[] } }).value.rows.map((r) => r.label)).toEqual(['invalid', null, null, null]);
    expect(await call('sample:get', { runId: 'r1', problemId: 'p1', modelId: 'base', index: 0 }))
      .toMatchObject({ ok: true, value: { label: { label: 'invalid', note: 'right answer, wrong steps' } } });
    // The same table passk label and the report read.
    expect(db.prepare('SELECT model_id AS model, sample_index AS sample, label FROM labels').all()).toEqual([{ model: 'base', sample: 0, label: 'invalid' }]);
  });
});

describe('archive actions', () => {
  it('refuses to delete an open run, deletes a finished one with all it holds, labels included', async () => {
    const { db, call } = lab();
    setRunStatus(db, 'r1', 'running', 2);
    expect(await call('runs:delete', { runId: 'r1' })).toEqual({ ok: false, error: 'run r1 is running: cancel it first, then delete it' });
    setRunStatus(db, 'r1', 'done', 3);
    await call('sample:label', { runId: 'r1', problemId: 'p1', modelId: 'base', index: 0, label: 'valid' });
    expect(await call('runs:delete', { runId: 'r1' })).toEqual({ ok: true, value: { runId: 'r1' } });
    expect(getRun(db, 'r1')).toBeUndefined();
    for (const table of ['models', 'problems', 'samples', 'verdicts', 'shards', 'labels']) {
      expect((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n, table).toBe(0);
    }
    expect(await call('runs:delete', { runId: 'r1' })).toMatchObject({ ok: false, error: expect.stringContaining('no run "r1"') });
  });

  it('exports a run to a .passk file on the coordinator\'s disk and imports it back, once', async () => {
    const { db, call } = lab();
    setRunStatus(db, 'r1', 'done', 3);
    const file = join(mkdtempSync(join(tmpdir(), 'passk-export-')), 'r1.passk');
    expect(await call('runs:export', { runId: 'r1', file })).toMatchObject({ ok: true, value: { file, bytes: expect.any(Number) } });
    expect(await call('runs:export', { runId: 'r1', file })).toMatchObject({ ok: false, error: expect.stringContaining('exists') });
    expect(await call('runs:delete', { runId: 'r1' })).toMatchObject({ ok: true });
    expect(await call('runs:import', { file })).toEqual({ ok: true, value: { runId: 'r1', name: 'r1' } });
    expect(await call('runs:import', { file })).toEqual({ ok: true, value: { runId: 'r1', name: 'r1' } });
    expect(db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 1 });
    expect(await call('runs:import', { file: '/etc/hostname' })).toMatchObject({ ok: false, error: expect.stringContaining('not a PassK Lab archive') });
  });

  it('revokes the workers\' token through the coordinator', async () => {
    const { call } = lab();
    expect(await call('tokens:revoke-worker', {})).toEqual({ ok: true, value: { joinCommand: 'join 1', workerUrl: 'ws://x' } });
  });
});

describe('before a launch', () => {
  it('reads a model folder as a run would, and gives the loader\'s reason when it cannot', async () => {
    const { call } = lab();
    expect(await call('model:check', { folder: bundledModelDir('rl') })).toMatchObject({
      ok: true, value: { id: 'rl', dtype: 'fp32', variants: ['fp32'], hasChatTemplate: expect.any(Boolean), bytes: expect.any(Number) },
    });
    expect(await call('model:check', { folder: '/nonexistent/model' })).toEqual({ ok: false, error: '/nonexistent/model: not a folder. Pass --model a Hugging Face model folder.' });
  });

  it('previews a benchmark file raw and mapped, and shows the raw records when the map is wrong', async () => {
    const { call } = lab();
    const dir = mkdtempSync(join(tmpdir(), 'passk-bench-'));
    const file = join(dir, 'qa.jsonl');
    writeFileSync(file, '{"q":"1+1?","a":"2","meta":{"uid":"x1"}}\n{"q":"2+2?","a":"4","meta":{"uid":"x2"}}\n');
    expect(await call('benchmark:preview', { benchmark: { file, map: 'problem=q,answer=a,id=meta.uid' } })).toEqual({
      ok: true,
      value: {
        file, records: 2, fields: ['q', 'a', 'meta', 'meta.uid'],
        raw: [{ line: 1, json: '{"q":"1+1?","a":"2","meta":{"uid":"x1"}}' }, { line: 2, json: '{"q":"2+2?","a":"4","meta":{"uid":"x2"}}' }],
        problems: [{ id: 'x1', kind: 'math', problem: '1+1?', answer: '2' }, { id: 'x2', kind: 'math', problem: '2+2?', answer: '4' }],
        error: null,
      },
    });
    const wrong = await call('benchmark:preview', { benchmark: { file, map: 'problem=question,answer=a' } });
    expect(wrong).toMatchObject({ ok: true, value: { records: 2, problems: [], error: expect.stringMatching(/qa\.jsonl:1: .*question/) } });
    expect(await call('benchmark:preview', { benchmark: { file: join(dir, 'none.jsonl') } })).toMatchObject({ ok: false, error: expect.stringContaining('benchmark.file') });
  });

  it('checks a spec as run:create would and gives its cost; errors name their place in the spec', async () => {
    const { call } = lab();
    const spec = { benchmark: { bundled: 'chain-arithmetic' }, limit: 10, models: [{ folder: bundledModelDir('base'), role: 'base' }, { folder: bundledModelDir('rl'), role: 'rl' }], sampling: { n: 8, maxNewTokens: 64 } };
    expect(await call('experiment:check', { spec })).toMatchObject({
      ok: true,
      value: { problems: 10, samples: 160, maxTokens: 160 * 64, workers: 0, samplesPerSecond: null, etaSeconds: null, models: [{ id: 'base', role: 'base', maxNewTokens: 64 }, { id: 'rl', role: 'rl' }] },
    });
    expect(await call('experiment:check', { spec: { ...spec, models: [{ folder: '/nope', role: 'base' }], ks: [16] } })).toEqual({
      ok: false, error: 'ks: 16 exceed sampling.n = 8; pass@k needs k ≤ n',
    });
    expect(await call('experiment:check', { spec: { ...spec, models: [{ folder: '/nope', role: 'base' }] } })).toEqual({
      ok: false, error: 'models[0].folder: /nope: not a folder. Pass --model a Hugging Face model folder.',
    });
  });

  it('lists the bundled benchmark and models, and the presets', async () => {
    const { call } = lab();
    expect(await call('experiment:options', {})).toMatchObject({ ok: true, value: { bundled: [{ name: 'chain-arithmetic', problems: 250 }], bundledModels: [{ role: 'base', folder: bundledModelDir('base') }, { role: 'rl' }, { role: 'distilled' }], presets: expect.arrayContaining([expect.objectContaining({ name: 'math500', kind: 'math' })]) } });
  });
});
