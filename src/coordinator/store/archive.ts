import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Result } from '../../core/result.ts';
import { tempPathFor } from '../../node/fs/write-file-atomic.ts';
import { migrations } from './migrations/index.ts';
import { migrate, openStore, sql, type Store } from './open-store.ts';
import { findRun, freeRunName, getRun, setSamplesDigest } from './runs.ts';
import { samplesDigest } from './samples.ts';

/**
 * A `.passk` file is one SQLite database holding one run whole (spec, models with their
 * config and content address, problems with gold answers, samples, verdicts, scores,
 * labels, imported counts, shards with their errors), in this project's schema, plus a
 * `passk_archive` row: the format version, and the run's samples digest and row counts,
 * which an import recomputes so a corrupted file is refused rather than half believed.
 */
export const ARCHIVE_FORMAT = 1;

/** The tables that hold a run, parents first (the order rows can be inserted in). */
const RUN_TABLES = ['runs', 'models', 'problems', 'samples', 'verdicts', 'scores', 'labels', 'problem_counts', 'sample_sources', 'shards'] as const;
const ARCHIVE_SCHEMA = `CREATE TABLE passk_archive (
  format      INTEGER NOT NULL,
  run_id      TEXT NOT NULL,
  name        TEXT NOT NULL,
  digest      TEXT NOT NULL,
  counts      TEXT NOT NULL CHECK (json_valid(counts)),
  exported_at INTEGER NOT NULL,
  app_version TEXT NOT NULL
)`;

export interface ArchiveInfo {
  format: number;
  runId: string;
  name: string;
  digest: string;
  counts: Record<string, number>;
  exportedAt: number;
  appVersion: string;
}

