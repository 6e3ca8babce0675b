import type { BuildOptions } from 'esbuild';
import { VERSION } from './version.ts';

/**
 * How both bundles of the CLI are built (scripts/build-cli.ts: all of `passk`, for the
 * packaged app and GPU machines; cli/worker-package.ts: the worker commands a lab machine
 * installs). Threads are entries of their own: workers/worker/slot.ts and
 * workers/serve/serve-engine.ts start them by file name. Code splitting keeps each command's imports lazy, as they are from source.
 */
export function bundleOptions(entry: string, outdir: string, root: string, options: { external: string[] | 'packages'; banner?: string }): BuildOptions {
  return {
    entryPoints: { passk: `${root}/${entry}`, 'slot-thread': `${root}/workers/worker/slot-thread.ts`, 'serve-thread': `${root}/workers/serve/engine-thread.ts` },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    ...(options.external === 'packages' ? { packages: 'external' as const } : { external: options.external }),
    define: { PASSK_VERSION: JSON.stringify(VERSION) },
    banner: { js: `#!/usr/bin/env node${options.banner ? `\n${options.banner}` : ''}` },
    logLevel: 'warning',
  };
}
