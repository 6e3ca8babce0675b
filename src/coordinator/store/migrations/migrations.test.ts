import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, openStore } from '../open-store.ts';
import { migrations } from './index.ts';
import { diversityRows, recordSamples, recordVerdicts } from '../samples.ts';
import { RUN_STATUSES } from '../../../core/protocol/ui-protocol.ts';
import { SHARD_KINDS } from '../../../core/protocol/worker-protocol.ts';
import { ROLES } from '../../../core/roles.ts';

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

describe('migration 2: distributed runs', () => {
  const v1Store = () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 1));
    db.exec(`INSERT INTO runs (id, name, spec, seed, status, created_at, finished_at) VALUES ('old', 'old run', '{"n":2}', '5', 'done', 10, 20);
      INSERT INTO models (run_id, id, role, name, sha256, settings) VALUES ('old', 'm', 'rl', 'M', NULL, '{"temperature":0.6}');
      INSERT INTO problems (run_id, id, benchmark, text, gold) VALUES ('old', 'p', 'b', 't', '"1"');
      INSERT INTO samples (run_id, model_id, problem_id, sample_index, text, tokens, finish, logprob, worker_id, created_at) VALUES ('old', 'm', 'p', 0, 'x', 1, 'stop', -1, NULL, 11);
      INSERT INTO verdicts (run_id, model_id, problem_id, sample_index, correct, extracted, reason, verifier, created_at) VALUES ('old', 'm', 'p', 0, 1, '1', 'eq', 'math', 12);`);
    return db;
  };

  it('keeps a v1 run whole: its run, model, problem, sample and verdict survive the rebuilt tables', () => {
    const db = v1Store();
    db.pragma('foreign_keys = ON');
    expect(migrate(db, migrations.slice(0, 2))).toBe(2);
    expect(db.prepare('SELECT id, name, status, created_at, finished_at, verifier FROM runs').all()).toEqual([{ id: 'old', name: 'old run', status: 'done', created_at: 10, finished_at: 20, verifier: 'math' }]);
    expect(db.prepare('SELECT id, role, name, settings FROM models').all()).toEqual([{ id: 'm', role: 'rl', name: 'M', settings: '{"temperature":0.6}' }]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM samples JOIN verdicts USING (run_id, model_id, problem_id, sample_index)').get()).toEqual({ n: 1 });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // Deleting the run still cascades through the rebuilt tables.
    db.prepare(`DELETE FROM runs WHERE id = 'old'`).run();
    expect(db.prepare('SELECT (SELECT COUNT(*) FROM samples) + (SELECT COUNT(*) FROM verdicts) + (SELECT COUNT(*) FROM models) AS n').get()).toEqual({ n: 0 });
  });

  it('checks roles, run statuses and shard kinds against the lists in src/core, and nothing else', () => {
    const db = new Database(':memory:');
    migrate(db);
    const accepts = (sql: string, ...values: unknown[]) => {
      try {
        db.prepare(sql).run(...values);
        return true;
      } catch {
        return false;
      }
    };
    for (const status of RUN_STATUSES) expect(accepts(`INSERT INTO runs (id, name, spec, seed, status, created_at) VALUES (?, ?, '{}', '0', ?, 0)`, status, status, status)).toBe(true);
    expect(accepts(`INSERT INTO runs (id, name, spec, seed, status, created_at) VALUES ('x', 'x', '{}', '0', 'sleeping', 0)`)).toBe(false);
    for (const role of ROLES) expect(accepts(`INSERT INTO models (run_id, id, role, name) VALUES ('done', ?, ?, 'n')`, role, role)).toBe(true);
    expect(accepts(`INSERT INTO models (run_id, id, role, name) VALUES ('done', 'judge', 'judge', 'n')`)).toBe(false);
    db.exec(`INSERT INTO problems (run_id, id, benchmark, text, gold) VALUES ('done', 'p', 'b', 't', '"1"')`);
    for (const kind of SHARD_KINDS) expect(accepts(`INSERT INTO shards (run_id, kind, model_id, problem_id, start, end) VALUES ('done', ?, 'base', 'p', 0, 1)`, kind)).toBe(true);
    expect(accepts(`INSERT INTO shards (run_id, kind, model_id, problem_id, start, end) VALUES ('done', 'train', 'base', 'p', 0, 1)`)).toBe(false);
  });
});

