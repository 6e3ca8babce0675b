// The import rule (docs/architecture.md, "The import rule"), checked by dependency-cruiser in
// `npm test` (test/import-rule.test.ts) and by hand with `npm run lint:imports`.
//
//   bin → cli → coordinator | workers → node → core;  main → coordinator | node → core;
//   preload → core;  renderer → core (pure) only.
//
// Tests (*.test.ts) are not cruised: a unit test next to pure code may read its fixtures with
// node:fs. Paths are relative to the folder depcruise runs in (the repository root).

/** npm packages src/core may use: pure computation, no I/O of their own. */
const PURE_FOR_CORE = ['zod', '@cortex-js/compute-engine'];
/** npm packages the renderer may use: it runs in a browser page, not in Node. */
const BROWSER_FOR_RENDERER = ['react', 'react-dom', 'socket.io-client', 'zod'];

const pkg = (names) => `^node_modules/(${names.map((n) => n.replace(/[.]/g, '\\.')).join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-no-io',
      severity: 'error',
      comment: 'src/core is pure logic: no Node built-in (node:fs, node:child_process, …) and no package that does I/O. Put the I/O in src/node or the layer that owns it and pass the data in.',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-imports-only-core',
      severity: 'error',
      comment: `src/core imports only src/core and the pure packages ${PURE_FOR_CORE.join(', ')}; never a layer above it (src/node, coordinator, workers, cli, main, preload, renderer).`,
      from: { path: '^src/core/' },
      to: { dependencyTypesNot: ['core'], pathNot: [`^src/core/`, pkg(PURE_FOR_CORE)] },
    },
    {
      name: 'node-imports-only-core',
      severity: 'error',
      comment: 'src/node is the I/O shared by coordinator, workers and cli: it imports src/core and packages, never a layer above it.',
      from: { path: '^src/node/' },
      to: { path: '^(src/(coordinator|main|preload|renderer)|workers|cli|bin)/' },
    },
    {
      name: 'workers-not-coordinator',
      severity: 'error',
      comment: 'A worker talks to the coordinator only through src/core/protocol: never the coordinator, its SQLite store (better-sqlite3), the app or the cli.',
      from: { path: '^workers/' },
      to: { path: ['^(src/(coordinator|main|preload|renderer)|cli|bin)/', pkg(['better-sqlite3'])] },
    },
    {
      name: 'coordinator-not-workers',
      severity: 'error',
      comment: 'The coordinator and the workers are siblings joined by src/core/protocol; the coordinator never imports workers/, the cli or the app.',
      from: { path: '^src/coordinator/' },
      to: { path: '^(src/(main|preload|renderer)|workers|cli|bin)/' },
    },
    {
      name: 'renderer-only-core',
      severity: 'error',
      comment: `The renderer runs in a browser page: it imports its own files, src/core (pure) and ${BROWSER_FOR_RENDERER.join(', ')}; never Node, the store, the engine or Electron.`,
      from: { path: '^src/renderer/' },
      to: { pathNot: ['^src/renderer/', '^src/core/', pkg(BROWSER_FOR_RENDERER)] },
    },
    {
      name: 'preload-only-core',
      severity: 'error',
      comment: 'The preload script exposes a small typed bridge: it imports src/core and electron only.',
      from: { path: '^src/preload/' },
      to: { path: '^(src/(coordinator|main|node|renderer)|workers|cli|bin)/' },
    },
    {
      name: 'main-not-workers-or-renderer',
      severity: 'error',
      comment: 'Electron main composes the coordinator, src/node and src/core; workers run as their own processes and the renderer is a page.',
      from: { path: '^src/main/' },
      to: { path: '^(src/renderer|workers|cli|bin)/' },
    },
    {
      name: 'cli-not-app',
      severity: 'error',
      comment: 'The cli composes coordinator, workers, src/node and src/core; never the Electron app.',
      from: { path: '^cli/' },
      to: { path: '^src/(main|preload|renderer)/' },
    },
    {
      name: 'resolvable',
      severity: 'error',
      comment: 'Every import resolves: an import the cruiser cannot follow is an edge the rules above cannot see.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.tsx?$', '^(test|bench|tools|scripts)/'] },
    tsPreCompilationDeps: true,
    // The test links node_modules into a temporary tree; a link is judged by where it sits.
    preserveSymlinks: true,
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      exportsFields: ['exports'],
    },
  },
};
