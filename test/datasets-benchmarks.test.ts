import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { findPreset } from '../src/core/datasets/presets.ts';
import { loadDataset } from '../src/node/datasets/import-dataset.ts';

// HumanEval, MATH500 and GSM8K are MIT-licensed and part of the repository (resources/benchmarks/README.md).
const DIR = join(process.cwd(), 'resources/benchmarks');
const tmp = mkdtempSync(join(tmpdir(), 'passk-datasets-real-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function preset(name: string) {
  const p = findPreset(name);
  if (!p) throw new Error(`no preset ${name}`);
  return p;
}

describe('importing the paper benchmark files', () => {
  it('HumanEval.jsonl.gz: 164 code problems whose task is the original record', async () => {
    const r = await loadDataset(join(DIR, 'HumanEval.jsonl.gz'), preset('humaneval'));
    if (!r.ok) throw new Error(r.error);
    expect(r.value).toHaveLength(164);
    for (const p of r.value) {
      expect(p.kind).toBe('code');
      expect(p.task).toMatchObject({ task_id: p.id, prompt: p.problem, entry_point: expect.any(String), test: expect.stringContaining('def check') });
    }
  });

  it('MATH500 as JSON, CSV and Parquet maps to exactly what the JSONL gives', async () => {
    const jsonl = await loadDataset(join(DIR, 'math500-test.jsonl'), preset('math500'));
    if (!jsonl.ok) throw new Error(jsonl.error);
    const rows = readFileSync(join(DIR, 'math500-test.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const columns = ['problem', 'solution', 'answer', 'subject', 'level', 'unique_id'];
    const quote = (v: unknown): string => `"${String(v).replace(/"/g, '""')}"`;
    writeFileSync(join(tmp, 'm.json'), JSON.stringify(rows));
    writeFileSync(join(tmp, 'm.csv'), [columns.join(','), ...rows.map((r) => columns.map((c) => quote(r[c])).join(','))].join('\r\n'));
    const buffer = parquetWriteBuffer({
      columnData: columns.map((name) => ({ name, data: rows.map((r) => (name === 'level' ? BigInt(r[name] as number) : r[name])), type: name === 'level' ? ('INT64' as const) : ('STRING' as const) })),
    });
    writeFileSync(join(tmp, 'm.parquet'), new Uint8Array(buffer));
    for (const name of ['m.json', 'm.csv', 'm.parquet']) {
      const r = await loadDataset(join(tmp, name), preset('math500'));
      expect(r, name).toEqual(jsonl);
    }
  });

  it('a corrupted line deep in GSM8K refuses the file at that line', async () => {
    const lines = readFileSync(join(DIR, 'gsm8k-test.jsonl'), 'utf8').split('\n');
    lines[1000] = lines[1000]?.replace('####', '###') ?? '';
    writeFileSync(join(tmp, 'g.jsonl'), lines.join('\n'));
    expect(await loadDataset(join(tmp, 'g.jsonl'), preset('gsm8k'))).toEqual({
      ok: false,
      error: `${join(tmp, 'g.jsonl')}:1001: field "answer" has no "#### " final answer (preset gsm8k)`,
    });
  });
});
