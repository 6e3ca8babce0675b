#!/usr/bin/env node
// Runs the TypeScript CLI straight from source through tsx, so `npx passk` works right
// after `npm install` with no build step. `npm run build` also bundles it to out/cli.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main-bin.ts');
