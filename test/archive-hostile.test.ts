import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRun, importArchive } from '../src/coordinator/store/archive.ts';
import { ARCHIVE_TABLE_SQL } from '../src/coordinator/store/archive-schema.ts';
import { openArchiveFile } from '../src/coordinator/store/open-archive-file.ts';
import { migrations } from '../src/coordinator/store/migrations/index.ts';
import { openStore, type Store } from '../src/coordinator/store/open-store.ts';
import { setLabels } from '../src/coordinator/store/labels.ts';
import { getRun, setRunStatus } from '../src/coordinator/store/runs.ts';
import { recordSamples, recordVerdicts, samplesDigest } from '../src/coordinator/store/samples.ts';
import { tempDir } from './support/lab.ts';
import { sampleRow, storeWithRun } from './support/store-fixtures.ts';

/**
 * A `.passk` file from another lab is untrusted input (issue 30). From a good export, a
 * script here crafts what a hostile sender would (views in place of tables, an endless one
 * among them, foreign triggers and views, reordered and retyped columns, lying counts, huge
 * texts, other format and schema versions, truncated, empty and foreign files), and each is
 * imported into a real store on disk: refused with its reason, the data directory unchanged
 * (files, sizes and runs), no temporary file left, nothing written beside the archive.
 */

const NEWEST = migrations.at(-1)!.version;
const root = tempDir('hostile');
/** Folders of this test, outside the temp folder the import is given (watched for leftovers). */
const scratch = (name: string) => mkdtempSync(join(root, `${name}-`));
const files = scratch('files');
const tmp = scratch('tmp');
const dataDir = scratch('data');
let store: Store;
let good: string;
let goodDigest: string;
const savedTmp = process.env.TMPDIR;

/** File names and sizes under a folder: what "unchanged" is measured by. */
const listing = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, statSync(join(dir, f)).size]));
const runs = (db: Database.Database) => (db.prepare('SELECT id, name FROM runs ORDER BY id').all() as { id: string; name: string }[]);

/** A copy of the good archive changed by `sql`, run as an attacker would with the sqlite3 shell. */
function craft(name: string, edit: string | ((db: Database.Database) => void)): string {
  const file = join(files, `${name}.passk`);
  copyFileSync(good, file);
  const db = new Database(file);
  try {
    db.pragma('foreign_keys = OFF');
    db.pragma('ignore_check_constraints = ON');
    if (typeof edit === 'string') db.exec(edit);
    else edit(db);
  } finally {
    db.close();
  }
  return file;
}

/** Rebuilds `table` from its own CREATE statement as changed by `rewrite`, rows, index and all. */
function rebuild(db: Database.Database, table: string, rewrite: (sql: string) => string, select = '*'): void {
  const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(table) as { sql: string }).sql;
  const indexes = (db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(table) as { sql: string }[]).map((r) => r.sql);
  db.exec(`ALTER TABLE ${table} RENAME TO old_${table}`);
  db.exec(rewrite(sql.replace(/^CREATE TABLE "?\w+"?/, `CREATE TABLE ${table}`)));
  db.exec(`INSERT INTO ${table} SELECT ${select} FROM old_${table}; DROP TABLE old_${table};`);
  for (const index of indexes) db.exec(index);
}

const SAMPLE_COLUMNS = 'run_id, model_id, problem_id, sample_index, text, text_hash, tokens, finish, logprob, worker_id, ep, created_at, lease_id';

/** Imports `file` into the store and checks that it was refused as `reason` says, leaving everything as it was. */
function refused(file: string, reason: RegExp): void {
  const before = { data: listing(dataDir), runs: runs(store), beside: listing(files) };
  const result = importArchive(store, file);
  expect(result.ok, file).toBe(false);
  if (!result.ok) expect(result.error).toMatch(reason);
  expect({ data: listing(dataDir), runs: runs(store), beside: listing(files) }).toEqual(before);
  expect(readdirSync(tmp)).toEqual([]);
}

beforeAll(() => {
  process.env.TMPDIR = tmp;
  const source = storeWithRun();
  const rows = ['base', 'rl'].flatMap((m) => ['p1', 'p2'].flatMap((p) => [0, 1, 2, 3].map((i) => sampleRow(m, p, i, `${m} on ${p}, sample ${i}: the answer is ${i}`))));
  recordSamples(source, rows, 2000);
  recordVerdicts(source, rows.map((r) => ({ ...r, correct: r.sampleIndex % 2 === 0, extracted: String(r.sampleIndex), reason: 'compared', verifier: 'math' as const })), 2001);
  setLabels(source, [{ runId: 'r1', modelId: 'base', problemId: 'p1', sampleIndex: 0, label: 'valid', note: 'checked' }], 2002);
  setRunStatus(source, 'r1', 'running', 2003);
  setRunStatus(source, 'r1', 'done', 2004);
  goodDigest = samplesDigest(source, 'r1').digest;
  good = join(scratch('good'), 'good.passk');

  exportRun(source, 'r1', good, 'test', 2005);
  source.close();
  store = openStore(join(dataDir, 'passk.sqlite'));
});

