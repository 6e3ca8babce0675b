import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileWriteError, whyNotReplaceable, writeFileAtomic } from './write-file-atomic.ts';

const root = mkdtempSync(join(tmpdir(), 'passk-write-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const freshDir = (): string => {
  const dir = join(root, `case-${count++}`);
  mkdirSync(dir);
  return dir;
};

describe('writeFileAtomic', () => {
  it('replaces a regular file whole and leaves no temp file', async () => {
    const dir = freshDir();
    const target = join(dir, 'out.jsonl');
    writeFileSync(target, 'old\n');
    await writeFileAtomic(target, 'new\n');
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
  });

  it('never renames over a FIFO or a symbolic link (to /dev/null here): refused, left as they were', async () => {
    const dir = freshDir();
    const fifo = join(dir, 'fifo.jsonl');
    execFileSync('mkfifo', [fifo]);
    const link = join(dir, 'null.jsonl');
    symlinkSync('/dev/null', link);
    await expect(writeFileAtomic(fifo, 'x')).rejects.toThrow(
      new FileWriteError(`${fifo}: a FIFO (named pipe), not a regular file; refusing to replace it (passk writes a new file and renames it into place)`),
    );
    await expect(writeFileAtomic(link, 'x')).rejects.toThrow(`${link}: a symbolic link (to /dev/null); refusing to replace the link with a file: give the path it points to`);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['fifo.jsonl', 'null.jsonl']);
  });

  it('says a missing folder is missing, and a folder is not a file name', async () => {
    const dir = freshDir();
    const target = join(dir, 'no-such-folder', 'out.jsonl');
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow(
      `${target}: cannot write into ${join(dir, 'no-such-folder')}: no such file or folder (ENOENT); create the folder first`,
    );
    await expect(writeFileAtomic(dir, 'x')).rejects.toThrow(`${dir}: a folder; give a file name (e.g. ${join(dir, 'out.jsonl')})`);
    const file = join(dir, 'plain');
    writeFileSync(file, '');
    await expect(writeFileAtomic(join(file, 'out.jsonl'), 'x')).rejects.toThrow(`${join(file, 'out.jsonl')}: ${file} is a regular file, not a folder`);
  });
});

describe('whyNotReplaceable', () => {
  it('refuses devices such as /dev/null by what they are (checked without writing)', () => {
    expect(whyNotReplaceable('/dev/null')).toBe('/dev/null: a character device, not a regular file; refusing to replace it (passk writes a new file and renames it into place)');
    expect(whyNotReplaceable(join(root, 'absent.jsonl'))).toBeNull();
  });
});
