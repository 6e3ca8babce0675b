import type { Command } from './command.ts';

/** Every subcommand, loaded lazily so `passk stats` never loads onnxruntime. */
export const commands: Record<string, () => Promise<Command>> = {
  stats: async () => (await import('./stats.ts')).stats,
  datasets: async () => (await import('./datasets.ts')).datasets,
  verify: async () => (await import('./verify.ts')).verify,
  sample: async () => (await import('./sample.ts')).sampleCommand,
  score: async () => (await import('./score.ts')).scoreCommand,
  run: async () => (await import('./run.ts')).runCommand,
  coordinator: async () => (await import('./coordinator.ts')).coordinatorCommand,
  worker: async () => (await import('./worker.ts')).workerCommand,
  runs: async () => (await import('./runs.ts')).runsCommand,
  report: async () => (await import('./report.ts')).reportCommand,
  import: async () => (await import('./import.ts')).importCommand,
  label: async () => (await import('./label.ts')).labelCommand,
  serve: async () => (await import('./serve.ts')).serveCommand,
  slurm: async () => (await import('./slurm.ts')).slurmCommand,
};
