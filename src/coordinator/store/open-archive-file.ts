import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, rmSync, statfsSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Result } from '../../core/result.ts';
import { archiveSchemaOf, definitionDifferences, describeSchema, listSchema, schemaDifferences } from './archive-schema.ts';
import { migrations } from './migrations/index.ts';
import { migrate } from './open-store.ts';
import { readSqliteHeader } from './sqlite-header.ts';

/** The archive format this version writes and reads (the `format` of its passk_archive row). */
export const ARCHIVE_FORMAT = 1;

/** The tables that hold a run, parents first (the order rows can be inserted in). */
export const RUN_TABLES = ['runs', 'models', 'problems', 'samples', 'verdicts', 'scores', 'labels', 'problem_counts', 'sample_sources', 'shards'] as const;
export type RunTable = (typeof RUN_TABLES)[number];
export const runKey = (table: string) => (table === 'runs' ? 'id' : 'run_id');

export interface ArchiveInfo {
  format: number;
  runId: string;
  name: string;
  digest: string;
  counts: Partial<Record<RunTable, number>>;
  exportedAt: number;
  appVersion: string;
}

/** An archive file checked whole and opened read-only; `close` also removes any private copy. */
export interface ArchiveFile {
  /** Read-only, defensive, at the current schema. */
  db: Database.Database;
  /** The file `db` reads: the one given, or a private copy brought up to date. */
  path: string;
  info: ArchiveInfo;
  /** The schema version the file was written at. */
  version: number;
  close(): void;
}

const newest = () => migrations.at(-1)!.version;

/** Settings for a database this app did not write: no code from its schema, no unsafe writes, no memory mapping. */
function defend(db: Database.Database, readOnly: boolean): void {
  // better-sqlite3 opens with SQLITE_DBCONFIG_DEFENSIVE on; unsafeMode(false) sets it again explicitly.
  // Extension loading stays off for SQL (load_extension() is refused): nothing here calls loadExtension.
  db.unsafeMode(false);
  db.pragma('trusted_schema = OFF');
  db.pragma('cell_size_check = ON');
  db.pragma('mmap_size = 0');
  if (readOnly) db.pragma('query_only = ON');
}

