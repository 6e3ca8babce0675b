import type Database from 'better-sqlite3';
import { migrations } from './migrations/index.ts';
import { openStore } from './open-store.ts';

/** The table an export adds beside the store's own: what the file is and what it holds. */
export const ARCHIVE_TABLE_SQL = `CREATE TABLE passk_archive (
  format      INTEGER NOT NULL,
  run_id      TEXT NOT NULL,
  name        TEXT NOT NULL,
  digest      TEXT NOT NULL,
  counts      TEXT NOT NULL CHECK (json_valid(counts)),
  exported_at INTEGER NOT NULL,
  app_version TEXT NOT NULL
)`;

export interface SchemaColumn {
  name: string;
  type: string;
  notNull: boolean;
  pk: number;
}

/** One row of sqlite_master, with a table's columns in their order. */
export interface SchemaEntry {
  type: string;
  name: string;
  table: string;
  sql: string | null;
  columns: SchemaColumn[];
}

/**
 * The schema of an archive of store schema `version`, built from the project's own
 * migrations in an empty in-memory database: what an export of that version holds, so a file
 * is compared with what this code writes, never with a hand-written copy of it.
 */
const expected = new Map<number, SchemaEntry[]>();
export function archiveSchemaOf(version: number): SchemaEntry[] {
  let entries = expected.get(version);
  if (!entries) {
    const db = openStore(':memory:', migrations.filter((m) => m.version <= version));
    try {
      db.exec(ARCHIVE_TABLE_SQL);
      entries = describeSchema(db, 'main');
    } finally {
      db.close();
    }
    expected.set(version, entries);
  }
  return entries;
}

/** sqlite_master of `schema`: the listing alone, which compiles nothing. */
export function listSchema(db: Database.Database, schema: string): Omit<SchemaEntry, 'columns'>[] {
  return db.prepare(`SELECT type, name, tbl_name AS "table", sql FROM "${schema}".sqlite_master ORDER BY type, name`).all() as Omit<SchemaEntry, 'columns'>[];
}

/**
 * The listing with each table's columns. Columns are read only for entries that are tables
 * (a view's would be compiled from its query), so call it on a listing already checked.
 */
export function describeSchema(db: Database.Database, schema: string): SchemaEntry[] {
  return listSchema(db, schema).map((row) => ({
    ...row,
    columns: row.type === 'table'
      ? (db.prepare(`SELECT name, type, "notnull" AS not_null, pk FROM pragma_table_xinfo(?, ?) ORDER BY cid`).all(row.name, schema) as { name: string; type: string; not_null: number; pk: number }[])
        .map((c) => ({ name: c.name, type: c.type, notNull: c.not_null === 1, pk: c.pk }))
      : [],
  }));
}

/** Whitespace and identifier quotes aside, the statement that made an entry. */
const normalized = (sql: string | null) => (sql ?? '').replace(/["`[\]]/g, '').replace(/\s+/g, ' ').replace(/ ?([(),]) ?/g, '$1').trim();
const listed = (columns: SchemaColumn[]) => columns.map((c) => c.name).join(', ');
const article = (type: string) => (type === 'index' ? 'an' : 'a');

/**
 * What differs between a file's schema and the expected one, in words (empty when they are
 * the same): entries missing, added or of another kind, then each table's columns (names,
 * order, declared types, NOT NULL, key), then any other difference in their definitions.
 * Only the listing is compared before columns are read, so a view is never compiled.
 */
export function schemaDifferences(actual: readonly Omit<SchemaEntry, 'columns'>[], expectedEntries: readonly SchemaEntry[], version: number): string[] {
  const want = new Map(expectedEntries.map((e) => [e.name, e]));
  const have = new Map(actual.map((e) => [e.name, e]));
  const found: string[] = [];
  for (const entry of actual) {
    const other = want.get(entry.name);
    if (!other) found.push(`${article(entry.type)} ${entry.type} ${entry.name}${entry.type === 'trigger' || entry.type === 'index' ? ` on ${entry.table}` : ''} that schema ${version} does not have`);
    else if (other.type !== entry.type) found.push(`${entry.name} is ${article(entry.type)} ${entry.type}, where schema ${version} has ${article(other.type)} ${other.type}`);
    else if (other.table !== entry.table) found.push(`${entry.type} ${entry.name} is on ${entry.table}, not ${other.table}`);
  }
  for (const entry of expectedEntries) if (!have.has(entry.name)) found.push(`no ${entry.type} ${entry.name}`);
  return found;
}

/** The second step, once the listing matched: columns, then definitions. */
export function definitionDifferences(actual: readonly SchemaEntry[], expectedEntries: readonly SchemaEntry[], version: number): string[] {
  const want = new Map(expectedEntries.map((e) => [e.name, e]));
  const found: string[] = [];
  for (const entry of actual) {
    const other = want.get(entry.name);
    if (!other) continue;
    if (entry.type === 'table') {
      if (listed(entry.columns) !== listed(other.columns)) {
        found.push(`table ${entry.name} has columns (${listed(entry.columns)}), schema ${version} has (${listed(other.columns)})`);
        continue;
      }
      const columns = entry.columns.flatMap((c, i) => {
        const o = other.columns[i];
        if (c.type !== o.type) return [`${entry.name}.${c.name} is declared ${c.type || 'without a type'}, not ${o.type}`];
        if (c.notNull !== o.notNull) return [`${entry.name}.${c.name} is ${c.notNull ? '' : 'not '}NOT NULL, unlike schema ${version}`];
        if (c.pk !== o.pk) return [`${entry.name}.${c.name} is ${c.pk ? '' : 'not '}part of the primary key, unlike schema ${version}`];
        return [];
      });
      if (columns.length > 0) {
        found.push(...columns);
        continue;
      }
    }
    if (normalized(entry.sql) !== normalized(other.sql)) found.push(`${entry.type} ${entry.name} is defined otherwise than in schema ${version} (its constraints or options)`);
  }
  return found;
}
