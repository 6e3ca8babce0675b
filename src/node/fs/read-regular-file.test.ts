import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRegularFile } from './read-regular-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'passk-read-regular-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readRegularFile', () => {
  it('reads a regular file whole', async () => {
    const path = join(dir, 'a.txt');
    writeFileSync(path, 'hello\n');
    const read = await readRegularFile(path);
    expect(read.ok && read.value.toString()).toBe('hello\n');
  });

  it('says a FIFO is one at once instead of waiting for a writer that never comes', async () => {
    const fifo = join(dir, 'pipe.jsonl');
    execFileSync('mkfifo', [fifo]);
    const started = performance.now();
    expect(await readRegularFile(fifo)).toEqual({
      ok: false,
      error: `${fifo}: a FIFO (named pipe), not a regular file; passk reads only regular files (save the data to a file first)`,
    });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses a folder and a device that never ends', async () => {
    const folder = join(dir, 'folder.jsonl');
    mkdirSync(folder);
    expect(await readRegularFile(folder)).toMatchObject({ ok: false, error: `${folder}: a folder, not a regular file; passk reads only regular files (save the data to a file first)` });
    expect(await readRegularFile('/dev/zero')).toMatchObject({ ok: false, error: expect.stringContaining('/dev/zero: a character device, not a regular file') });
  });

  it('refuses a file over the cap before reading it, and names both sizes', async () => {
    const path = join(dir, 'big.jsonl');
    writeFileSync(path, Buffer.alloc(3 * 1048576, 0x20));
    expect(await readRegularFile(path, { maxBytes: 1048576 })).toEqual({
      ok: false,
      error: `${path}: 3 MiB, more than the 1 MiB passk reads from one file; split it into smaller files`,
    });
  });

  it('reads a file that claims 0 bytes (as /proc does) and still stops at the cap', async () => {
    const read = await readRegularFile('/proc/self/status');
    expect(read.ok && read.value.toString()).toContain('Name:');
    expect(await readRegularFile('/proc/self/status', { maxBytes: 10 })).toMatchObject({ ok: false, error: expect.stringContaining('/proc/self/status: over 10 bytes, more than the 10 bytes passk reads from one file') });
  });

  it('says what is missing in words', async () => {
    const path = join(dir, 'missing.jsonl');
    expect(await readRegularFile(path)).toEqual({ ok: false, error: `${path}: cannot read: no such file or folder (ENOENT)` });
  });
});
