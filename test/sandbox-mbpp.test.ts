import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findPreset } from '../src/core/datasets/presets.ts';
import { findSource } from '../src/core/datasets/registry.ts';
import { loadDataset } from '../src/node/datasets/import-dataset.ts';
import { definedNames, toCodeTask, type CodeTask } from '../src/core/verify/code/code-task.ts';
import { bwrapWorks, createCodePool } from '../workers/verify/code/index.ts';

const FILE = 'resources/benchmarks/sanitized-mbpp.json';
const sandbox = bwrapWorks();
if (!sandbox) console.warn('skipping MBPP tests: bubblewrap is missing or cannot create namespaces (apt-get install bubblewrap)');

const task = (record: unknown): CodeTask => {
  const parsed = toCodeTask(record);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
};

describe('the shipped sanitized MBPP', () => {
  it('is the file the registry pins', () => {
    const bytes = readFileSync(FILE);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(findSource('mbpp-sanitized')?.sha256);
    expect((JSON.parse(bytes.toString('utf8')) as unknown[]).length).toBe(427);
  });

  it('loads through the mbpp preset, each task asking for its reference solution\'s names', async () => {
    const preset = findPreset(findSource('mbpp-sanitized')!.preset)!;
    const loaded = await loadDataset(FILE, preset);
    if (!loaded.ok) throw new Error(loaded.error);
    expect(loaded.value).toHaveLength(427);
    const sum = loaded.value.find((p) => p.id === '126');
    expect(sum && task(sum.task)).toMatchObject({ kind: 'mbpp', entryPoints: ['sum'] });
  });
});

describe.skipIf(!sandbox)('sanitized MBPP in the bubblewrap sandbox', () => {
  it('passes all 427 reference solutions and fails every function that returns None', async () => {
    const records = JSON.parse(readFileSync(FILE, 'utf8')) as { task_id: number; code: string }[];
    const pool = createCodePool({ sandbox: 'bwrap', concurrency: 2, timeoutMs: 10_000, warn: () => {} });
    // The same names as the reference, each returning None: wrong on every task.
    const stub = (code: string) => definedNames(code).map((name) => `def ${name}(*args, **kwargs):\n    return None\n`).join('');
    const [good, none] = await Promise.all([
      Promise.all(records.map((r) => pool.verify(task(r), r.code))),
      Promise.all(records.map((r) => pool.verify(task(r), stub(r.code)))),
    ]);
    await pool.close();
    expect(good.flatMap((v, i) => (v.correct ? [] : [`${records[i].task_id}: ${v.reason}`]))).toEqual([]);
    expect(none.flatMap((v, i) => (v.correct ? [`${records[i].task_id}`] : []))).toEqual([]);
  }, 300_000);
});
