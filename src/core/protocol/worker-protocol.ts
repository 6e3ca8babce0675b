import { z } from 'zod';
import { PROMPT_FORMATS } from '../sampling/prompt-format.ts';
import { SERVER_ENDPOINTS, VERIFIER_KINDS } from '../spec/experiment-spec.ts';
import { MAX_BATCH_ROWS, MAX_ERROR, MAX_REASON, MAX_SAMPLE_TEXT } from './limits.ts';
import type { RequestMap } from './requests.ts';
import { FINISH_REASONS } from '../sampling/generation-settings.ts';

/**
 * The coordinator ↔ worker boundary (socket.io namespace `/worker`). Pull, not push: a
 * worker asks for a lease when it has a free slot, sends results in batches and waits for
 * each acknowledgement, which comes only after the SQLite commit. Results are keyed by
 * (run, model, problem, sample), so a batch resent after a lost acknowledgement changes
 * nothing, and a late batch for an expired lease still counts where its samples are missing.
 */
// 2: workers may be backed by an inference server (capabilities.server, served models, samples from a server).
// 3: the token also travels in the WebSocket upgrade (Authorization: Bearer): without it a socket may send only small messages.
// 4: a worker's identity is given by the coordinator at join (`worker:identity`: an id and a secret the worker
//    keeps in memory) and claimed on reconnect with both; the hello no longer names an id of its own.
export const PROTOCOL_VERSION = 4;
export const WORKER_NAMESPACE = '/worker';

export const SHARD_KINDS = ['sample', 'verify', 'score'] as const;
export type ShardKind = (typeof SHARD_KINDS)[number];

export const EP_NAMES = ['cpu', 'cuda', 'webgpu'] as const;
/** What drew a sample: an onnxruntime execution provider (bitwise reproducible within one), or an inference server (not). */
export const SAMPLE_SOURCES = [...EP_NAMES, 'server'] as const;
export type SampleSource = (typeof SAMPLE_SOURCES)[number];

const id = z.string().min(1).max(200);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected a lowercase hex sha256' });
const count = z.number().int().min(0);

/** The inference server an `--backend openai` worker draws from, as it found it at start. */
export const serverInfoSchema = z.strictObject({
  baseUrl: z.string().max(2000),
  /** The served model's name (`--served-model`): it takes the shards of models with `served.model` equal to it. */
  model: z.string().min(1).max(200),
  /** The server's own entry for the model in /v1/models (owned_by, max_model_len, root…), as it said. */
  entry: z.record(z.string(), z.unknown()),
  /** Whether the server returns prompt log-probabilities (echo + logprobs), which scoring needs. */
  scoring: z.boolean(),
  /** Why it does not score, when it does not. */
  scoringProblem: z.string().max(MAX_ERROR).nullable(),
  /** Requests this worker keeps in flight at most. */
  concurrency: z.number().int().min(1).max(4096),
});
export type ServerInfo = z.output<typeof serverInfoSchema>;

export const capabilitiesSchema = z.strictObject({
  eps: z.array(z.enum(EP_NAMES)).min(1),
  gpu: z.strictObject({ name: z.string().max(200), memoryMb: count }).nullable(),
  cores: z.number().int().min(1).max(4096),
  memoryMb: count,
  /** Verifier kinds this worker runs; `code` only where its sandbox started. */
  verify: z.array(z.enum(VERIFIER_KINDS)),
  /** Why code verification is off here, when it is (shown in the worker list). */
  sandboxProblem: z.string().max(MAX_ERROR).nullable(),
  /** Models in its cache by sha256: shards of these go to it first. */
  models: z.array(sha256).max(1000),
  slots: z.number().int().min(1).max(64),
  /** null: the onnx engine samples here; else the server it samples from (only models served under that name). */
  server: serverInfoSchema.nullable(),
});
export type Capabilities = z.output<typeof capabilitiesSchema>;

/** A worker's id: the coordinator makes it at join (workers never choose their own). */
export const workerIdSchema = z.string().regex(/^[\w.-]{1,80}$/);

/**
 * Who a worker is: the id and secret the coordinator gave it (`worker:identity`) when it first
 * joined. Kept in the worker's memory only and presented on every reconnect, so its leases
 * carry on; an id presented with another secret is refused, so no one else can act as it.
 */
export const workerIdentitySchema = z.strictObject({ id: workerIdSchema, secret: z.string().min(16).max(200) });
export type WorkerIdentity = z.output<typeof workerIdentitySchema>;

/** What a worker sends in socket.io's `auth` when it connects. */
export const workerHelloSchema = z.strictObject({
  protocol: z.number().int(),
  token: z.string().max(512),
  /** Absent at first join: the coordinator then gives one. */
  identity: workerIdentitySchema.optional(),
  worker: z.strictObject({
    name: z.string().min(1).max(120),
    host: z.string().max(255),
    version: z.string().max(40),
    capabilities: capabilitiesSchema,
  }),
});
export type WorkerHello = z.output<typeof workerHelloSchema>;

