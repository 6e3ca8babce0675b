import { availableParallelism } from 'node:os';
import type { EpChoice } from '../engine/execution-provider.ts';
import type { WorkerBackend } from './lease-runner.ts';
import { Slot } from './slot.ts';

/**
 * The onnx engine: `slots` slot threads that sample, score and verify, each with its own
 * onnxruntime session, plus a lane for verification alone, which is quick and keeps
 * verdicts coming while the slots sample.
 */
export function onnxBackend(options: { slots: number; ep: EpChoice; threads?: number; batch: number }): WorkerBackend {
  const threads = options.threads ?? Math.max(1, Math.floor(availableParallelism() / options.slots));
  return {
    ep: options.ep,
    slots: options.slots,
    server: null,
    lanes: (host) => [
      ...Array.from({ length: options.slots }, () => ({ kinds: ['sample' as const, 'score' as const, 'verify' as const], runner: new Slot({ ep: options.ep, threads, batch: options.batch }, host) })),
      { kinds: ['verify'], runner: new Slot({ ep: options.ep, threads: 1, batch: options.batch }, host) },
    ],
  };
}
