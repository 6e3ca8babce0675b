import Database from 'better-sqlite3';
import { migrations, type Migration } from './migrations/index.ts';

/**
 * A migrated database. The brand keeps a raw connection that skipped `openStore` (and so
 * its migrations and pragmas) out of the store functions.
 */
export type Store = Database.Database & { readonly __store: unique symbol };

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A prepared statement, compiled once per connection and reused: preparing is most of the
 * cost of the small queries the scheduler runs for every lease.
 */
export function sql(db: Store, text: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(text);
  if (!statement) cache.set(text, (statement = db.prepare(text)));
  return statement;
}

/** Opens (creating if needed) the store at `path`, or a fresh in-memory one for ':memory:'. */
/**
 * 16 KB pages: a sample of a few KB of text fits in a page of the samples b-tree instead of
 * spilling into overflow pages (with 4 KB pages a 2 KB row takes a page and a half of disk),
 * which halves the store's size and the time to export and import it. Only a new file can
 * take it; older stores keep their page size.
 */
const PAGE_SIZE = 16_384;

export function openStore(path: string, list: readonly Migration[] = migrations, nativeBinding?: string): Store {
  const db = new Database(path, nativeBinding === undefined ? {} : { nativeBinding });
  if ((db.pragma('page_count', { simple: true }) as number) === 0) db.pragma(`page_size = ${PAGE_SIZE}`);
  if (path !== ':memory:') {
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives the
    // process being killed (what the fault tests do), and a power cut can lose only the last
    // commits, all together — a shard's results and its completion roll back as one, and
    // the shard is leased and drawn again, the same samples. FULL would fsync every batch.
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, list);
  return db as Store;
}

/**
 * Applies the migrations newer than `user_version`, each in its own transaction. Foreign
 * keys are off meanwhile (SQLite ignores the pragma inside a transaction): a migration that
 * rebuilds a table drops the old one, which with them on would cascade into its children.
 * Each migration must leave every reference intact, which foreign_key_check then proves.
 */
export function migrate(db: Database.Database, list: readonly Migration[] = migrations): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const newest = list.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new Error(`${db.name}: the store is at schema version ${current}, newer than this PassK Lab knows (${newest}); update PassK Lab to open it`);
  }
  const pending = list.filter((m) => m.version > current);
  if (pending.length === 0) return current;
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    for (const migration of pending) {
      db.transaction(() => {
        db.exec(migration.sql);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new Error(`${db.name}: migration ${migration.version} (${migration.name}) would break ${broken.length} references`);
        db.pragma(`user_version = ${migration.version}`);
      })();
    }
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
  return db.pragma('user_version', { simple: true }) as number;
}
