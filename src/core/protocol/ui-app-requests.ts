import { z } from 'zod';
import { LABELS, type Label } from '../analysis/labels.ts';
import { ROLES } from '../roles.ts';
import { FINISH_REASONS } from '../sampling/generation-settings.ts';
import { PROMPT_FORMATS } from '../sampling/prompt-format.ts';
import { benchmarkSpecSchema, VERIFIER_KINDS } from '../spec/experiment-spec.ts';
import { MAX_SAMPLE_TEXT } from './limits.ts';
import type { RequestMap } from './requests.ts';
import { generationSettingsSchema } from './worker-protocol.ts';

/**
 * The desktop app's requests beyond running experiments: checking an experiment
 * before launch, the problem browser's pages, chain-of-thought labels, archive actions and
 * token revocation. Spread into `uiRequests` (ui-protocol.ts), so one map is the contract;
 * kept in this file, which imports nothing from ui-protocol.ts, so the block merges apart.
 *
 * Pages are cut in SQL (offset + limit, at most MAX_PAGE rows): a run of 1.5 M samples is
 * never sent, or held by the coordinator, whole.
 */
export const MAX_PAGE = 500;

const id = z.string().min(1).max(200);
const count = z.number().int().min(0);
const path = z.string().min(1).max(4096);
/** A level or subject as the benchmark names it (the store keeps it as text: "3", "Level 3", "algebra"). */
const groupName = z.string().min(1).max(100);
const problemGroupSchema = z.strictObject({ name: groupName, problems: count });
const page = { offset: count.default(0), limit: z.number().int().min(1).max(MAX_PAGE).default(100) };

/** The labels a chain may get: core's one list (src/core/analysis/labels.ts). */
export const SAMPLE_LABELS = LABELS;
export type SampleLabel = Label;

export const presetInfoSchema = z.strictObject({ name: z.string(), kind: z.enum(VERIFIER_KINDS), description: z.string() });

export const benchmarkPreviewSchema = z.strictObject({
  /** The absolute path read, on the coordinator's machine. */
  file: z.string(),
  /** Records in the file (all of them were read to count). */
  records: count,
  /** Field names of the first record (dot paths one level deep), for building a field map. */
  fields: z.array(z.string()),
  /** The first records as they are in the file (JSON text). */
  raw: z.array(z.strictObject({ line: count, json: z.string() })),
  /** The same records mapped to problems, when the mapping works. */
  problems: z.array(z.strictObject({ id: z.string(), kind: z.enum(VERIFIER_KINDS), problem: z.string(), answer: z.string().nullable() })),
  /** Why the file does not map (with file:line), when it does not; the raw records still show. */
  error: z.string().nullable(),
});
export type BenchmarkPreview = z.output<typeof benchmarkPreviewSchema>;

const generationDefaultsSchema = z.strictObject({
  temperature: z.number().nullable(), topP: z.number().nullable(), topK: z.number().nullable(), maxNewTokens: z.number().nullable(),
});

export const modelCheckSchema = z.strictObject({
  folder: z.string(),
  /** The id the model gets unless the spec names one (the folder's name). */
  id: z.string(),
  dtype: z.string(),
  /** ONNX variants in the folder (fp32, fp16, q4, …). */
  variants: z.array(z.string()),
  modelType: z.string(),
  layers: count,
  vocabSize: count.nullable(),
  hasChatTemplate: z.boolean(),
  /** generation_config.json's settings, which fill the ones the spec leaves unset. */
  generation: generationDefaultsSchema,
  bytes: count,
});

export const experimentCheckSchema = z.strictObject({
  problems: count,
  models: z.array(z.strictObject({
    id: z.string(), role: z.enum(ROLES), promptFormat: z.enum(PROMPT_FORMATS),
    /** The settings the run would use: the spec's, else generation_config.json's, else the paper's (stop strings aside). */
    ...generationSettingsSchema.omit({ stop: true }).shape,
  })),
  /** problems × n × models. */
  samples: count,
  /** The most tokens the run can generate: Σ over models of problems × n × maxNewTokens. */
  maxTokens: count,
  /** Connected workers and their measured samples per second on earlier shards (null when none has finished one). */
  workers: count,
  samplesPerSecond: z.number().min(0).nullable(),
  /** Sampling and verifying the whole run at that speed; null when the speed is unknown. */
  etaSeconds: z.number().min(0).nullable(),
});
export type ExperimentCheck = z.output<typeof experimentCheckSchema>;

export const modelCountSchema = z.strictObject({ modelId: id, n: count, c: count });

export const problemRowSchema = z.strictObject({
  id,
  /** The problem's text, cut to 400 characters (the whole of it comes with run:problem). */
  text: z.string(),
  gold: z.string(),
  /** The benchmark's difficulty level and subject, where it gives them (MATH500: 1–5 and seven subjects). */
  level: z.string().nullable(),
  subject: z.string().nullable(),
  /** Verified samples (n) and correct ones (c) per model, in the run's model order. */
  counts: z.array(modelCountSchema),
});
export type ProblemRow = z.output<typeof problemRowSchema>;

export const sampleRowSchema = z.strictObject({
  index: count,
  tokens: count.nullable(),
  finish: z.enum(FINISH_REASONS).nullable(),
  /** null while the sample is not verified yet. */
  correct: z.boolean().nullable(),
  extracted: z.string().nullable(),
  fallback: z.boolean(),
  label: z.enum(SAMPLE_LABELS).nullable(),
});
export type SampleListRow = z.output<typeof sampleRowSchema>;

