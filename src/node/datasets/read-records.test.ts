import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createDeflate, gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { findPreset } from '../../core/datasets/presets.ts';
import { DEFAULT_MAX_RECORD_BYTES, loadDataset, writeProblems } from './import-dataset.ts';
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

describe('readRecords on hostile files', () => {
  it('refuses gzip data that inflates past the cap, having inflated no more than the cap', async () => {
    // 16 MiB of one JSON line in 16 KiB of gzip; the cap here is 1 MiB.
    const path = file('bomb.jsonl.gz', gzipSync(`{"a":"${' '.repeat(16 * 1048576)}"}\n`));
    expect(await readRecords(path, undefined, { maxBytes: 1048576 })).toEqual({
      ok: false,
      error: `${path}: its ${statSync(path).size} bytes of gzip inflate to more than 1 MiB, the most passk reads from one file; refused (if the data is genuine, split it into smaller files)`,
    });
  });
  it('says a FIFO is one instead of waiting for a writer', async () => {
    const fifo = join(dir, 'pipe.jsonl');
    execFileSync('mkfifo', [fifo]);
    expect(await readRecords(fifo)).toMatchObject({ ok: false, error: `${fifo}: a FIFO (named pipe), not a regular file; passk reads only regular files (save the data to a file first)` });
  });
  it('refuses a LiveCodeBench record whose tests inflate to hundreds of MB, with file:line and the cap', async () => {
    const lcb = findPreset('livecodebench');
    if (!lcb) throw new Error('livecodebench preset missing');
    const record = (id: string, tests: string) =>
      JSON.stringify({ question_id: id, question_content: 'Print 3.', public_test_cases: '[]', private_test_cases: tests, metadata: '{}' });
    // 300 MiB of zeros deflate to about 300 KB; reading stops at the 64 MiB cap.
    const bomb = (await zerosDeflated(300 * 1048576)).toString('base64');
    const path = file('lcb.jsonl', `${record('q1', '[]')}\n${record('q2', bomb)}\n`);
    expect(DEFAULT_MAX_RECORD_BYTES).toBe(64 * 1048576);
    expect(await loadDataset(path, lcb)).toEqual({
      ok: false,
      error: `${path}:2: field "private_test_cases": tests: ${Buffer.from(bomb, 'base64').length} bytes of zlib data inflate to more than 64 MiB, ` +
        'the most one record may hold; refused (for a file you trust, raise it with passk datasets import --max-record-mb N) (preset livecodebench)',
    });
    // The cap is an option: 8 MiB passes the default (and is then no pickle), not a 1 MiB cap.
    const eight = file('lcb8.jsonl', `${record('q1', (await zerosDeflated(8 * 1048576)).toString('base64'))}\n`);
    expect(await loadDataset(eight, lcb)).toMatchObject({ ok: false, error: expect.stringContaining(':1: field "private_test_cases": pickle: unsupported opcode 0x00') });
    expect(await loadDataset(eight, lcb, undefined, { maxRecordBytes: 1048576 })).toMatchObject({ ok: false, error: expect.stringContaining('inflate to more than 1 MiB') });
  });
});

/** zlib data of `bytes` zeros, made a MiB at a time so the test never holds them all. */
async function zerosDeflated(bytes: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const zeros = Buffer.alloc(1048576);
  for (let done = 0; done < bytes; done += zeros.length) {
    if (!deflate.write(zeros)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  const ended = new Promise((resolve) => deflate.once('end', resolve));
  deflate.end();
  await ended;
  return Buffer.concat(chunks);
}

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
