import { z } from 'zod';
import { ROLES } from '../roles.ts';
import { capabilitiesSchema, sampleServerSchema, SHARD_KINDS } from './worker-protocol.ts';
import type { RequestMap } from './requests.ts';
import { runAnalysisSchema, runComparisonSchema } from './run-analysis-schema.ts';
import { statsReportSchema } from './stats-report-schema.ts';
import { uiAppRequests } from './ui-app-requests.ts';

/**
 * The coordinator ↔ user boundary (socket.io namespace `/ui`): `passk run` and the
 * desktop app (in Electron or a browser) speak it. The UI shows what the coordinator
 * computes (progress, reports from src/core/stats); it computes no statistic itself.
 */
export const UI_NAMESPACE = '/ui';

export const RUN_STATUSES = ['pending', 'running', 'paused', 'done', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** The statuses a run ends in; in the others (pending, running, paused) it is open and may still get samples. */
const FINISHED_RUN_STATUSES: readonly RunStatus[] = ['done', 'failed', 'cancelled'];
export const isRunOpen = (status: RunStatus): boolean => !FINISHED_RUN_STATUSES.includes(status);

/** What a user may do to an open run (`run:control`). */
export const RUN_ACTIONS = ['pause', 'resume', 'cancel'] as const;
export type RunAction = (typeof RUN_ACTIONS)[number];

const id = z.string().min(1).max(200);
const count = z.number().int().min(0);
const runRef = z.strictObject({ runId: id });

export const runModelSchema = z.strictObject({ id, role: z.enum(ROLES), label: z.string().nullable() });

export const runSummarySchema = z.strictObject({
  id,
  name: z.string(),
  status: z.enum(RUN_STATUSES),
  benchmark: z.string(),
  problems: count,
  n: count,
  models: z.array(runModelSchema),
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
});
export type RunSummary = z.output<typeof runSummarySchema>;

export const modelProgressSchema = z.strictObject({
  modelId: id,
  role: z.enum(ROLES),
  /** Samples the run asks of this model (problems × n). */
  total: count,
  sampled: count,
  verified: count,
  correct: count,
});

export const shardCountsSchema = z.strictObject({ queued: count, leased: count, done: count, failed: count });

export const shardFailureSchema = z.strictObject({
  shardId: z.number().int(),
  kind: z.enum(SHARD_KINDS),
  modelId: id,
  problemId: id,
  start: count,
  end: count,
  attempts: count,
  error: z.string(),
});

/** A worker found out in a run (issue 24): its results of the run were discarded and done again by others. */
export const quarantineSchema = z.strictObject({ workerId: z.string(), name: z.string().nullable(), reason: z.string(), at: z.number() });

/** What happened to a run beside its results: quarantined workers, expired leases, coordinator restarts while it ran. */
export const runIncidentsSchema = z.strictObject({
  quarantines: z.array(quarantineSchema),
  expiredLeases: count,
  coordinatorRestarts: count,
});
export type RunIncidents = z.output<typeof runIncidentsSchema>;

/** Who produced a run's results: per worker, its samples, the verdicts it judged or whose texts it sent, scores, disagreements, expired leases. */
export const workerAttributionSchema = z.strictObject({
  workerId: z.string(),
  /** null once the coordinator forgot the worker (its id stays on every row it produced). */
  name: z.string().nullable(),
  samples: count,
  /** Verdicts it judged itself (code, in its sandbox). */
  verdictsJudged: count,
  /** Verdicts of its texts (or its verify leases) the coordinator judged again (math). */
  verdictsChecked: count,
  scores: count,
  disagreements: count,
  expiredLeases: count,
  /** Why it was quarantined in the run, when it was. */
  quarantined: z.string().nullable(),
});
export type WorkerAttribution = z.output<typeof workerAttributionSchema>;

export const runProgressSchema = z.strictObject({
  runId: id,
  status: z.enum(RUN_STATUSES),
  models: z.array(modelProgressSchema),
  shards: z.strictObject({ sample: shardCountsSchema, verify: shardCountsSchema, score: shardCountsSchema }),
  /** Over the last minute, from stored samples. */
  samplesPerSecond: z.number().min(0),
  tokensPerSecond: z.number().min(0),
  /** From what is left and the connected workers' measured speed; null when unknown. */
  etaSeconds: z.number().min(0).nullable(),
  failures: z.array(shardFailureSchema),
  incidents: runIncidentsSchema,
  /** Why the run stopped, when it failed. */
  error: z.string().nullable(),
});
export type RunProgress = z.output<typeof runProgressSchema>;

export const workerRowSchema = z.strictObject({
  id,
  name: z.string(),
  host: z.string(),
  version: z.string(),
  state: z.enum(['idle', 'busy', 'gone']),
  capabilities: capabilitiesSchema,
  leases: z.array(z.strictObject({
    leaseId: z.number().int(), kind: z.enum(SHARD_KINDS), runId: id, modelId: id, problemId: id,
    start: count, end: count, done: count,
  })),
  /** Samples per second over its finished sample leases (null before the first). */
  samplesPerSecond: z.number().nullable(),
  connectedAt: z.number(),
  lastSeen: z.number(),
});
export type WorkerRow = z.output<typeof workerRowSchema>;

/** What drew a model's samples: an execution provider of the onnx engine, or one server source as a worker reported it. */
export const sampleSourceSchema = z.strictObject({
  modelId: id,
  /** cpu, cuda, webgpu, server (or unknown for runs stored before it was recorded). */
  ep: z.string(),
  samples: count,
  server: sampleServerSchema.nullable(),
  workerId: z.string().nullable(),
});
export type SampleSourceInfo = z.output<typeof sampleSourceSchema>;

/** The report of a run as `passk stats --json` prints it (computed by src/core/stats), plus its digest. */
export const runReportSchema = z.strictObject({
  runId: id,
  status: z.enum(RUN_STATUSES),
  report: statsReportSchema.nullable(),
  /** Why there is no report yet (no verdicts), when `report` is null. */
  reportError: z.string().nullable(),
  /** sha256 over every sample in (model, problem, sample) order: ids, text, verdict. */
  samplesDigest: z.string(),
  samples: count,
  seconds: z.number().nullable(),
  sources: z.array(sampleSourceSchema),
  /** False when some samples came from an inference server: the same seed need not give the same text again. */
  reproducible: z.boolean(),
  incidents: runIncidentsSchema,
  workers: z.array(workerAttributionSchema),
});
export type RunReport = z.output<typeof runReportSchema>;

export const coordinatorInfoSchema = z.strictObject({
  version: z.string(),
  protocol: z.number().int(),
  /** The URL workers join (ws:// or wss://) and the command that joins one. */
  workerUrl: z.string(),
  joinCommand: z.string(),
  dataDir: z.string(),
});

export const uiRequests = {
  'coordinator:info': { request: z.strictObject({}), response: coordinatorInfoSchema },
  'runs:list': { request: z.strictObject({}), response: z.array(runSummarySchema) },
  /**
   * Checks the spec (its shape with parseExperimentSpec, then folders, benchmark and models
   * on the coordinator's disk) and queues the run; every error names its spec path. Relative
   * paths are taken from the coordinator's working directory: send absolute ones.
   * `maxSamples` refuses, with the count, an experiment drawing more samples than that
   * (what a client sets before its user has seen the cost).
   */
  'run:create': { request: z.strictObject({ spec: z.unknown(), maxSamples: z.number().int().positive().optional() }), response: runSummarySchema },
  'run:progress': { request: runRef, response: runProgressSchema },
  'run:control': { request: z.strictObject({ runId: id, action: z.enum(RUN_ACTIONS) }), response: runSummarySchema },
  'run:report': { request: runRef, response: runReportSchema },
  /** Progress pushes (`run:progress`) for this run until unsubscribed or disconnected. */
  'run:subscribe': { request: runRef, response: runProgressSchema },
  'run:unsubscribe': { request: runRef, response: z.strictObject({}) },
  /**
   * Everything the paper reads from a run (src/core/report/run-analysis.ts): pass@k with
   * intervals, coverage, crossover, per level and subject, perplexity, diversity, labels.
   */
  'run:analysis': { request: z.strictObject({ runId: id, ks: z.array(z.number().int().min(1)).max(64).optional() }), response: runAnalysisSchema },
  /** Two runs of one benchmark: pass@k of matched models over shared problems, paired intervals of b − a. */
  'runs:compare': { request: z.strictObject({ a: id, b: id }), response: runComparisonSchema },
  'workers:list': { request: z.strictObject({}), response: z.array(workerRowSchema) },
  /** Pushes `workers:update` whenever a worker joins, leaves or changes state. */
  'workers:subscribe': { request: z.strictObject({}), response: z.array(workerRowSchema) },
  // The desktop app's requests: one block, in its own file (ui-app-requests.ts).
  ...uiAppRequests,
} satisfies RequestMap;
export type UiRequests = typeof uiRequests;
/** What `uiHandlers` answers; the app's block is answered by `uiAppHandlers`. */
export type UiCoreRequests = Omit<UiRequests, keyof typeof uiAppRequests>;

export const uiPushes = {
  'run:progress': runProgressSchema,
  'workers:update': z.array(workerRowSchema),
} satisfies Record<string, z.ZodType>;
