// Bundles the `passk` CLI into out/cli/passk.mjs (dependencies stay external), so a
// packaged app or a GPU machine can run it without tsx.
import { build } from 'esbuild';

await build({
  entryPoints: ['cli/main-bin.ts'],
  outfile: 'out/cli/passk.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
console.log('built out/cli/passk.mjs');
