import { randomBytes } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temp file beside `target`, so the final rename stays on one file system. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.part`);
}

/**
 * Writes the whole file or nothing: readers never see a half-written file under `target`.
 * Only a regular file (or nothing) is replaced: renaming over /dev/null or a FIFO would
 * replace the device, so those are refused.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, mode = 0o666): Promise<void> {
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(target);
  } catch {
    existing = undefined;
  }
  if (existing && !existing.isFile()) throw new Error(`${target}: not a regular file; refusing to replace it`);
  const temp = tempPathFor(target);
  try {
    await writeFile(temp, data, { mode });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
