// Bundles the `passk` CLI into out/cli/passk.mjs (dependencies stay external), so a
// packaged app or a GPU machine can run it without tsx.
import { build } from 'esbuild';
import { bundleOptions } from '../cli/bundle.ts';

await build(bundleOptions('cli/main-bin.ts', 'out/cli', process.cwd(), { external: 'packages' }));
console.log('built out/cli/passk.mjs');
