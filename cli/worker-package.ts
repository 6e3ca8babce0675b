import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleOptions } from './bundle.ts';
import { VERSION } from './version.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** onnxruntime-node is the one dependency left out of the bundle (it carries native libraries), pinned as this project pins it. */
const ortVersion = () => (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['onnxruntime-node'];

let built: Promise<string> | null = null;

/**
 * The worker program as an npm tarball, built once per process from this checkout: the
 * worker commands bundled with their pure-JavaScript dependencies by esbuild, plus
 * onnxruntime-node as its only dependency. `npm exec --package=URL/worker.tgz -- passk
 * worker …` on a machine with only Node and npm installs and runs it; `--ignore-scripts`
 * in the join command keeps onnxruntime-node's postinstall from fetching CUDA libraries
 * (the CPU build ships inside the package; `passk setup:cuda` is separate).
 */
export function workerPackage(): Promise<string> {
  built ??= buildWorkerPackage();
  return built;
}

async function buildWorkerPackage(): Promise<string> {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'passk-worker-package-'));
  const pkg = join(dir, 'package');
  // Bundled CommonJS dependencies call require(); give the ESM bundle one.
  await build({
    ...bundleOptions('cli/worker-bin.ts', join(pkg, 'bin'), ROOT, {
      external: ['onnxruntime-node'],
      banner: "import { createRequire as __passkRequire } from 'node:module'; const require = __passkRequire(import.meta.url);",
    }),
    logLevel: 'error',
  });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({
    name: 'passk-lab-worker', version: VERSION, description: 'PassK Lab worker: joins a coordinator and samples, verifies and scores',
    license: 'MIT', type: 'module', bin: { passk: 'bin/passk.mjs' }, engines: { node: '>=20.19.0' },
    dependencies: { 'onnxruntime-node': ortVersion() },
  }, null, 2) + '\n');
  const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: pkg, encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr.trim() || packed.error?.message}`);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball in ${dir}`);
  return join(dir, tarball);
}