function openDefended(path: string, readOnly: boolean): Database.Database {
  const db = new Database(path, { readonly: readOnly, fileMustExist: true });
  try {
    defend(db, readOnly);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Refusals say what kind of wrong a file is, then why. */
class Refusal extends Error {}
const refuse = (reason: string): never => {
  throw new Refusal(reason);
};

/** The schema of `db` (main) must be exactly that of an archive of `version`: listing first, then tables' columns and definitions. */
function checkSchema(db: Database.Database, version: number, what = 'not an archive as PassK Lab writes them'): void {
  const expected = archiveSchemaOf(version);
  const listing = schemaDifferences(listSchema(db, 'main'), expected, version);
  if (listing.length > 0) refuse(`${what}: ${listing.join('; ')}`);
  const definitions = definitionDifferences(describeSchema(db, 'main'), expected, version);
  if (definitions.length > 0) refuse(`${what}: ${definitions.join('; ')}`);
}

const TEXT_CAPS: Record<string, number> = { run_id: 200, name: 200, digest: 64, counts: 4096, app_version: 200 };

/** The one passk_archive row, its types and sizes checked before its values are read. */
function readInfo(db: Database.Database): ArchiveInfo {
  const rows = (db.prepare('SELECT COUNT(*) AS n FROM (SELECT 1 FROM passk_archive LIMIT 2)').get() as { n: number }).n;
  if (rows !== 1) refuse(`not a PassK Lab archive (its passk_archive table has ${rows === 0 ? 'no row' : 'more than one row'}, not 1)`);
  const columns = ['format', 'exported_at', ...Object.keys(TEXT_CAPS)];
  const shape = db.prepare(`SELECT ${columns.map((c) => `typeof(${c}) AS "${c}:type", octet_length(${c}) AS "${c}:bytes"`).join(', ')} FROM passk_archive`).get() as Record<string, string | number>;
  for (const c of columns) {
    const want = c in TEXT_CAPS ? 'text' : 'integer';
    if (shape[`${c}:type`] !== want) refuse(`its passk_archive.${c} is ${shape[`${c}:type`]}, not ${want}`);
    if (c in TEXT_CAPS && (shape[`${c}:bytes`] as number) > TEXT_CAPS[c]) refuse(`its passk_archive.${c} is ${shape[`${c}:bytes`]} bytes, more than the ${TEXT_CAPS[c]} it may have`);
  }
  const row = db.prepare('SELECT format, run_id, name, digest, counts, exported_at, app_version FROM passk_archive').get() as
    { format: number; run_id: string; name: string; digest: string; counts: string; exported_at: number; app_version: string };
  if (row.format > ARCHIVE_FORMAT) refuse(`archive format ${row.format} is newer than this PassK Lab reads (${ARCHIVE_FORMAT}); update PassK Lab`);
  if (row.format < 1) refuse(`not a PassK Lab archive (archive format ${row.format})`);
  if (!/^[0-9a-f]{64}$/.test(row.digest)) refuse('its passk_archive.digest is not a SHA-256 in hex');
  if (row.run_id === '' || row.name === '') refuse('its passk_archive row names no run');
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.counts);
  } catch {
    refuse('its passk_archive.counts is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) refuse('its passk_archive.counts is not an object of row counts');
  const counts: Partial<Record<RunTable, number>> = {};
  for (const [table, n] of Object.entries(parsed as Record<string, unknown>)) {
    if (!(RUN_TABLES as readonly string[]).includes(table)) refuse(`its passk_archive.counts names ${JSON.stringify(table.slice(0, 40))}, not a table of a run`);
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) refuse(`its passk_archive.counts gives ${table} ${JSON.stringify(n)} rows, not a count`);
    counts[table as RunTable] = n as number;
  }
  return { format: row.format, runId: row.run_id, name: row.name, digest: row.digest, counts, exportedAt: row.exported_at, appVersion: row.app_version };
}

/**
 * Each table of a run holds exactly the rows passk_archive declares, all of that run
 * (counted up to the declared number + 1, so a lie costs no more than the truth); the
 * store's other tables are empty.
 */
function checkCounts(db: Database.Database, info: ArchiveInfo, version: number): void {
  const tables = new Set(archiveSchemaOf(version).filter((e) => e.type === 'table').map((e) => e.name));
  if (info.counts.runs !== 1) refuse(`its passk_archive.counts gives ${info.counts.runs ?? 0} runs; an archive holds one`);
  for (const table of tables) {
    if (table === 'passk_archive') continue;
    if (!(RUN_TABLES as readonly string[]).includes(table)) {
      if (db.prepare(`SELECT 1 FROM "${table}" LIMIT 1`).get() !== undefined) refuse(`it holds rows in ${table}, which no archive holds`);
      continue;
    }
    const n = info.counts[table as RunTable] ?? 0;
    const total = (db.prepare(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM "${table}" LIMIT ?)`).get(n + 1) as { n: number }).n;
    if (total > n) refuse(`it declares ${n} ${table} rows but holds more`);
    if (total < n) refuse(`it declares ${n} ${table} rows but holds ${total}`);
    const ofRun = (db.prepare(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM "${table}" WHERE ${runKey(table)} = ? LIMIT ?)`).get(info.runId, n + 1) as { n: number }).n;
    if (ofRun !== total) refuse(`${total - ofRun} of its ${table} rows are not of run ${info.runId}`);
  }
  for (const table of RUN_TABLES) {
    if (!tables.has(table) && (info.counts[table] ?? 0) > 0) refuse(`it declares ${info.counts[table]} ${table} rows, a table schema ${version} does not have`);
  }
}

/** A private folder for a copy of the file; refused when the temp folder cannot hold `bytes` three times (copy, migration, margin). */
function privateFolder(bytes: number): string {
  const dir = tmpdir();
  const { bavail, bsize } = statfsSync(dir);
  const free = bavail * bsize;
  if (free < 3 * bytes) refuse(`${dir} has ${(free / 1e6).toFixed(0)} MB free; reading this ${(bytes / 1e6).toFixed(0)} MB file through a private copy needs ${(3 * bytes / 1e6).toFixed(0)} MB there (set TMPDIR to a roomier folder)`);
  return mkdtempSync(join(dir, 'passk-import-'));
}

/**
 * Opens an SQLite file this app did not write, as a `.passk` archive — the one way any such
 * file is opened (`passk runs import`, the app's "Import archive", a `.passk` given on the
 * command line or by the desktop). Before SQLite reads a page its header is checked; then it
 * is opened read-only with the defensive settings, and its whole sqlite_master must be the
 * schema of an archive of its declared version (built from the migrations); then its pages
 * (quick_check), its passk_archive row and its row counts. An archive of an older schema is
 * migrated in a private copy in the temp folder, checked again, and the copy is removed on
 * close or refusal. Nothing is written beside the given file.
 */
