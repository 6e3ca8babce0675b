import { closeSync, openSync, readSync } from 'node:fs';
import type { Result } from '../../core/result.ts';

export interface SqliteHeader {
  pageSize: number;
  /** Pages the file holds whole. */
  pages: number;
  /** Written in WAL mode (header bytes 18–19 = 2): reading it would make SQLite create -wal and -shm files beside it. */
  wal: boolean;
}

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_BYTES = 100;

/**
 * The 100-byte header of an SQLite file (sqlite.org/fileformat.html §1.3), read before SQLite
 * is given the file: a file that is not SQLite, is empty, or is shorter than its header says
 * is refused here, with the reason, instead of by whatever SQLite makes of it.
 */
export function readSqliteHeader(path: string, bytes: number): Result<SqliteHeader> {
  if (bytes === 0) return { ok: false, error: 'an empty file (0 bytes), not a database' };
  const header = Buffer.alloc(HEADER_BYTES);
  const fd = openSync(path, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  if (read < MAGIC.length || !header.subarray(0, MAGIC.length).equals(MAGIC)) return { ok: false, error: 'file is not a database: it does not begin with "SQLite format 3"' };
  if (read < HEADER_BYTES) return { ok: false, error: `truncated: ${bytes} bytes, shorter than SQLite's ${HEADER_BYTES}-byte header` };
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return { ok: false, error: `corrupt SQLite header (page size ${rawPageSize})` };
  const [write, readVersion] = [header[18], header[19]];
  if (write !== readVersion || (write !== 1 && write !== 2)) return { ok: false, error: `an SQLite file of a format this PassK Lab does not read (file format bytes ${write}, ${readVersion})` };
  const encoding = header.readUInt32BE(56);
  if (encoding !== 1) return { ok: false, error: `an SQLite file in ${encoding === 2 || encoding === 3 ? 'UTF-16' : `text encoding ${encoding}`}; archives are UTF-8` };
  if (bytes % pageSize !== 0) return { ok: false, error: `truncated: ${bytes} bytes is not a whole number of its ${pageSize}-byte pages` };
  const pages = bytes / pageSize;
  // The page count in the header is current only when its version-valid-for matches the change counter.
  const declared = header.readUInt32BE(28);
  if (declared !== 0 && header.readUInt32BE(92) === header.readUInt32BE(24) && declared > pages) {
    return { ok: false, error: `truncated: its header counts ${declared} pages of ${pageSize} bytes (${declared * pageSize} bytes), the file has ${bytes}` };
  }
  return { ok: true, value: { pageSize, pages, wal: write === 2 } };
}
