import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type Database from 'better-sqlite3';
import { MAX_ERROR, MAX_REASON, MAX_SAMPLE_TEXT } from '../../core/protocol/limits.ts';
import type { Result } from '../../core/result.ts';
import { DEFAULT_MAX_RECORD_BYTES } from '../../node/datasets/import-dataset.ts';
import { tempPathFor } from '../../node/fs/write-file-atomic.ts';
import { ARCHIVE_TABLE_SQL, archiveSchemaOf, definitionDifferences, describeSchema, listSchema, schemaDifferences, type SchemaColumn } from './archive-schema.ts';
import { migrations } from './migrations/index.ts';
import { ARCHIVE_FORMAT, openArchiveFile, RUN_TABLES, runKey, type ArchiveFile, type ArchiveInfo } from './open-archive-file.ts';
import { openStore, type Store } from './open-store.ts';
import { findRun, freeRunName, getRun, setSamplesDigest } from './runs.ts';
import { samplesDigest } from './samples.ts';

export { ARCHIVE_FORMAT, type ArchiveInfo };

/**
 * A `.passk` file is one SQLite database holding one run whole (spec, models with their
 * config and content address, problems with gold answers, samples, verdicts, scores,
 * labels, imported counts, shards with their errors), in this project's schema, plus a
 * `passk_archive` row: the format version, and the run's samples digest and row counts,
 * which an import recomputes so a corrupted file is refused rather than half believed.
 * Importing treats the file as untrusted input: see openArchiveFile.
 */