export const modelFileSchema = z.strictObject({
  /** Relative to the model folder, `/`-separated, no `..`. */
  path: z.string().min(1).max(500).refine((p) => !p.split('/').some((s) => s === '..' || s === '' || s === '.') && !p.startsWith('/'), { error: 'not a plain relative path' }),
  sha256,
  size: count,
});

/** A model as a worker fetches it: content-addressed files, and the coordinator's folder as a hint for local workers. */
export const modelRefSchema = z.strictObject({
  id,
  sha256,
  dtype: z.string().max(40),
  files: z.array(modelFileSchema).min(1).max(1000),
  folder: z.string().max(4096),
  /** Drawn from an inference server under this name (its files are then configs and template only), or by the onnx engine. */
  served: z.strictObject({ model: z.string().min(1).max(200), endpoint: z.enum(SERVER_ENDPOINTS) }).nullable(),
});
export type ModelRef = z.output<typeof modelRefSchema>;

export const promptSchema = z.strictObject({
  format: z.enum(PROMPT_FORMATS),
  template: z.string().nullable(),
});

export const generationSettingsSchema = z.strictObject({
  temperature: z.number().min(0),
  topP: z.number().gt(0).lte(1),
  topK: z.number().int().min(0),
  maxNewTokens: z.number().int().min(1),
  stop: z.array(z.string()),
});
export type ResolvedSettings = z.output<typeof generationSettingsSchema>;

const textSample = z.strictObject({ index: count, text: z.string().max(MAX_SAMPLE_TEXT) });

const leaseBase = {
  leaseId: z.number().int().positive(),
  shardId: z.number().int().positive(),
  runId: id,
  /** Samples [start, end) of (run seed, model, problem). */
  start: count,
  end: z.number().int().positive(),
  problem: z.strictObject({ id, text: z.string() }),
  /** Heartbeat more often than this, or the lease goes back to the queue. */
  ttlMs: z.number().int().positive(),
};

/** judgeMath's options, resolved (src/core/verify/math/judge-options.ts). */
export const mathOptionsSchema = z.strictObject({
  mode: z.enum(['strict', 'lenient']),
  answers: z.enum(['latex', 'number']),
  creditFallback: z.boolean(),
  percent: z.enum(['either', 'as-written']),
  digits: z.number().int().min(0).max(15).nullable(),
});

export const sampleLeaseSchema = z.strictObject({
  ...leaseBase,
  kind: z.literal('sample'),
  seed: z.string(),
  model: modelRefSchema,
  prompt: promptSchema,
  settings: generationSettingsSchema,
  /**
   * Math runs: the gold answer and how to judge it, so the worker verifies each sample as it
   * is drawn and sends its verdict with it (one message and one commit for both; the verify
   * shard that follows is then already complete). Null for code, which needs a sandbox.
   */
  inlineVerify: z.strictObject({ gold: z.string(), mathOptions: mathOptionsSchema }).nullable(),
});
export const verifyLeaseSchema = z.strictObject({
  ...leaseBase,
  kind: z.literal('verify'),
  modelId: id,
  verifier: z.enum(VERIFIER_KINDS),
  /** Math: the gold answer, and how to judge against it. */
  gold: z.string().nullable(),
  mathOptions: mathOptionsSchema.nullable(),
  /** Code: the benchmark record the code verifier reads. */
  task: z.record(z.string(), z.unknown()).nullable(),
  samples: z.array(textSample).max(MAX_BATCH_ROWS),
});
export const scoreLeaseSchema = z.strictObject({
  ...leaseBase,
  kind: z.literal('score'),
  /** The model whose answers are scored … */
  modelId: id,
  /** … under this one, with its own prompt. */
  scorer: modelRefSchema,
  prompt: promptSchema,
  samples: z.array(textSample).max(MAX_BATCH_ROWS),
});
export const leaseSchema = z.discriminatedUnion('kind', [sampleLeaseSchema, verifyLeaseSchema, scoreLeaseSchema]);
export type Lease = z.output<typeof leaseSchema>;
export type SampleLease = z.output<typeof sampleLeaseSchema>;
export type VerifyLease = z.output<typeof verifyLeaseSchema>;
export type ScoreLease = z.output<typeof scoreLeaseSchema>;
/** The lease of each shard kind, by kind. */
export type LeaseOfKind = { [K in ShardKind]: Extract<Lease, { kind: K }> };

const leaseId = z.strictObject({ leaseId: z.number().int().positive() });

export const verdictResultSchema = z.strictObject({
  index: count,
  correct: z.boolean(),
  extracted: z.string().max(MAX_REASON).nullable(),
  reason: z.string().max(MAX_REASON),
  /** The math verifier judged the last number in the text, no stated answer. */
  fallback: z.boolean().optional(),
});
export const sampleResultSchema = z.strictObject({
  index: count,
  text: z.string().max(MAX_SAMPLE_TEXT),
  tokens: count,
  finish: z.enum(FINISH_REASONS),
  logprob: z.number(),
  /** Its verdict, when the lease asked for inline verification. */
  verdict: verdictResultSchema.omit({ index: true }).optional(),
});
/**
 * Where samples drawn by a server came from: recorded with the run (per model and worker),
 * since such samples are not bitwise reproducible: per-sample seeds are passed, but servers
 * batch requests differently from one run to the next.
 */