export function openArchiveFile(path: string): Result<ArchiveFile> {
  const what = basename(path);
  if (!existsSync(path)) return { ok: false, error: `${path}: no such file` };
  const stat = statSync(path);
  if (!stat.isFile()) return { ok: false, error: `${path}: not a regular file` };
  let header: ReturnType<typeof readSqliteHeader>;
  try {
    header = readSqliteHeader(path, stat.size);
  } catch (error) {
    return { ok: false, error: `${path}: cannot be read (${(error as Error).message})` };
  }
  if (!header.ok) return { ok: false, error: `${what}: ${header.error.startsWith('truncated') ? 'corrupt' : 'not a PassK Lab archive'} (${header.error}); nothing was imported` };
  for (const suffix of ['-wal', '-journal']) {
    const sibling = `${path}${suffix}`;
    if (existsSync(sibling) && statSync(sibling).size > 0) {
      return { ok: false, error: `${what}: ${basename(sibling)} lies beside it: the file is open in another program or was left half written; close that program (or remove ${basename(sibling)}) and try again; nothing was imported` };
    }
  }

  let folder: string | null = null;
  let db: Database.Database | null = null;
  const cleanUp = () => {
    db?.close();
    db = null;
    if (folder) rmSync(folder, { recursive: true, force: true });
    folder = null;
  };
  try {
    let source = path;
    if (header.value.wal) {
      // Read in WAL mode, even read-only, SQLite would create -wal and -shm files beside the
      // user's file. With no WAL content beside it the file is whole: a private copy marked
      // as a rollback-journal database reads the same, and nothing is written next to the original.
      folder = privateFolder(stat.size);
      source = join(folder, 'archive.sqlite');
      copyFileSync(path, source);
      const fd = openSync(source, 'r+');
      try {
        writeSync(fd, Buffer.from([1, 1]), 0, 2, 18);
      } finally {
        closeSync(fd);
      }
    }
    db = openDefended(source, true);
    let listing: ReturnType<typeof listSchema>;
    try {
      listing = listSchema(db, 'main');
    } catch (error) {
      return { ok: false, error: `${what}: not a PassK Lab archive (${(error as Error).message})` };
    }
    if (!listing.some((e) => e.type === 'table' && e.name === 'passk_archive')) return { ok: false, error: `${what}: not a PassK Lab archive (an SQLite file without its passk_archive table)` };
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > newest()) return { ok: false, error: `${what}: written by a newer PassK Lab (schema ${version}, this one knows ${newest()}); update PassK Lab to import it` };
    if (version < 1) return { ok: false, error: `${what}: not a PassK Lab archive (schema version ${version})` };
    checkSchema(db, version, `not an archive as PassK Lab writes them (schema ${version})`);
    const check = db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') return { ok: false, error: `${what}: corrupt (SQLite quick_check: ${check}); nothing was imported` };
    const info = readInfo(db);
    checkCounts(db, info, version);

    if (version < newest()) {
      // An older schema is brought up to date in a private copy; the given file is never written.
      db.close();
      db = null;
      if (!folder) {
        folder = privateFolder(stat.size);
        copyFileSync(path, join(folder, 'archive.sqlite'));
        source = join(folder, 'archive.sqlite');
        // What migrates is the copy: checked again, in case the file was replaced after its checks.
        const copy = openDefended(source, true);
        try {
          if (copy.pragma('user_version', { simple: true }) !== version) refuse('the file changed while it was read');
          checkSchema(copy, version, 'the file changed while it was read');
        } finally {
          copy.close();
        }
      }
      const old = openDefended(source, false);
      try {
        old.pragma('journal_mode = OFF');
        old.pragma('synchronous = OFF');
        migrate(old);
      } finally {
        old.close();
      }
      db = openDefended(source, true);
      checkSchema(db, newest(), `schema ${version} did not migrate to ${newest()} as expected`);
    }
    const opened = db;
    const copyFolder = folder;
    db = null;
    folder = null;
    let closed = false;
    return {
      ok: true,
      value: {
        db: opened, path: source, info, version,
        close: () => {
          if (closed) return;
          closed = true;
          opened.close();
          if (copyFolder) rmSync(copyFolder, { recursive: true, force: true });
        },
      },
    };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: `${what}: refused: ${error.message}; nothing was imported` };
    return { ok: false, error: `${what}: corrupt or unreadable (${(error as Error).message}); nothing was imported` };
  } finally {
    cleanUp();
  }
}
