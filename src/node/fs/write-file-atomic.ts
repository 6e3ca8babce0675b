import { randomBytes } from 'node:crypto';
import { lstatSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { describeErrno, describeFileKind } from './file-kind.ts';

/** A temp file beside `target`, so the final rename stays on one file system. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.part`);
}

/** A file could not be written; the message names it and says what to do. Never a bug of ours. */
export class FileWriteError extends Error {}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/**
 * Why `target` cannot take a new file by rename, or null when it can: it is absent or a
 * regular file, in an existing folder. Anything else would be replaced by the rename
 * (as root, /dev/null itself), or fail later with a message about a temp file.
 */
export function whyNotReplaceable(target: string): string | null {
  const existing = lstatOrNull(target);
  if (existing?.isDirectory()) return `${target}: a folder; give a file name (e.g. ${join(target, 'out.jsonl')})`;
  if (existing?.isSymbolicLink()) {
    return `${target}: a symbolic link (to ${readlinkSync(target)}); refusing to replace the link with a file: give the path it points to`;
  }
  if (existing && !existing.isFile()) {
    return `${target}: ${describeFileKind(existing)}, not a regular file; refusing to replace it (passk writes a new file and renames it into place)`;
  }
  const folder = dirname(resolve(target));
  let folderStats: Stats;
  try {
    folderStats = statSync(folder);
  } catch (error) {
    return `${target}: cannot write into ${folder}: ${describeErrno(error)}; create the folder first`;
  }
  if (!folderStats.isDirectory()) return `${target}: ${folder} is ${describeFileKind(folderStats)}, not a folder`;
  return null;
}

/**
 * Writes the whole file or nothing: readers never see a half-written file under `target`.
 * Only a regular file (or nothing) is replaced; every failure is a FileWriteError naming
 * `target`, and no temp file is left behind.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, mode = 0o666): Promise<void> {
  const refused = whyNotReplaceable(target);
  if (refused !== null) throw new FileWriteError(refused);
  const temp = tempPathFor(target);
  try {
    await writeFile(temp, data, { mode });
    // Checked again just before the rename: the target may have changed while writing.
    const late = whyNotReplaceable(target);
    if (late !== null) throw new FileWriteError(late);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    if (error instanceof FileWriteError) throw error;
    throw new FileWriteError(`${target}: cannot write: ${describeErrno(error)}`);
  }
}
