import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The import rule (docs/architecture.md, "The import rule") as dependency-cruiser checks it,
// with the rules in .dependency-cruiser.cjs.
const ROOT = process.cwd();
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation { from: string; to: string; rule: { name: string } }
interface CruiseResult { summary: { violations: Violation[]; totalCruised: number } }

/** Runs depcruise in `cwd` over `paths`; returns its violations as "rule: from → to" lines. */
function cruise(cwd: string, paths: string[]): { violations: string[]; cruised: number } {
  const r = spawnSync(process.execPath, [DEPCRUISE, '--config', CONFIG, '--output-type', 'json', ...paths], { cwd, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.stdout.trim() === '') throw new Error(`depcruise printed nothing (exit ${r.status}): ${r.stderr}`);
  const result = JSON.parse(r.stdout) as CruiseResult;
  return {
    violations: result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`),
    cruised: result.summary.totalCruised,
  };
}

describe('the import rule', () => {
  it('holds for src, workers, cli and bin', () => {
    const r = cruise(ROOT, ['src', 'workers', 'cli', 'bin']);
    // Every violation is listed here, with the rule it breaks (its reason is in .dependency-cruiser.cjs).
    expect(r.violations).toEqual([]);
    expect(r.cruised).toBeGreaterThan(250);
  }, 60_000);

  describe('fails on a tree that breaks it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'passk-import-rule-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };

    it('names each broken rule, file and import', () => {
      // Packages resolve from the project's node_modules, as they would in the repository.
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
      write('src/coordinator/store/db.ts', 'export const db = 1;\n');
      write('src/core/pure.ts', 'export const pure = 1;\n');
      write('src/core/bad.ts', "import { readFileSync } from 'node:fs';\nimport { db } from '../coordinator/store/db.ts';\nimport { pure } from './pure.ts';\nimport { z } from 'zod';\nexport const bad = [readFileSync, db, pure, z];\n");
      write('src/node/bad.ts', "import { worker } from '../../workers/bad.ts';\nexport const node = worker;\n");
      write('workers/bad.ts', "import { db } from '../src/coordinator/store/db.ts';\nimport { pure } from '../src/core/pure.ts';\nexport const worker = [db, pure];\n");
      write('src/coordinator/bad.ts', "import { worker } from '../../workers/bad.ts';\nexport const coordinator = worker;\n");
      write('src/renderer/bad.ts', "import { join } from 'node:path';\nimport { node } from '../node/bad.ts';\nimport { pure } from '../core/pure.ts';\nexport const page = [join, node, pure];\n");
      write('src/preload/bad.ts', "import { db } from '../coordinator/store/db.ts';\nexport const bridge = db;\n");
      write('src/main/bad.ts', "import { page } from '../renderer/bad.ts';\nexport const main = page;\n");
      write('cli/bad.ts', "import { main } from '../src/main/bad.ts';\nimport { gone } from './gone.ts';\nexport const cli = [main, gone];\n");
      // A test file may read fixtures: tests are not cruised.
      write('src/core/bad.test.ts', "import { readFileSync } from 'node:fs';\nexport const fixture = readFileSync;\n");

      const r = cruise(dir, ['src', 'workers', 'cli']);
      expect(r.violations.sort()).toEqual([
        'cli-not-app: cli/bad.ts → src/main/bad.ts',
        'coordinator-not-workers: src/coordinator/bad.ts → workers/bad.ts',
        'core-imports-only-core: src/core/bad.ts → src/coordinator/store/db.ts',
        'core-no-io: src/core/bad.ts → fs',
        'main-not-workers-or-renderer: src/main/bad.ts → src/renderer/bad.ts',
        'node-imports-only-core: src/node/bad.ts → workers/bad.ts',
        'preload-only-core: src/preload/bad.ts → src/coordinator/store/db.ts',
        'renderer-only-core: src/renderer/bad.ts → path',
        'renderer-only-core: src/renderer/bad.ts → src/node/bad.ts',
        'resolvable: cli/bad.ts → ./gone.ts',
        'workers-not-coordinator: workers/bad.ts → src/coordinator/store/db.ts',
      ]);
    }, 60_000);
  });
});
