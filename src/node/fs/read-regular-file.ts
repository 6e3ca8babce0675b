import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { Result } from '../../core/result.ts';
import { describeErrno, describeFileKind, mebibytes } from './file-kind.ts';

/**
 * The longest string V8 holds (2^29 − 24 UTF-16 units): a text file longer than this cannot
 * be parsed whole, so readers stop there with a message instead of failing inside `toString`.
 */
export const MAX_TEXT_BYTES = 0x1fffffe8;

export interface ReadLimits {
  /** Refuse a file longer than this (default MAX_TEXT_BYTES). */
  maxBytes?: number;
}

/**
 * Reads a whole regular file, at most `maxBytes`. Anything else is refused with what it is:
 * opening a FIFO waits for a writer and /dev/zero never ends, so the file is opened
 * non-blocking and checked on the open handle (no race between a check and the read), and
 * the bytes are counted as they come (a file in /proc says 0 bytes, one may still grow).
 */
export async function readRegularFile(path: string, limits: ReadLimits = {}): Promise<Result<Buffer>> {
  const maxBytes = limits.maxBytes ?? MAX_TEXT_BYTES;
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting forever.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { ok: false, error: `${path}: cannot read: ${describeErrno(error)}` };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      return { ok: false, error: `${path}: ${describeFileKind(stats)}, not a regular file; passk reads only regular files (save the data to a file first)` };
    }
    const tooLarge = (size: string): Result<Buffer> => ({
      ok: false,
      error: `${path}: ${size}, more than the ${mebibytes(maxBytes)} passk reads from one file; split it into smaller files`,
    });
    if (stats.size > maxBytes) return tooLarge(mebibytes(stats.size));
    // One byte past the expected size tells a file that grew (or lied about its size) apart.
    let buffer = Buffer.allocUnsafe(stats.size + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        if (total > maxBytes) return tooLarge(`over ${mebibytes(maxBytes)}`);
        const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(2 * buffer.length, 65536)));
        buffer.copy(grown, 0, 0, total);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > maxBytes) return tooLarge(`over ${mebibytes(maxBytes)}`);
    return { ok: true, value: buffer.subarray(0, total) };
  } catch (error) {
    return { ok: false, error: `${path}: cannot read: ${describeErrno(error)}` };
  } finally {
    await handle.close();
  }
}

/**
 * `readRegularFile`, then gunzipped when the bytes are gzip (by their magic, not the name).
 * `maxBytes` caps the file and what it inflates to, so a small file that inflates to
 * gigabytes is refused after inflating that much.
 */
export async function readInflated(path: string, limits: ReadLimits = {}): Promise<Result<Buffer>> {
  const read = await readRegularFile(path, limits);
  if (!read.ok || read.value[0] !== 0x1f || read.value[1] !== 0x8b) return read;
  const maxBytes = limits.maxBytes ?? MAX_TEXT_BYTES;
  try {
    return { ok: true, value: gunzipSync(read.value, { maxOutputLength: maxBytes }) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return { ok: false, error: `${path}: its ${mebibytes(read.value.length)} of gzip inflate to more than ${mebibytes(maxBytes)}, the most passk reads from one file; refused (if the data is genuine, split it into smaller files)` };
    }
    return { ok: false, error: `${path}: broken gzip data (${(error as Error).message})` };
  }
}
