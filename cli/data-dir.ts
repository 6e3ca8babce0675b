import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openStore, type Store } from '../src/coordinator/store/open-store.ts';
import { findRun, type Run } from '../src/coordinator/store/runs.ts';
import { defaultDataDir } from '../src/node/app-dirs.ts';
import { UsageError } from './command.ts';
import { str, type Values } from './options.ts';

export const DATA_DIR_OPTION = { 'data-dir': { type: 'string' } } as const;

/** The data directory's store: `--data-dir`, PASSK_DATA_DIR, else the platform's; `create` makes it for commands that add runs. */
export function openDataDir(values: Values, create = false): Store {
  const dir = resolve(str(values, 'data-dir') ?? defaultDataDir());
  const path = join(dir, 'passk.sqlite');
  if (!existsSync(path)) {
    if (!create) throw new UsageError(`${dir} holds no runs (no passk.sqlite there); pass --data-dir, or run or import something first`);
    mkdirSync(dir, { recursive: true });
  }
  return openStore(path);
}

/** A run by name or id, or a UsageError that says how to find the names. */
export function runNamed(db: Store, name: string | undefined): Run {
  if (!name) throw new UsageError('which run? give its name or id (passk runs list shows them)');
  const run = findRun(db, name);
  if (!run) throw new UsageError(`no run "${name}" in ${db.name} (passk runs list shows them)`);
  return run;
}