function rowCounts(db: Database.Database, schema: string, runId: string): Record<string, number> {
  const column = (table: string) => (table === 'runs' ? 'id' : 'run_id');
  return Object.fromEntries(RUN_TABLES.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM ${schema}.${t} WHERE ${column(t)} = ?`).get(runId) as { n: number }).n]));
}

/** Writes one run to `target` (a temp file renamed into place: a failed export leaves nothing). */
export function exportRun(db: Store, runId: string, target: string, appVersion: string, now: number): { bytes: number } {
  const run = getRun(db, runId);
  if (!run) throw new Error(`no run ${runId}`);
  if (existsSync(target) && !statSync(target).isFile()) throw new Error(`${target}: not a regular file; refusing to replace it`);
  const temp = tempPathFor(target);
  try {
    const archive = openStore(temp);
    archive.exec(ARCHIVE_SCHEMA);
    archive.close();
    const digest = run.status === 'done' && run.samplesDigest ? run.samplesDigest : samplesDigest(db, runId).digest;
    db.prepare('ATTACH DATABASE ? AS archive').run(temp);
    try {
      db.pragma('archive.journal_mode = OFF');
      db.pragma('archive.synchronous = OFF');
      db.transaction(() => {
        for (const table of RUN_TABLES) {
          db.prepare(`INSERT INTO archive.${table} SELECT * FROM main.${table} WHERE ${table === 'runs' ? 'id' : 'run_id'} = ?`).run(runId);
        }
        // Leases and workers stay behind: they describe this coordinator's past, not the run.
        db.prepare(`UPDATE archive.shards SET state = 'queued' WHERE state = 'leased'`).run();
        db.prepare(`INSERT INTO archive.passk_archive (format, run_id, name, digest, counts, exported_at, app_version) VALUES (?, ?, ?, ?, ?, ?, ?)`)
          .run(ARCHIVE_FORMAT, runId, run.name, digest, JSON.stringify(rowCounts(db, 'archive', runId)), now, appVersion);
      })();
    } finally {
      db.prepare('DETACH DATABASE archive').run();
    }
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return { bytes: statSync(target).size };
}

/** What a file claims to be, checked: SQLite, a passk archive of a format and schema this version reads, intact pages. */
export function readArchive(path: string): Result<ArchiveInfo> {
  const what = basename(path);
  if (!existsSync(path)) return { ok: false, error: `${path}: no such file` };
  if (!statSync(path).isFile()) return { ok: false, error: `${path}: not a regular file` };
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    return { ok: false, error: `${what}: cannot be opened as an archive (${(error as Error).message})` };
  }
  try {
    let tables: string[];
    try {
      tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name);
    } catch (error) {
      return { ok: false, error: `${what}: not a PassK Lab archive (${(error as Error).message})` };
    }
    if (!tables.includes('passk_archive')) return { ok: false, error: `${what}: not a PassK Lab archive (an SQLite file without its passk_archive table)` };
    const version = db.pragma('user_version', { simple: true }) as number;
    const newest = migrations.at(-1)!.version;
    if (version > newest) return { ok: false, error: `${what}: written by a newer PassK Lab (schema ${version}, this one knows ${newest}); update PassK Lab to import it` };
    const check = db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') return { ok: false, error: `${what}: corrupt (SQLite quick_check: ${check}); nothing was imported` };
    const row = db.prepare('SELECT * FROM passk_archive').all() as { format: number; run_id: string; name: string; digest: string; counts: string; exported_at: number; app_version: string }[];
    if (row.length !== 1) return { ok: false, error: `${what}: not a PassK Lab archive (its passk_archive table has ${row.length} rows, not 1)` };
    const info = row[0];
    if (info.format > ARCHIVE_FORMAT) return { ok: false, error: `${what}: archive format ${info.format} is newer than this PassK Lab reads (${ARCHIVE_FORMAT}); update PassK Lab` };
    return { ok: true, value: { format: info.format, runId: info.run_id, name: info.name, digest: info.digest, counts: JSON.parse(info.counts), exportedAt: info.exported_at, appVersion: info.app_version } };
  } catch (error) {
    return { ok: false, error: `${what}: corrupt or truncated (${(error as Error).message}); nothing was imported` };
  } finally {
    db.close();
  }
}

/**
 * Imports a `.passk` file whole or not at all: its rows are copied in one transaction, and
 * the run's row counts and samples digest are recomputed from the copy before it commits.
 * The same run imported twice stays one run; a run whose name is taken gets a free name.
 */
export function importArchive(db: Store, path: string): Result<{ runId: string; name: string; imported: boolean }> {
  const read = readArchive(path);
  if (!read.ok) return read;
  const info = read.value;
  const existing = getRun(db, info.runId);
  if (existing) {
    const here = existing.samplesDigest ?? samplesDigest(db, existing.id).digest;
    if (here === info.digest) return { ok: true, value: { runId: existing.id, name: existing.name, imported: false } };
    return { ok: false, error: `${basename(path)}: run ${info.runId} is already here with other samples (digest ${here.slice(0, 12)}…, the file's ${info.digest.slice(0, 12)}…); delete it first to replace it` };
  }
  // An archive of an older schema is brought up to date in a copy; the file itself is never written.
  let source = path;
  let copy: string | null = null;
  const version = (() => { const d = new Database(path, { readonly: true }); try { return d.pragma('user_version', { simple: true }) as number; } finally { d.close(); } })();
  if (version < migrations.at(-1)!.version) {
    copy = join(tmpdir(), `passk-import-${process.pid}-${Date.now()}.sqlite`);
    copyFileSync(path, copy);
    const old = new Database(copy);
    try {
      migrate(old);
    } finally {
      old.close();
    }
    source = copy;
  }
  try {
    db.prepare('ATTACH DATABASE ? AS archive').run(source);
    try {
      const name = findRun(db, info.name) ? freeRunName(db, info.name) : info.name;
      db.transaction(() => {
        for (const table of RUN_TABLES) db.prepare(`INSERT INTO main.${table} SELECT * FROM archive.${table} WHERE ${table === 'runs' ? 'id' : 'run_id'} = ?`).run(info.runId);
        sql(db, 'UPDATE runs SET name = ? WHERE id = ?').run(name, info.runId);
        const counts = rowCounts(db, 'main', info.runId);
        const wrong = Object.entries(info.counts).filter(([table, n]) => counts[table] !== n);
        if (wrong.length > 0) throw new ArchiveMismatch(`it lists ${wrong.map(([t, n]) => `${n} ${t} rows`).join(', ')} but holds ${wrong.map(([t]) => counts[t]).join(', ')}`);
        const digest = samplesDigest(db, info.runId).digest;
        if (digest !== info.digest) throw new ArchiveMismatch(`its samples digest to ${digest.slice(0, 12)}…, not the ${info.digest.slice(0, 12)}… it was written with`);
        // Kept, so reopening the run does not read every text again to show it.
        setSamplesDigest(db, info.runId, digest);
      })();
      return { ok: true, value: { runId: info.runId, name, imported: true } };
    } catch (error) {
      if (error instanceof ArchiveMismatch) return { ok: false, error: `${basename(path)}: corrupt: ${error.message}; nothing was imported` };
      return { ok: false, error: `${basename(path)}: cannot be imported (${(error as Error).message}); nothing was imported` };
    } finally {
      db.prepare('DETACH DATABASE archive').run();
    }
  } finally {
    if (copy) rmSync(copy, { force: true });
  }
}

class ArchiveMismatch extends Error {}
