// Builds better-sqlite3's addon for Electron's ABI into out/native/better_sqlite3.node,
// beside (not over) the Node build in node_modules that the CLI and the tests use: the
// app's main process opens its store with `nativeBinding` pointing here, so one checkout
// keeps both builds. Needs a C++ toolchain and the Electron headers (downloaded from
// electronjs.org, or ELECTRON_HEADERS_URL); run before `electron-builder` and before
// opening the app in development.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const { version: electron } = require('electron/package.json');
const source = dirname(require.resolve('better-sqlite3/package.json'));
const work = mkdtempSync(join(tmpdir(), 'passk-sqlite-electron-'));
cpSync(source, work, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) });
const headers = process.env.ELECTRON_HEADERS_URL ?? 'https://electronjs.org/headers';
console.log(`Building better-sqlite3 for Electron ${electron} (headers from ${headers})…`);
const gyp = spawnSync(process.execPath, [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', '--release', `--target=${electron}`, '--runtime=electron', `--dist-url=${headers}`], { cwd: work, stdio: 'inherit' });
if (gyp.status !== 0) {
  console.error(`\nbuild:electron-sqlite failed. It needs a C++ toolchain (build-essential, python3) and the Electron ${electron} headers from ${headers};\n`
    + 'on a machine without that access set ELECTRON_HEADERS_URL to a mirror, or build on one that has it and copy out/native/better_sqlite3.node.');
  process.exit(1);
}
mkdirSync('out/native', { recursive: true });
copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), join('out', 'native', 'better_sqlite3.node'));
console.log('wrote out/native/better_sqlite3.node');
