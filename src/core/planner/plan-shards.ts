import type { ShardKind } from '../protocol/worker-protocol.ts';

/** A shard as the planner makes it: samples [start, end) of one (model, problem), to draw, verify or score. */
export interface PlannedShard {
  kind: ShardKind;
  modelId: string;
  /** For score shards: the model whose log-probabilities are taken; '' otherwise. */
  scorerId: string;
  problemId: string;
  start: number;
  end: number;
}

/**
 * The queue a run starts with: one sample shard per (model, problem) over [0, n). Shards are
 * cut to size when leased (`leaseSize`), so the first plan needs no throughput it cannot know.
 */
export function planSampleShards(modelIds: readonly string[], problemIds: readonly string[], n: number): PlannedShard[] {
  return modelIds.flatMap((modelId) => problemIds.map((problemId) => ({ kind: 'sample' as const, modelId, scorerId: '', problemId, start: 0, end: n })));
}

/**
 * What follows a finished sample shard: verifying the same samples (pipelined, so verdicts
 * arrive while sampling goes on) and scoring them under each model the spec pairs them with.
 */
export function followUpShards(done: PlannedShard, scoring: readonly { answers: string; under: string }[]): PlannedShard[] {
  const range = { modelId: done.modelId, problemId: done.problemId, start: done.start, end: done.end };
  return [
    { kind: 'verify', scorerId: '', ...range },
    ...scoring.filter((pair) => pair.answers === done.modelId).map((pair) => ({ kind: 'score' as const, scorerId: pair.under, ...range })),
  ];
}

/** How long a lease should keep its worker busy: long enough to amortize the round trip, short enough that a lost worker costs little. */
export const TARGET_LEASE_SECONDS = 60;
/** Samples in a first lease, before the worker's speed on the model is known. */
export const PROBE_SAMPLES = 16;

/**
 * Samples to lease from a queued sample shard of `available` samples: the spec's fixed size
 * when it has one, else what this worker draws of this model in TARGET_LEASE_SECONDS, else a
 * probe. (Verify and score shards are leased whole: they follow a sample shard's size.)
 */
export function sampleLeaseSize(available: number, fixed: number | undefined, samplesPerSecond: number | null): number {
  const wanted = fixed ?? (samplesPerSecond === null ? PROBE_SAMPLES : Math.round(samplesPerSecond * TARGET_LEASE_SECONDS));
  return Math.max(1, Math.min(available, wanted));
}

/** Exponentially weighted rate, so one slow lease (a model load) does not set a worker's speed. */
export function updateRate(previous: number | null, samples: number, seconds: number): number | null {
  if (!(seconds > 0) || samples <= 0) return previous;
  const rate = samples / seconds;
  return previous === null ? rate : 0.5 * previous + 0.5 * rate;
}

/** Seconds left from the work left and the summed speed of the workers on it; null when no speed is known yet. */
export function estimateSeconds(remainingSamples: number, samplesPerSecond: number): number | null {
  if (remainingSamples <= 0) return 0;
  return samplesPerSecond > 0 ? remainingSamples / samplesPerSecond : null;
}

/** `count` items spread evenly over the list (every level of a sorted benchmark), in order. */
export function spreadSubset<T>(items: readonly T[], count: number): T[] {
  if (count <= 0 || count >= items.length) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]);
}
