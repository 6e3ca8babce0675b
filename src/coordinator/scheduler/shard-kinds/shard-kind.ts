import type { PlannedShard } from '../../../core/planner/plan-shards.ts';
import type { ParsedRequestOf } from '../../../core/protocol/requests.ts';
import type { Capabilities, LeaseOfKind, ResultsRequest, ShardKind, WorkerRequests } from '../../../core/protocol/worker-protocol.ts';
import type { Result } from '../../../core/result.ts';
import type { ExperimentSpec } from '../../../core/spec/experiment-spec.ts';
import type { RunModel } from '../../store/models.ts';
import type { Store } from '../../store/open-store.ts';
import type { RunProblem } from '../../store/problems.ts';
import type { Run } from '../../store/runs.ts';
import type { ShardRow } from '../../store/shards.ts';
import type { RunMeter } from '../run-meter.ts';
import type { JudgeBudget } from './judge-again.ts';

/** The parts of a run's spec that scheduling reads. */
export type SchedulingSpec = Pick<ExperimentSpec, 'scoring' | 'shardSize'>;

/** What every lease carries whatever its kind (worker-protocol.ts's leaseBase). */
export interface LeaseBase {
  leaseId: number;
  shardId: number;
  runId: string;
  start: number;
  end: number;
  problem: { id: string; text: string };
  ttlMs: number;
}

/** What the coordinator has seen a worker do, beyond what its hello claims. */
export interface WorkerProofs {
  /** Its code sandbox judged a probe right: a right completion correct and a wrong one wrong (code-probe.ts). */
  codeSandbox: boolean;
}

/** A shard's key without its range: which (run, kind, model, scorer, problem) it is of. */
export type ShardKey = Pick<ShardRow, 'runId' | 'kind' | 'modelId' | 'scorerId' | 'problemId'>;
/** The models a shard names: the one sampled, and the scorer ('' but for score shards). */
export type ShardModels = Pick<ShardRow, 'modelId' | 'scorerId'>;

/** What building a lease may read: the run, its models, the shard's problem, and the store (for sample texts). */
export interface LeaseSource {
  db: Store;
  run: Run;
  models: readonly RunModel[];
  /** The model sampled (shard.modelId), found in the run. */
  model: RunModel;
  problem: RunProblem;
  shard: ShardRow;
  base: LeaseBase;
}

/** What storing a results batch may use; the lease was checked to be this worker's and of this kind, its indices inside it. */
export interface ResultsTarget {
  db: Store;
  now: number;
  workerId: string;
  /** The lease the batch came under: every row records it and its worker. */
  leaseId: number;
  /** The batch held results the coordinator found false (a worker's verdict unlike its own): the worker is quarantined in the run. */
  distrust(reason: string, count: number): void;
  /** How much of the coordinator's time re-judging math may take (judge-again.ts). */
  judgeBudget: JudgeBudget;
  run: Run;
  shard: ShardRow;
  models: readonly RunModel[];
  meter: RunMeter;
}

/**
 * One kind of shard as the coordinator knows it, in one place: which model it runs on, who
 * may run it, how big a lease of it is, what it queues when done, the lease a worker gets,
 * the results request that answers it, how those are stored and how missing ones are
 * counted. The scheduler, build-lease.ts and worker-handlers.ts dispatch through the table
 * in index.ts and never name a kind.
 */
export interface ShardKindModule<K extends ShardKind = ShardKind, R extends ResultsRequest = ResultsRequest> {
  kind: K;
  /**
   * Which pool of a worker's leases it takes: `model` kinds share the worker's model slots
   * (capabilities.slots, one loaded model each); `light` kinds (no model) get one more lease
   * beside them, so verdicts keep coming while every slot samples.
   */
  slot: 'model' | 'light';
  /** The run model (id) its shard runs on, whose sha256 the worker loads; null for a `light` kind. */
  engineOf(shard: ShardModels): string | null;
  /**
   * Whether this worker can run the run's shards of this kind; `engine` is the model engineOf
   * names (null when none); `proofs`, what the coordinator has seen the worker do (none: nothing).
   */
  workerCan(caps: Capabilities, run: Run, engine: RunModel | null, proofs?: WorkerProofs): boolean;
  /** Samples to lease from a queued shard of `available`, given the worker's speed on its engine (samples/s) when known. */
  leaseSize(available: number, spec: SchedulingSpec, samplesPerSecond: number | null): number;
  /** Whether a finished lease of it measures the worker's speed on its engine (what sizes the next sample leases). */
  measuresSpeed: boolean;
  /** Shards to queue once one of this kind is done. */
  followUps(done: ShardRow, spec: SchedulingSpec): PlannedShard[];
  buildLease(source: LeaseSource): LeaseOfKind[K];
  /** The request its results come in. */
  results: R;
  /** The sample indices of a batch (each must lie inside the lease). */
  resultIndices(request: ParsedRequestOf<WorkerRequests, R>): number[];
  /** Stores one batch in one transaction; the count of new rows (resends add nothing). */
  storeResults(target: ResultsTarget, request: ParsedRequestOf<WorkerRequests, R>): Result<{ stored: number }>;
  /** How many of samples [start, end) of the shard have no result of this kind stored: 0 means done. */
  countMissing(db: Store, shard: ShardKey, start: number, end: number): number;
}
