// Fetches the Electron binary, which `npm install` skips on purpose (allowScripts) so that
// installs work on machines that reach only the npm registry.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const { version } = require('electron/package.json');
console.log(`Downloading the Electron ${version} binary (needs access to the Electron release downloads or ELECTRON_MIRROR)…`);
const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit' });
if (result.status !== 0) {
  console.error(
    `\nsetup:gui failed: the Electron ${version} binary could not be downloaded.\n` +
      'This machine probably cannot reach the Electron release downloads. Either run this on a machine that can,\n' +
      'set ELECTRON_MIRROR to a reachable mirror, or use the command line (`npx passk --help`) and the browser UI.\n',
  );
  process.exit(1);
}
console.log('Electron is ready: `npx electron-vite preview` opens the app.');
