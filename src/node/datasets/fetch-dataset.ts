import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Result } from '../../core/result.ts';
import type { DatasetSource } from '../../core/datasets/registry.ts';
import { describeErrno } from '../fs/file-kind.ts';
import { tempPathFor, whyNotReplaceable } from '../fs/write-file-atomic.ts';

export interface FetchOptions {
  /** Download from here instead of the registry's public URL (a mirror); the pin still applies. */
  url?: string;
  outDir: string;
  allowUnpinned?: boolean;
  fetch?: typeof globalThis.fetch;
}

export interface Fetched {
  path: string;
  sha256: string;
  bytes: number;
  verified: boolean;
}

/**
 * Downloads a registry file into `outDir`: streamed to a temp file while hashing, checked
 * against the pinned sha256, then renamed into place. A mismatch leaves nothing behind.
 */
export async function fetchDataset(source: DatasetSource, options: FetchOptions): Promise<Result<Fetched>> {
  if (source.sha256 === null && options.allowUnpinned !== true) {
    return { ok: false, error: `${source.name}: no pinned sha256 (the file was never verified); pass --allow-unpinned to download it anyway` };
  }
  const url = options.url ?? source.url;
  if (!/^https?:\/\//i.test(url)) return { ok: false, error: `${url}: only http:// and https:// URLs can be fetched` };
  // The folder is made when missing (fetch names a folder, not a file); what is already
  // there must be a folder, and the file inside a regular file or nothing.
  try {
    await mkdir(options.outDir, { recursive: true });
  } catch (error) {
    return { ok: false, error: `${options.outDir}: cannot make this folder to download into: ${describeErrno(error)}` };
  }
  const target = join(options.outDir, source.fileName);
  const refused = whyNotReplaceable(target);
  if (refused !== null) return { ok: false, error: refused };
  const temp = tempPathFor(target);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    const response = await (options.fetch ?? globalThis.fetch)(url, { redirect: 'follow' });
    if (!response.ok || response.body === null) return { ok: false, error: `${url}: HTTP ${response.status} ${response.statusText}` };
    const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    await pipeline(body, createWriteStream(temp));
  } catch (error) {
    await rm(temp, { force: true });
    if ((error as NodeJS.ErrnoException).path === temp) return { ok: false, error: `${target}: cannot write: ${describeErrno(error)}` };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    return { ok: false, error: `${url}: download failed (${why}); check the network or pass --url to a mirror` };
  }
  const sha256 = hash.digest('hex');
  if (source.sha256 !== null && sha256 !== source.sha256) {
    await rm(temp, { force: true });
    return { ok: false, error: `${url}: sha256 ${sha256} does not match the pinned ${source.sha256}; nothing was written` };
  }
  // Checked again: the download took a while, and the rename would replace whatever is there now.
  const late = whyNotReplaceable(target);
  try {
    if (late === null) await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    return { ok: false, error: `${target}: cannot write: ${describeErrno(error)}` };
  }
  if (late !== null) {
    await rm(temp, { force: true });
    return { ok: false, error: late };
  }
  return { ok: true, value: { path: target, sha256, bytes, verified: source.sha256 !== null } };
}