describe('migration 3: archive and analysis', () => {
  it('keeps every sample through the rebuilt table, and lets imported samples leave token data unknown', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 2));
    db.exec(`INSERT INTO runs (id, name, spec, seed, created_at) VALUES ('r', 'r', '{}', '0', 1);
      INSERT INTO models (run_id, id, role, name) VALUES ('r', 'm', 'base', 'm');
      INSERT INTO problems (run_id, id, benchmark, text, gold) VALUES ('r', 'p', 'b', 't', '"1"');
      INSERT INTO samples (run_id, model_id, problem_id, sample_index, text, tokens, finish, logprob, worker_id, ep, created_at) VALUES ('r', 'm', 'p', 0, 'x', 3, 'stop', -1.5, 'w', 'cpu', 2);
      INSERT INTO verdicts (run_id, model_id, problem_id, sample_index, correct, extracted, reason, verifier, created_at) VALUES ('r', 'm', 'p', 0, 1, '1', 'eq', 'math', 3);`);
    db.pragma('foreign_keys = ON');
    expect(migrate(db, migrations.slice(0, 3))).toBe(3);
    expect(db.prepare('SELECT text, tokens, finish, logprob, worker_id, ep FROM samples').get()).toEqual({ text: 'x', tokens: 3, finish: 'stop', logprob: -1.5, worker_id: 'w', ep: 'cpu' });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.exec(`INSERT INTO samples (run_id, model_id, problem_id, sample_index, text, created_at) VALUES ('r', 'm', 'p', 1, 'imported', 4)`);
    expect(db.prepare('SELECT tokens, finish, logprob FROM samples WHERE sample_index = 1').get()).toEqual({ tokens: null, finish: null, logprob: null });
    expect(db.prepare(`SELECT origin, samples_digest FROM runs`).get()).toEqual({ origin: '{"tool":"passk"}', samples_digest: null });
    // Labels belong to samples, and only three words are labels.
    db.exec(`INSERT INTO labels (run_id, model_id, problem_id, sample_index, label, note, updated_at) VALUES ('r', 'm', 'p', 0, 'valid', 'checked', 5)`);
    expect(() => db.exec(`INSERT INTO labels (run_id, model_id, problem_id, sample_index, label, updated_at) VALUES ('r', 'm', 'p', 1, 'maybe', 5)`)).toThrow(/CHECK/);
    expect(() => db.exec(`INSERT INTO labels (run_id, model_id, problem_id, sample_index, label, updated_at) VALUES ('r', 'm', 'p', 9, 'valid', 5)`)).toThrow(/FOREIGN KEY/);
    expect(() => db.exec(`INSERT INTO problem_counts (run_id, model_id, problem_id, n, c) VALUES ('r', 'm', 'p', 4, 5)`)).toThrow(/CHECK/);
    db.prepare(`DELETE FROM runs`).run();
    expect(db.prepare('SELECT (SELECT COUNT(*) FROM samples) + (SELECT COUNT(*) FROM labels) + (SELECT COUNT(*) FROM verdicts) AS n').get()).toEqual({ n: 0 });
  });
});

describe('migration 4: served models', () => {
  it('keeps v2 models as onnx-engine models, and a sample source goes with its run', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 3));
    db.exec(`INSERT INTO runs (id, name, spec, seed, created_at) VALUES ('r', 'r', '{}', '0', 1);
      INSERT INTO models (run_id, id, role, name) VALUES ('r', 'm', 'base', 'M');`);
    db.pragma('foreign_keys = ON');
    expect(migrate(db, migrations.slice(0, 4))).toBe(4);
    expect(db.prepare('SELECT served FROM models').get()).toEqual({ served: null });
    db.prepare(`INSERT INTO sample_sources (run_id, model_id, worker_id, source, samples, first_at, last_at) VALUES ('r', 'm', 'w', '{"model":"x"}', 4, 1, 1)`).run();
    expect(() => db.prepare(`INSERT INTO sample_sources (run_id, model_id, worker_id, source, first_at, last_at) VALUES ('r', 'nope', 'w', '{}', 1, 1)`).run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(`UPDATE models SET served = 'not json'`).run()).toThrow(/CHECK/);
    db.prepare(`DELETE FROM runs WHERE id = 'r'`).run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM sample_sources').get()).toEqual({ n: 0 });
  });
});