export const sampleLabelSchema = z.strictObject({
  label: z.enum(SAMPLE_LABELS),
  note: z.string().max(4000),
  at: z.number(),
});

export const sampleDetailSchema = z.strictObject({
  index: count,
  text: z.string().max(MAX_SAMPLE_TEXT),
  /** Unknown (null) for samples imported from a tool that did not record them. */
  tokens: count.nullable(),
  finish: z.enum(FINISH_REASONS).nullable(),
  logprob: z.number().nullable(),
  workerId: z.string().nullable(),
  correct: z.boolean().nullable(),
  extracted: z.string().nullable(),
  reason: z.string().nullable(),
  fallback: z.boolean(),
  label: sampleLabelSchema.nullable(),
});
export type SampleDetail = z.output<typeof sampleDetailSchema>;

const sampleRef = { runId: id, problemId: id, modelId: id, index: count };

export const uiAppRequests = {
  /** What the New-experiment screen offers: the bundled benchmark and models (paths on the coordinator's disk) and the presets a file can be read with. */
  'experiment:options': {
    request: z.strictObject({}),
    response: z.strictObject({
      bundled: z.array(z.strictObject({ name: z.string(), problems: count })),
      bundledModels: z.array(z.strictObject({ role: z.enum(ROLES), folder: z.string() })),
      presets: z.array(presetInfoSchema),
    }),
  },
  /** The first records of a benchmark file, raw and mapped (a preset or a field map), read on the coordinator's disk. */
  'benchmark:preview': {
    request: z.strictObject({ benchmark: benchmarkSpecSchema, limit: z.number().int().min(1).max(20).default(5) }),
    response: benchmarkPreviewSchema,
  },
  /** Reads a model folder as a run would (the loader's reasons when it cannot). */
  'model:check': { request: z.strictObject({ folder: path, dtype: z.string().regex(/^\w+$/).optional() }), response: modelCheckSchema },
  /** Resolves a spec exactly as run:create would (same errors, one per line), without starting it: cost and ETA. */
  'experiment:check': { request: z.strictObject({ spec: z.unknown() }), response: experimentCheckSchema },
  /**
   * A page of a run's problems with c/n per model, filtered: every model in `solvedBy` has a
   * correct sample, none in `unsolvedBy` has one ("only base": solvedBy [base], unsolvedBy
   * [rl]; "never solved": unsolvedBy every model). `search` matches id or text; `level` and
   * `subject`, when given, keep only the problems with that level or subject.
   */
  'run:problems': {
    request: z.strictObject({
      runId: id, ...page,
      solvedBy: z.array(id).max(32).default([]), unsolvedBy: z.array(id).max(32).default([]),
      search: z.string().max(200).default(''),
      level: groupName.optional(), subject: groupName.optional(),
    }),
    response: z.strictObject({ total: count, offset: count, rows: z.array(problemRowSchema) }),
  },
  /** The levels and subjects of a run's problems with how many problems each has (natural order), and how many have none: the problem browser's filters. */
  'run:problem-groups': {
    request: z.strictObject({ runId: id }),
    response: z.strictObject({ levels: z.array(problemGroupSchema), subjects: z.array(problemGroupSchema), unlevelled: count, unsubjected: count }),
  },
  /** One problem whole: text, gold (as stored: the answer, or the code task as JSON) and c/n per model. */
  'run:problem': {
    request: z.strictObject({ runId: id, problemId: id }),
    response: z.strictObject({ id, text: z.string(), gold: z.string(), level: z.string().nullable(), subject: z.string().nullable(), counts: z.array(modelCountSchema) }),
  },
  /** A page of one model's samples of one problem, without their text (sample:get has it). */
  'run:samples': {
    request: z.strictObject({
      runId: id, problemId: id, modelId: id, ...page,
      verdict: z.enum(['all', 'correct', 'incorrect', 'unverified']).default('all'),
    }),
    response: z.strictObject({ total: count, offset: count, rows: z.array(sampleRowSchema) }),
  },
  'sample:get': { request: z.strictObject(sampleRef), response: sampleDetailSchema },
  /** Labels a chain of thought valid, invalid or unsure, with a note; label null removes it. */
  'sample:label': {
    request: z.strictObject({ ...sampleRef, label: z.enum(SAMPLE_LABELS).nullable(), note: z.string().max(4000).default('') }),
    response: z.strictObject({ label: sampleLabelSchema.nullable() }),
  },
  /** Deletes a finished run and everything of it; an open run must be cancelled first. */
  'runs:delete': { request: z.strictObject({ runId: id }), response: z.strictObject({ runId: id }) },
  /** Writes a run as one `.passk` file on the coordinator's disk (the archive format: src/coordinator/store/archive.ts). */
  'runs:export': { request: z.strictObject({ runId: id, file: path }), response: z.strictObject({ file: z.string(), bytes: count }) },
  /** Reads a `.passk` file on the coordinator's disk into the store. */
  'runs:import': { request: z.strictObject({ file: path }), response: z.strictObject({ runId: id, name: z.string() }) },
  /**
   * A new workers' join token: connected workers are disconnected and the old command stops
   * working (the running shards go back to the queue when their leases expire).
   */
  'tokens:revoke-worker': { request: z.strictObject({}), response: z.strictObject({ joinCommand: z.string(), workerUrl: z.string() }) },
} satisfies RequestMap;
export type UiAppRequests = typeof uiAppRequests;

/** The choices a client offers for a model (one list each, from src/core). */
export { ROLES, PROMPT_FORMATS };
