import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The bundled model engine tests run on: resources/models/<name>, committed with the
 * repository. PASSK_TEST_MODEL overrides it (e.g. a freshly exported folder).
 */
export function testModelDir(name = 'base'): string | null {
  const override = process.env.PASSK_TEST_MODEL;
  if (override) return override;
  const dir = join(REPO_ROOT, 'resources', 'models', name);
  return existsSync(join(dir, 'config.json')) ? dir : null;
}