afterAll(() => {
  store?.close();
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
});

describe('a .passk from another lab is refused unless it is an archive as PassK Lab writes them', () => {
  it('refuses views in place of tables, the endless recursive one included, before reading a row', () => {
    refused(craft('endless-view', `
      ALTER TABLE samples RENAME TO samples_kept;
      CREATE VIEW samples AS WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n)
        SELECT s.run_id, s.model_id, s.problem_id, n.i AS sample_index, s.text, s.text_hash, s.tokens, s.finish, s.logprob, s.worker_id, s.ep, s.created_at
        FROM samples_kept s, n;`),
    /^endless-view\.passk: refused: not an archive as PassK Lab writes them \(schema \d\): (?=.*samples is a view, where schema \d has a table)(?=.*a table samples_kept that schema \d does not have).*; nothing was imported$/);
    refused(craft('repeating-view', `
      ALTER TABLE verdicts RENAME TO verdicts_kept;
      CREATE VIEW verdicts AS SELECT * FROM verdicts_kept UNION ALL SELECT * FROM verdicts_kept;`),
    /repeating-view\.passk: refused: .*verdicts is a view, where schema \d has a table/);
  });

  it('refuses foreign triggers, views and indexes', () => {
    refused(craft('trigger', `CREATE TRIGGER wipe AFTER INSERT ON labels BEGIN DELETE FROM runs; END;`), /trigger\.passk: refused: .*a trigger wipe on labels that schema \d does not have/);
    refused(craft('view', `CREATE VIEW extra AS SELECT 1 AS one;`), /view\.passk: refused: .*a view extra that schema \d does not have/);
    refused(craft('index', `CREATE INDEX by_text ON samples (text);`), /index\.passk: refused: .*an index by_text on samples that schema \d does not have/);
    refused(craft('missing', `DROP TABLE labels;`), /missing\.passk: refused: .*no table labels/);
  });

  it('refuses reordered and retyped columns, and other constraints', () => {
    const reversed = SAMPLE_COLUMNS.split(', ').reverse().join(', ');
    refused(craft('reordered', (db) => rebuild(db, 'samples', () => `CREATE TABLE samples (lease_id INTEGER, created_at INTEGER NOT NULL, ep TEXT, worker_id TEXT, logprob REAL,
      finish TEXT CHECK (finish IN ('stop', 'length')), tokens INTEGER, text_hash INTEGER, text TEXT NOT NULL, sample_index INTEGER NOT NULL CHECK (sample_index >= 0),
      problem_id TEXT NOT NULL, model_id TEXT NOT NULL, run_id TEXT NOT NULL, PRIMARY KEY (run_id, model_id, problem_id, sample_index)) WITHOUT ROWID`, reversed)),
    new RegExp(`reordered\\.passk: refused: .*table samples has columns \\(${reversed}\\), schema \\d has \\(${SAMPLE_COLUMNS}\\)`));
    refused(craft('retyped', (db) => rebuild(db, 'samples', (sql) => sql.replace('tokens       INTEGER', 'tokens       TEXT'))),
      /retyped\.passk: refused: .*samples\.tokens is declared TEXT, not INTEGER/);
    // The same columns, but a CHECK that would allocate a gigabyte a row if it were ever evaluated.
    refused(craft('constraint', (db) => rebuild(db, 'samples', (sql) => sql.replace('text         TEXT NOT NULL', 'text         TEXT NOT NULL CHECK (length(zeroblob(1000000000)) > 0)'))),
      /constraint\.passk: refused: .*table samples is defined otherwise than in schema \d \(its constraints or options\)/);
  });

  it('refuses values the store would not hold: blobs, texts in integer columns, texts over its limits', () => {
    refused(craft('blob', `UPDATE samples SET text = CAST(text AS BLOB) WHERE model_id = 'rl' AND problem_id = 'p2' AND sample_index = 3;`),
      /blob\.passk: corrupt: samples\.text \(model_id rl, problem_id p2, sample_index 3\) holds a blob, where the store keeps a text; nothing was imported/);
    refused(craft('huge-text', `UPDATE samples SET text = printf('%.*c', 5000000, 'x') WHERE model_id = 'base' AND problem_id = 'p1' AND sample_index = 1;`),
      /huge-text\.passk: corrupt: samples\.text \(model_id base, problem_id p1, sample_index 1\) is 5000000 bytes, over the store's limit of 4194304 characters/);
    refused(craft('huge-reason', `UPDATE verdicts SET reason = printf('%.*c', 100000, 'r') WHERE sample_index = 2 AND model_id = 'base' AND problem_id = 'p2';`),
      /huge-reason\.passk: corrupt: verdicts\.reason \(model_id base, problem_id p2, sample_index 2\) is 100000 bytes, over the store's limit of 4096 characters/);
    refused(craft('huge-counts', `UPDATE passk_archive SET counts = json_set(counts, '$.padding', printf('%.*c', 1000000, 'c'));`),
      /huge-counts\.passk: refused: its passk_archive\.counts is \d+ bytes, more than the 4096 it may have/);
    refused(craft('text-in-integer', `UPDATE verdicts SET correct = 'yes' WHERE sample_index = 1 AND model_id = 'rl' AND problem_id = 'p1';`),
      /text-in-integer\.passk: corrupt: verdicts\.correct \(model_id rl, problem_id p1, sample_index 1\) holds a text, where the store keeps an integer/);
  });

  it('refuses lying row counts, more rows or fewer, before writing', () => {
    refused(craft('more-rows', `UPDATE passk_archive SET counts = json_set(counts, '$.samples', 15);`), /more-rows\.passk: refused: it declares 15 samples rows but holds more; nothing was imported/);
    refused(craft('fewer-rows', `UPDATE passk_archive SET counts = json_set(counts, '$.verdicts', 40);`), /fewer-rows\.passk: refused: it declares 40 verdicts rows but holds 16; nothing was imported/);
    refused(craft('other-run', `INSERT INTO problems (run_id, id, benchmark, text, gold) VALUES ('elsewhere', 'p9', 'b', 't', '"1"');
      UPDATE passk_archive SET counts = json_set(counts, '$.problems', 3);`), /other-run\.passk: refused: 1 of its problems rows are not of run r1/);
    refused(craft('workers', `INSERT INTO workers (id, name, first_seen, last_seen) VALUES ('w', 'w', 0, 0);`), /workers\.passk: refused: it holds rows in workers, which no archive holds/);
    refused(craft('two-runs', `UPDATE passk_archive SET counts = json_set(counts, '$.runs', 2);`), /two-runs\.passk: refused: its passk_archive\.counts gives 2 runs; an archive holds one/);
  });

  it('refuses a newer schema or format, a truncated, an empty and a foreign file', () => {
    refused(craft('newer-schema', `PRAGMA user_version = ${NEWEST + 1};`), new RegExp(`newer-schema\\.passk: written by a newer PassK Lab \\(schema ${NEWEST + 1}, this one knows ${NEWEST}\\)`));
    refused(craft('newer-format', `UPDATE passk_archive SET format = 2;`), /newer-format\.passk: refused: archive format 2 is newer than this PassK Lab reads \(1\); update PassK Lab/);
    const half = craft('truncated', () => {});
    truncateSync(half, Math.floor(statSync(half).size / 2 / 16_384) * 16_384);
    refused(half, /truncated\.passk: corrupt \(truncated: its header counts \d+ pages of 16384 bytes \(\d+ bytes\), the file has \d+\)/);
    const ragged = craft('ragged', () => {});
    truncateSync(ragged, statSync(ragged).size - 100);
    refused(ragged, /ragged\.passk: corrupt \(truncated: \d+ bytes is not a whole number of its 16384-byte pages\)/);
    const empty = join(files, 'empty.passk');
    writeFileSync(empty, '');
    refused(empty, /empty\.passk: not a PassK Lab archive \(an empty file \(0 bytes\), not a database\)/);
    const text = join(files, 'text.passk');
    writeFileSync(text, 'this is not a database\n'.repeat(100));
    refused(text, /text\.passk: not a PassK Lab archive \(file is not a database: it does not begin with "SQLite format 3"\)/);
    const foreign = join(files, 'foreign.passk');
    new Database(foreign).exec('CREATE TABLE notes (x TEXT)').close();
    refused(foreign, /foreign\.passk: not a PassK Lab archive \(an SQLite file without its passk_archive table\)/);
    const hot = craft('hot-journal', () => {});
    writeFileSync(`${hot}-journal`, 'half a transaction');
    refused(hot, /hot-journal\.passk: hot-journal\.passk-journal lies beside it/);
  });

  it('refuses in bounded time from the command line too: the endless view, with the data directory as it was', () => {
    const cliData = scratch('cli');
    openStore(join(cliData, 'passk.sqlite')).close();
    const cliTmp = scratch('cli-tmp');
    const before = listing(cliData);
    const file = join(files, 'endless-view.passk');
    const result = spawnSync(process.execPath, ['bin/passk.js', 'runs', 'import', file, '--data-dir', cliData],
      { encoding: 'utf8', timeout: 30_000, env: { ...process.env, TMPDIR: cliTmp } });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/endless-view\.passk: refused: .*samples is a view/);
    expect(listing(cliData)).toEqual(before);
    // tsx keeps its compile cache there; anything else would be the import's.
    expect(readdirSync(cliTmp).filter((f) => !f.startsWith('tsx-'))).toEqual([]);
  }, 40_000);
});

describe('archives PassK Lab wrote still import', () => {
  const imported = (file: string, runName: string) => {
    const dir = scratch('ok');
    const db = openStore(join(dir, 'passk.sqlite'));
    try {
      const before = listing(files);
      const result = importArchive(db, file);
      expect(result, file).toMatchObject({ ok: true, value: { runId: 'r1', name: runName, imported: true } });
      expect(samplesDigest(db, 'r1').digest).toBe(goodDigest);
      expect(getRun(db, 'r1')).toMatchObject({ status: 'done', samplesDigest: goodDigest });
      expect((db.prepare('SELECT COUNT(*) AS n FROM labels').get() as { n: number }).n).toBe(1);
      expect(listing(files)).toEqual(before);
      expect(readdirSync(tmp)).toEqual([]);
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  };

  it('the good export round-trips: imported, exported again, imported again, the same digest', () => {
    const db = imported(good, 'r1');
    const again = join(scratch('again'), 'again.passk');
    exportRun(db, 'r1', again, 'test', 3000);
    db.close();
    imported(again, 'r1').close();
    const check = new Database(again, { readonly: true });
    expect((check.prepare('SELECT digest FROM passk_archive').get() as { digest: string }).digest).toBe(goodDigest);
    check.close();
    // Written as a rollback-journal database: reading it creates no -wal or -shm beside it.
    expect(readdirSync(join(again, '..'))).toEqual(['again.passk']);
  });

  it('is read on a connection of its own: read-only, trusted_schema off, no extension loading', () => {
    const opened = openArchiveFile(good);
    if (!opened.ok) throw new Error(opened.error);
    try {
      const { db } = opened.value;
      expect(db.readonly).toBe(true);
      expect(db.pragma('trusted_schema', { simple: true })).toBe(0);
      expect(db.pragma('query_only', { simple: true })).toBe(1);
      expect(() => db.prepare(`SELECT load_extension('/nonexistent')`).get()).toThrow(/not authorized/);
      expect(() => db.exec('DELETE FROM runs')).toThrow(/readonly|query_only/);
    } finally {
      opened.value.close();
    }
  });

  it('an archive written in WAL mode (as exports were before) imports, and nothing is left beside it', () => {
    const wal = craft('wal-mode', (db) => db.pragma('journal_mode = WAL'));
    imported(wal, 'r1').close();
  });

  it('an archive of an older schema is brought up to date in a private copy, removed after', () => {
    for (const version of [3, 4]) {
      const file = join(files, `schema-${version}.passk`);
      const db = openStore(file, migrations.filter((m) => m.version <= version));
      db.exec(ARCHIVE_TABLE_SQL);
      db.prepare('ATTACH DATABASE ? AS good').run(good);
      for (const table of ['runs', 'models', 'problems', 'samples', 'verdicts', 'scores', 'labels', 'problem_counts', 'shards', 'passk_archive']) {
        const columns = (db.prepare(`SELECT name FROM pragma_table_xinfo(?, 'main')`).all(table) as { name: string }[]).map((c) => c.name).join(', ');
        db.exec(`INSERT INTO main.${table} (${columns}) SELECT ${columns} FROM good.${table}`);
      }
      db.exec('DETACH DATABASE good');
      db.pragma('journal_mode = DELETE');
      db.close();
      imported(file, 'r1').close();
    }
    // An older file is checked against its own schema before anything migrates it.
    const older = join(files, 'older-trigger.passk');
    const db = openStore(older, migrations.filter((m) => m.version <= NEWEST - 1));
    db.exec(ARCHIVE_TABLE_SQL);
    db.exec('CREATE TRIGGER t AFTER UPDATE ON runs BEGIN SELECT 1; END;');
    db.pragma('journal_mode = DELETE');
    db.close();
    refused(older, new RegExp(`older-trigger\\.passk: refused: not an archive as PassK Lab writes them \\(schema ${NEWEST - 1}\\): a trigger t on runs that schema ${NEWEST - 1} does not have; nothing was imported`));
  });

  it('a run whose name is taken gets a free name', () => {
    const dir = scratch('name');
    const db = openStore(join(dir, 'passk.sqlite'));
    try {
      db.prepare(`INSERT INTO runs (id, name, spec, seed, created_at) VALUES ('other', 'r1', '{}', '0', 1)`).run();
      expect(importArchive(db, good)).toMatchObject({ ok: true, value: { runId: 'r1', name: 'r1-2', imported: true } });
      expect(importArchive(db, good)).toMatchObject({ ok: true, value: { runId: 'r1', name: 'r1-2', imported: false } });
    } finally {
      db.close();
    }
  });
});
