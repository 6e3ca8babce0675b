import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../open-store.ts';
import { migrations } from './index.ts';

const tables = (db: Database.Database) =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);

describe('migration 1: initial schema', () => {
  it('creates every table of schema v1 and records the version', () => {
    const db = new Database(':memory:');
    expect(migrate(db, migrations.slice(0, 1))).toBe(1);
    expect(tables(db)).toEqual(['models', 'problems', 'runs', 'samples', 'shards', 'verdicts', 'workers']);
    const sampleKey = (db.prepare(`SELECT name FROM pragma_table_info('samples') WHERE pk > 0 ORDER BY pk`).all() as { name: string }[]).map((r) => r.name);
    expect(sampleKey).toEqual(['run_id', 'model_id', 'problem_id', 'sample_index']);
  });

  it('is applied once: migrating again changes nothing', () => {
    const db = new Database(':memory:');
    migrate(db);
    const schema = db.prepare('SELECT sql FROM sqlite_master ORDER BY name').all();
    expect(migrate(db)).toBe(migrations.at(-1)!.version);
    expect(db.prepare('SELECT sql FROM sqlite_master ORDER BY name').all()).toEqual(schema);
  });

  it('refuses a store written by a newer PassK Lab', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 99');
    expect(() => migrate(db)).toThrow(/schema version 99, newer than this PassK Lab knows/);
  });
});