function rowCounts(db: Database.Database, schema: string, runId: string): Record<string, number> {
  return Object.fromEntries(RUN_TABLES.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM ${schema}.${t} WHERE ${runKey(t)} = ?`).get(runId) as { n: number }).n]));
}

/** Writes one run to `target` (a temp file renamed into place: a failed export leaves nothing). */
export function exportRun(db: Store, runId: string, target: string, appVersion: string, now: number): { bytes: number } {
  const run = getRun(db, runId);
  if (!run) throw new Error(`no run ${runId}`);
  if (existsSync(target) && !statSync(target).isFile()) throw new Error(`${target}: not a regular file; refusing to replace it`);
  const temp = tempPathFor(target);
  try {
    const archive = openStore(temp);
    archive.exec(ARCHIVE_TABLE_SQL);
    // A rollback-journal file, whole by itself: read in WAL mode, SQLite would create -wal
    // and -shm files beside it, wherever the recipient keeps it.
    archive.pragma('journal_mode = DELETE');
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

/** What a file claims to be, checked whole (see openArchiveFile); nothing is kept open. */
export function readArchive(path: string): Result<ArchiveInfo> {
  const opened = openArchiveFile(path);
  if (!opened.ok) return opened;
  opened.value.close();
  return { ok: true, value: opened.value.info };
}

/**
 * The store's limits on texts, in characters as the wire and the app's schemas count them:
 * a sample's text, a verdict's reason and extracted answer, an error; any other text at most
 * a dataset record's size.
 */
const TEXT_LIMITS: Record<string, number> = {
  'samples.text': MAX_SAMPLE_TEXT,
  'verdicts.reason': MAX_REASON,
  'verdicts.extracted': MAX_REASON,
  'runs.error': MAX_ERROR,
  'shards.error': MAX_ERROR,
};
const textLimit = (table: string, column: string) => TEXT_LIMITS[`${table}.${column}`] ?? DEFAULT_MAX_RECORD_BYTES;
const STORAGE_CLASS: Record<string, string> = { TEXT: 'text', INTEGER: 'integer', REAL: 'real' };

/**
 * A value the store may hold in this column: its declared type's storage class (never a
 * blob), NULL only where the column allows it, a text within the limit. The length is read
 * from the record header (octet_length); characters are counted only for a text longer in
 * bytes than the limit, and never for one longer than 4 bytes a character.
 */
function validValue(table: string, column: SchemaColumn): string {
  const name = `"${column.name}"`;
  const storage = STORAGE_CLASS[column.type];
  if (!storage) throw new Error(`${table}.${column.name}: declared ${column.type}, which the archive import does not know`);
  let check = `typeof(${name}) = '${storage}'`;
  if (storage === 'text') {
    const limit = textLimit(table, column.name);
    check += ` AND (octet_length(${name}) <= ${limit} OR (octet_length(${name}) <= ${4 * limit} AND length(${name}) <= ${limit}))`;
  }
  return column.notNull || column.pk > 0 ? `(${check})` : `(${name} IS NULL OR (${check}))`;
}

function tableOf(table: string) {
  const entry = archiveSchemaOf(migrations.at(-1)!.version).find((e) => e.type === 'table' && e.name === table);
  if (!entry) throw new Error(`no table ${table} in the store's schema`);
  return { columns: entry.columns, rowid: !/WITHOUT ROWID/i.test(entry.sql ?? '') };
}

/**
 * Copies one table's rows of the run: its columns named, each value checked (a row that fails
 * is left out, so fewer rows arrive than declared), at most `declared + 1` rows. The run's row
 * takes its name here, so a name already taken never meets the UNIQUE constraint.
 */
function copyStatement(db: Store, table: string): Database.Statement {
  const { columns, rowid } = tableOf(table);
  const list = columns.map((c) => `"${c.name}"`).join(', ');
  const select = columns.map((c) => (table === 'runs' && c.name === 'name' ? '@name' : `"${c.name}"`)).join(', ');
  return db.prepare(`INSERT INTO main."${table}" (${list}) SELECT ${select} FROM archive."${table}"
    WHERE "${runKey(table)}" = @runId AND ${columns.map((c) => validValue(table, c)).join(' AND ')}${rowid ? ' ORDER BY rowid' : ''} LIMIT @limit`);
}

/** The first row of `table` the copy left out and why, read on the archive's own connection. */
function badRow(archive: Database.Database, table: string, runId: string): string | null {
  const { columns } = tableOf(table);
  const keys = columns.filter((c) => c.pk > 0 && c.name !== runKey(table));
  const row = archive.prepare(`SELECT ${[
    ...keys.map((k) => `substr("${k.name}", 1, 60) AS "key:${k.name}"`),
    ...columns.map((c) => `${validValue(table, c)} AS "ok:${c.name}", typeof("${c.name}") AS "type:${c.name}", octet_length("${c.name}") AS "bytes:${c.name}"`),
  ].join(', ')} FROM "${table}" WHERE "${runKey(table)}" = ? AND NOT (${columns.map((c) => validValue(table, c)).join(' AND ')}) LIMIT 1`)
    .get(runId) as Record<string, string | number | null> | undefined;
  if (!row) return null;
  const where = keys.length > 0 ? ` (${keys.map((k) => `${k.name} ${row[`key:${k.name}`]}`).join(', ')})` : '';
  const column = columns.find((c) => row[`ok:${c.name}`] !== 1)!;
  const type = row[`type:${column.name}`];
  const storage = STORAGE_CLASS[column.type];
  if (type !== storage) return `${table}.${column.name}${where} holds ${type === 'null' ? 'NULL' : `a ${type}`}, where the store keeps ${storage === 'integer' ? 'an' : 'a'} ${storage}`;
  return `${table}.${column.name}${where} is ${row[`bytes:${column.name}`]} bytes, over the store's limit of ${textLimit(table, column.name)} characters`;
}

/**
 * Imports a `.passk` file whole or not at all. The file is first checked on a connection of
 * its own (openArchiveFile): refused there, nothing was read from its tables nor written to
 * the store. Then its rows are copied in one transaction, table by table with their columns
 * named, each value checked and each table capped at its declared count; the run's row counts
 * and samples digest are recomputed from the copy before it commits. The same run imported
 * twice stays one run; a run whose name is taken gets a free name.
 */
export function importArchive(db: Store, path: string): Result<{ runId: string; name: string; imported: boolean }> {
  const opened = openArchiveFile(path);
  if (!opened.ok) return opened;
  const archive = opened.value;
  try {
    const info = archive.info;
    const existing = getRun(db, info.runId);
    if (existing) {
      const here = existing.samplesDigest ?? samplesDigest(db, existing.id).digest;
      if (here === info.digest) return { ok: true, value: { runId: existing.id, name: existing.name, imported: false } };
      return { ok: false, error: `${basename(path)}: run ${info.runId} is already here with other samples (digest ${here.slice(0, 12)}…, the file's ${info.digest.slice(0, 12)}…); delete it first to replace it` };
    }
    return copyArchive(db, archive, basename(path));
  } finally {
    archive.close();
  }
}

/**
 * The bulk copy runs inside SQLite (INSERT … SELECT from the file attached to the store's
 * connection): read row by row into JavaScript and written back, it is markedly slower. It
 * attaches only a file that passed every check, and its schema is compared again as attached,
 * so a file replaced in between is refused too.
 */
function copyArchive(db: Store, archive: ArchiveFile, what: string): Result<{ runId: string; name: string; imported: boolean }> {
  const { info } = archive;
  db.prepare('ATTACH DATABASE ? AS archive').run(archive.path);
  try {
    const newest = migrations.at(-1)!.version;
    const expected = archiveSchemaOf(newest);
    const listing = schemaDifferences(listSchema(db, 'archive'), expected, newest);
    const changed = listing.length > 0 ? listing : definitionDifferences(describeSchema(db, 'archive'), expected, newest);
    if (changed.length > 0) return { ok: false, error: `${what}: refused: the file changed while it was read (${changed.join('; ')}); nothing was imported` };
    const name = findRun(db, info.name) ? freeRunName(db, info.name) : info.name;
    db.transaction(() => {
      for (const table of RUN_TABLES) {
        const declared = info.counts[table] ?? 0;
        const copied = copyStatement(db, table).run({ runId: info.runId, name, limit: declared + 1 }).changes;
        if (copied > declared) throw new ArchiveMismatch(`it declares ${declared} ${table} rows but holds more`);
        if (copied < declared) throw new ArchiveMismatch(badRow(archive.db, table, info.runId) ?? `it declares ${declared} ${table} rows but ${copied} could be copied`);
      }
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
    if (error instanceof ArchiveMismatch) return { ok: false, error: `${what}: corrupt: ${error.message}; nothing was imported` };
    return { ok: false, error: `${what}: cannot be imported (${(error as Error).message}); nothing was imported` };
  } finally {
    db.prepare('DETACH DATABASE archive').run();
  }
}

class ArchiveMismatch extends Error {}
