import type { Role } from '../../src/core/roles.ts';
import { addModel, type RunModel } from '../../src/coordinator/store/models.ts';
import { openStore, type Store } from '../../src/coordinator/store/open-store.ts';
import { addProblems } from '../../src/coordinator/store/problems.ts';
import { createRun, type NewRun } from '../../src/coordinator/store/runs.ts';
import type { SampleRow } from '../../src/coordinator/store/samples.ts';

/** A model row as a resolved spec would give it (files and hash made up; nothing reads them). */
export function runModel(id: string, role: Role, sha256: string | null = null): RunModel {
  return {
    id, role, name: id, label: null, folder: `/models/${id}`, dtype: 'fp32', sha256,
    files: sha256 ? [{ path: 'model.onnx', sha256, size: 1 }] : [], config: {},
    prompt: { format: 'raw', template: '{problem}' },
    settings: { temperature: 0.6, topP: 0.95, topK: 0, maxNewTokens: 16, stop: [] },
    served: null,
  };
}

export const newRun = (id: string, overrides: Partial<NewRun> = {}): NewRun => ({
  id, name: id, spec: { sampling: { n: 4 }, scoring: [] }, resolved: {}, seed: '7', verifier: 'math', benchmark: 'bench.jsonl', n: 4, ...overrides,
});

/** A fresh in-memory store holding run r1: models base and rl, problems p1 and p2 (gold "2" and "4"). */
export function storeWithRun(options: { models?: RunModel[]; spec?: unknown; n?: number } = {}): Store {
  const db = openStore(':memory:');
  createRun(db, newRun('r1', { n: options.n ?? 4, ...(options.spec ? { spec: options.spec } : {}) }), 1000);
  for (const model of options.models ?? [runModel('base', 'base', 'a'.repeat(64)), runModel('rl', 'rl', 'b'.repeat(64))]) addModel(db, 'r1', model);
  addProblems(db, 'r1', [
    { id: 'p1', benchmark: 'bench.jsonl', text: '1+1?', gold: '2' },
    { id: 'p2', benchmark: 'bench.jsonl', text: '2+2?', gold: '4' },
  ]);
  return db;
}

export const sampleRow = (modelId: string, problemId: string, sampleIndex: number, text = `s${sampleIndex}`): SampleRow => ({
  runId: 'r1', modelId, problemId, sampleIndex, text, tokens: 3, finish: 'stop', logprob: -1.5, workerId: 'w1',
});
