import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { findPreset } from '../../core/datasets/presets.ts';
import { loadDataset, writeProblems } from './import-dataset.ts';
import { readRecords } from './read-records.ts';

const dir = mkdtempSync(join(tmpdir(), 'passk-read-records-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, data: string | Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};
const math500 = findPreset('math500');
if (!math500) throw new Error('math500 preset missing');

const ROWS = [
  { unique_id: 'a', problem: 'One, "quoted", and\nmultiline', answer: '\\frac{1}{2}' },
  { unique_id: 'b', problem: 'Two', answer: '3' },
];

describe('readRecords', () => {
  it('reads JSONL (also gzipped) with line numbers, skipping blank lines', async () => {
    const text = ROWS.map((r) => JSON.stringify(r)).join('\n\n') + '\n';
    for (const path of [file('a.jsonl', text), file('a.jsonl.gz', gzipSync(text))]) {
      const r = await readRecords(path);
      expect(r).toEqual({ ok: true, value: [{ line: 1, value: ROWS[0] }, { line: 3, value: ROWS[1] }] });
    }
  });
  it('reads a JSON list or an object holding one', async () => {
    expect(await readRecords(file('l.json', JSON.stringify(ROWS)))).toMatchObject({ ok: true, value: [{ value: ROWS[0] }, { value: ROWS[1] }] });
    expect(await readRecords(file('o.json', JSON.stringify({ data: ROWS })))).toMatchObject({ ok: true, value: [{ line: 1 }, { line: 2 }] });
  });
  it('reads CSV with quotes, escaped quotes, embedded newlines and CRLF', async () => {
    const csv = 'unique_id,problem,answer\r\na,"One, ""quoted"", and\nmultiline",\\frac{1}{2}\r\nb,Two,3\r\n';
    const r = await readRecords(file('a.csv', csv));
    expect(r).toEqual({ ok: true, value: [{ line: 2, value: ROWS[0] }, { line: 4, value: ROWS[1] }] });
  });
  it('reads Parquet through hyparquet', async () => {
    const buffer = parquetWriteBuffer({
      columnData: (['unique_id', 'problem', 'answer'] as const).map((name) => ({ name, data: ROWS.map((r) => r[name]), type: 'STRING' as const })),
    });
    const r = await readRecords(file('a.parquet', new Uint8Array(buffer)));
    expect(r).toEqual({ ok: true, value: [{ line: 1, value: ROWS[0] }, { line: 2, value: ROWS[1] }] });
  });
  it('names the file and line of broken input', async () => {
    expect(await readRecords(file('bad.jsonl', '{"a":1}\n{"a":\n'))).toMatchObject({ ok: false, error: expect.stringMatching(/bad\.jsonl:2: not valid JSON/) });
    expect(await readRecords(file('arr.jsonl', '{"a":1}\n[1]\n'))).toMatchObject({ ok: false, error: expect.stringMatching(/arr\.jsonl:2: expected a JSON object/) });
    expect(await readRecords(file('bad.csv', 'a,b\n1,2\n3\n'))).toEqual({ ok: false, error: `${join(dir, 'bad.csv')}:3: 1 fields, the header has 2` });
    expect(await readRecords(file('bad.json', '[\n{"a": 1},\n{"a": }\n]'))).toMatchObject({ ok: false, error: expect.stringMatching(/bad\.json:3: not valid JSON/) });
    expect(await readRecords(file('x.parquet', 'not parquet'))).toMatchObject({ ok: false, error: expect.stringContaining('not a readable Parquet file') });
    expect(await readRecords(join(dir, 'missing.jsonl'))).toMatchObject({ ok: false, error: expect.stringContaining('ENOENT') });
    expect(await readRecords(file('a.txt', ''))).toMatchObject({ ok: false, error: expect.stringContaining('unknown format') });
  });
});

describe('import', () => {
  it('a bad record refuses the file with file:line and writes nothing', async () => {
    const path = file('half.jsonl', [JSON.stringify(ROWS[0]), JSON.stringify({ unique_id: 'c', problem: 'no answer' })].join('\n'));
    const loaded = await loadDataset(path, math500);
    expect(loaded).toEqual({ ok: false, error: `${path}:2: field "answer" is missing (preset math500)` });
  });
  it('writes all problems as JSONL atomically, with no temp file left', async () => {
    const loaded = await loadDataset(file('ok.jsonl', ROWS.map((r) => JSON.stringify(r)).join('\n')), math500);
    if (!loaded.ok) throw new Error(loaded.error);
    const outDir = mkdtempSync(join(dir, 'out-'));
    await writeProblems(join(outDir, 'm.jsonl'), loaded.value);
    expect(readdirSync(outDir)).toEqual(['m.jsonl']);
  });
});
