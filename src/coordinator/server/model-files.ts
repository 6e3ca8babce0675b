import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { sql, type Store } from '../store/open-store.ts';

/**
 * Model files by content address. Only files some run's model lists can be served, by their
 * sha256, so no request can name a path: traversal has nothing to traverse.
 */
export class ModelFiles {
  private readonly byHash = new Map<string, { path: string; size: number }>();

  constructor(private readonly db: Store) {}

  /** Every file of every model in the store (cheap: one row per model). */
  refresh(): void {
    const rows = sql(this.db, 'SELECT folder, files FROM models').all() as { folder: string; files: string }[];
    for (const row of rows) {
      for (const file of JSON.parse(row.files) as { path: string; sha256: string; size: number }[]) {
        this.byHash.set(file.sha256, { path: join(row.folder, ...file.path.split('/')), size: file.size });
      }
    }
  }

  lookup(sha256: string): { path: string; size: number } | undefined {
    if (!this.byHash.has(sha256)) this.refresh();
    return this.byHash.get(sha256);
  }

  /** GET /files/<sha256>, with `Range: bytes=a-`, `a-b` or `-n` (the last n bytes) for resumed downloads. */
  serve(req: IncomingMessage, res: ServerResponse, sha256: string): void {
    const file = this.lookup(sha256);
    if (!file) return plain(res, 404, `no model file with sha256 ${sha256} on this coordinator`);
    let size: number;
    try {
      size = statSync(file.path).size;
    } catch {
      return plain(res, 410, `${file.path} is gone from the coordinator's disk`);
    }
    if (size !== file.size) return plain(res, 409, `${file.path} changed since the run was created (${size} bytes, was ${file.size}); start a new run`);
    let start = 0;
    let end = size - 1;
    const range = req.headers.range;
    if (range !== undefined) {
      const satisfiable = byteRange(range, size);
      if (satisfiable === null) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}` });
        res.end();
        return;
      }
      ({ start, end } = satisfiable);
    }
    const length = size === 0 ? 0 : end - start + 1;
    res.writeHead(range !== undefined ? 206 : 200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(length),
      'Accept-Ranges': 'bytes',
      ...(range !== undefined ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    });
    if (req.method === 'HEAD' || length === 0) {
      res.end();
      return;
    }
    createReadStream(file.path, { start, end }).on('error', (error) => res.destroy(error)).pipe(res);
  }
}

/**
 * One range of RFC 9110's `bytes=` forms, clipped to the file: `a-b`, `a-` and the suffix
 * `-n`; null when it is unsatisfiable or not one of these (several ranges are not served).
 */
export function byteRange(header: string, size: number): { start: number; end: number } | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return null;
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  if (start >= size) return null;
  const end = m[2] === '' ? size - 1 : Number(m[2]);
  if (end < start) return null;
  return { start, end: Math.min(end, size - 1) };
}

export function plain(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(message + '\n');
}