export const sampleServerSchema = z.strictObject({
  baseUrl: z.string().max(2000),
  /** The model name the server's responses gave. */
  model: z.string().max(200),
  endpoint: z.enum(SERVER_ENDPOINTS),
  /** The responses' system_fingerprint, where the server sends one. */
  fingerprint: z.string().max(200).nullable(),
  /** The request parameters sent, but for the prompt and the per-request seed. */
  request: z.record(z.string(), z.unknown()),
});
export type SampleServer = z.output<typeof sampleServerSchema>;

export const scoreResultSchema = z.strictObject({ index: count, tokens: count, logprob: z.number() });

/** One row of a results batch, as a worker builds it and the coordinator reads it. */
export type SampleResultRow = z.output<typeof sampleResultSchema>;
export type VerdictResultRow = z.output<typeof verdictResultSchema>;
export type ScoreResultRow = z.output<typeof scoreResultSchema>;

/** Every request a worker makes; the coordinator answers each with a Result. */
export const workerRequests = {
  'lease:request': {
    request: z.strictObject({
      kinds: z.array(z.enum(SHARD_KINDS)).min(1).optional(),
      /** The model this slot has loaded: its shards come first, since loading another costs seconds to minutes. */
      loaded: sha256.nullable().optional(),
    }),
    /** No lease: nothing to do now; ask again after a `work:available` push or `retryMs`. */
    response: z.strictObject({ lease: leaseSchema.nullable(), retryMs: z.number().int().min(0) }),
  },
  'lease:heartbeat': {
    request: z.strictObject({ leases: z.array(z.strictObject({ leaseId: z.number().int().positive(), done: count })).max(64) }),
    /** `cancel`: leases to stop (run paused or cancelled, or another worker finished the shard). */
    response: z.strictObject({ cancel: z.array(z.number().int()) }),
  },
  'results:samples': {
    request: z.strictObject({
      leaseId: z.number().int().positive(),
      ep: z.enum(SAMPLE_SOURCES),
      /** Present exactly when ep is `server`. */
      server: sampleServerSchema.optional(),
      samples: z.array(sampleResultSchema).min(1).max(MAX_BATCH_ROWS),
    }).refine((r) => (r.ep === 'server') === (r.server !== undefined), { error: 'samples from a server (ep "server") carry "server", and only they do' }),
    response: z.strictObject({ stored: count }),
  },
  'results:verdicts': {
    request: z.strictObject({ leaseId: z.number().int().positive(), verdicts: z.array(verdictResultSchema).min(1).max(MAX_BATCH_ROWS) }),
    response: z.strictObject({ stored: count }),
  },
  'results:scores': {
    request: z.strictObject({ leaseId: z.number().int().positive(), scores: z.array(scoreResultSchema).min(1).max(MAX_BATCH_ROWS) }),
    response: z.strictObject({ stored: count }),
  },
  /** Every result of the lease is acknowledged; `tokens` and `seconds` size its next leases. */
  'lease:complete': {
    request: z.strictObject({ leaseId: z.number().int().positive(), tokens: count, seconds: z.number().min(0) }),
    response: z.strictObject({ missing: count }),
  },
  /** The worker could not do it (the reason is kept and shown); it counts as an attempt. */
  'lease:fail': {
    request: z.strictObject({ leaseId: z.number().int().positive(), error: z.string().min(1).max(MAX_ERROR) }),
    response: z.strictObject({}),
  },
  /** Handing a lease back unfinished (a draining worker): it is queued again at once, no attempt spent. */
  'lease:release': { request: leaseId, response: z.strictObject({}) },
} satisfies RequestMap;
export type WorkerRequests = typeof workerRequests;
/** The requests that carry a lease's result batches: each shard kind sends one of them. */
export type ResultsRequest = Extract<keyof WorkerRequests, `results:${string}`>;

/** What the coordinator pushes to workers. */
export const workerPushes = {
  /** Sent once, right after a join without an identity: who this worker is from now on (keep it for reconnects). */
  'worker:identity': workerIdentitySchema,
  /** New work was queued: idle slots should ask now instead of waiting out retryMs. */
  'work:available': z.strictObject({}),
  /** Stop these leases: their run was paused or cancelled, or another worker finished the shard. */
  'lease:cancel': z.strictObject({ leaseIds: z.array(z.number().int()) }),
} satisfies Record<string, z.ZodType>;

/** Why a connection was refused, in socket.io's connect_error `data`. */
export const refusalSchema = z.strictObject({
  code: z.enum(['bad-token', 'bad-protocol', 'bad-hello', 'bad-identity', 'revoked']),
  message: z.string(),
});
export type Refusal = z.output<typeof refusalSchema>;
