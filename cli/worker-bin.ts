// The worker package's entry (cli/worker-package.ts bundles it): only what a lab machine
// runs, so it needs neither SQLite nor the coordinator.
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2), {
  worker: async () => (await import('./worker.ts')).workerCommand,
  sample: async () => (await import('./sample.ts')).sampleCommand,
  verify: async () => (await import('./verify.ts')).verify,
});