describe('migration 5: chain index', () => {
  it('counts chains from the index, hashing samples stored before hashes existed, and counts a text once', () => {
    const db = openStore(':memory:', migrations.slice(0, 2));
    db.exec(`INSERT INTO runs (id, name, spec, seed, created_at) VALUES ('r', 'r', '{}', '0', 1);
      INSERT INTO models (run_id, id, role, name) VALUES ('r', 'm', 'base', 'm');
      INSERT INTO problems (run_id, id, benchmark, text, gold) VALUES ('r', 'p', 'b', 't', '"1"'), ('r', 'q', 'b', 't', '"1"');
      INSERT INTO samples (run_id, model_id, problem_id, sample_index, text, tokens, finish, logprob, worker_id, ep, created_at) VALUES
        ('r', 'm', 'p', 0, 'same', 3, 'stop', -1, 'w', 'cpu', 2), ('r', 'm', 'p', 1, 'other', 3, 'stop', -1, 'w', 'cpu', 2);`);
    expect(migrate(db)).toBe(migrations.at(-1)!.version);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM samples WHERE text_hash IS NULL`).get()).toEqual({ n: 2 });
    // A run stored under v2 and finished under v5: two old samples without hashes, new ones with.
    recordSamples(db, [2, 3].map((i) => ({ runId: 'r', modelId: 'm', problemId: 'p', sampleIndex: i, text: i === 2 ? 'same' : 'new', tokens: 1, finish: 'stop', logprob: -1, workerId: 'w', ep: 'cpu' })), 5);
    recordSamples(db, [0, 1].map((i) => ({ runId: 'r', modelId: 'm', problemId: 'q', sampleIndex: i, text: 'q', tokens: 1, finish: 'stop', logprob: -1, workerId: 'w', ep: 'cpu' })), 5);
    recordVerdicts(db, [0, 1, 2].map((i) => ({ runId: 'r', modelId: 'm', problemId: 'p', sampleIndex: i, correct: true, extracted: i === 1 ? '2' : '1', reason: 'eq', verifier: 'math' as const })), 6);
    const rows = diversityRows(db, 'r').sort((a, b) => a.problem.localeCompare(b.problem));
    expect(rows).toEqual([
      { model: 'm', problem: 'p', samples: 4, answers: 2, chains: 3 },
      { model: 'm', problem: 'q', samples: 2, answers: 0, chains: 1 },
    ]);
    expect(db.prepare(`EXPLAIN QUERY PLAN SELECT COUNT(*) FROM samples WHERE run_id = 'r'`).all()).toEqual([expect.objectContaining({ detail: expect.stringContaining('COVERING INDEX samples_chains') })]);
  });
});

describe('migration 6: trust', () => {
  it('keeps older rows (their worker and lease unknown) and records the worker and lease of new ones', () => {
    const db = openStore(':memory:', migrations.slice(0, 5));
    db.exec(`INSERT INTO runs (id, name, spec, seed, created_at) VALUES ('r', 'r', '{}', '0', 1);
      INSERT INTO models (run_id, id, role, name) VALUES ('r', 'm', 'base', 'm');
      INSERT INTO problems (run_id, id, benchmark, text, gold) VALUES ('r', 'p', 'b', 't', '"1"');
      INSERT INTO workers (id, name, first_seen, last_seen) VALUES ('old', 'old', 1, 1);
      INSERT INTO samples (run_id, model_id, problem_id, sample_index, text, tokens, finish, logprob, worker_id, ep, created_at) VALUES ('r', 'm', 'p', 0, 'a', 1, 'stop', -1, 'old', 'cpu', 2);`);
    expect(migrate(db)).toBe(6);
    expect(tables(db)).toEqual(expect.arrayContaining(['run_events', 'quarantines']));
    expect(db.prepare('SELECT worker_id, lease_id FROM samples').get()).toEqual({ worker_id: 'old', lease_id: null });
    expect(db.prepare('SELECT secret_hash FROM workers').get()).toEqual({ secret_hash: null });
    recordSamples(db, [{ runId: 'r', modelId: 'm', problemId: 'p', sampleIndex: 1, text: 'b', tokens: 1, finish: 'stop', logprob: -1, workerId: 'w', leaseId: 7, ep: 'cpu' }], 3);
    recordVerdicts(db, [{ runId: 'r', modelId: 'm', problemId: 'p', sampleIndex: 1, correct: false, extracted: null, reason: 'x', verifier: 'math', workerId: 'w', leaseId: 7, judge: 'coordinator' }], 3);
    expect(db.prepare('SELECT worker_id, lease_id, judge FROM verdicts').get()).toEqual({ worker_id: 'w', lease_id: 7, judge: 'coordinator' });
    expect(() => db.exec(`INSERT INTO run_events (run_id, at, kind) VALUES ('r', 1, 'gossip')`)).toThrow(/CHECK constraint/);
    db.exec(`DELETE FROM runs WHERE id = 'r'`);
    expect(db.prepare('SELECT COUNT(*) AS n FROM samples').get()).toEqual({ n: 0 });
  });
});
