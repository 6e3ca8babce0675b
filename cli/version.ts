import { readFileSync } from 'node:fs';

// Set by esbuild in the bundled CLI and worker package (cli/bundle.ts).
declare const PASSK_VERSION: string | undefined;

/** The version of this PassK Lab, which workers announce and the coordinator checks and shows. */
export const VERSION: string = typeof PASSK_VERSION === 'string'
  ? PASSK_VERSION
  : (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
