// Bundles the `passk` CLI into out/cli/passk.mjs (dependencies stay external), so a
// packaged app or a GPU machine can run it without tsx. Code splitting keeps each command's
// imports lazy, as they are from source: `passk stats` never loads onnxruntime.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
await build({
  // Threads are entries of their own: workers/worker/slot.ts and workers/serve/serve-engine.ts start them by file name.
  entryPoints: { passk: 'cli/main-bin.ts', 'slot-thread': 'workers/worker/slot-thread.ts', 'serve-thread': 'workers/serve/engine-thread.ts' },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  define: { PASSK_VERSION: JSON.stringify(version) },
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
console.log('built out/cli/passk.mjs');
