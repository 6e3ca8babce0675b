import { z } from 'zod';
import { PROMPT_FORMATS } from '../sampling/prompt-format.ts';
import { roleSchema } from '../roles.ts';

/**
 * What a user asks for: an experiment as written in a JSON or YAML file, built from
 * `passk run` flags, or sent by the desktop app. Only its shape is checked here (pure);
 * folders and files are checked where they are read (`resolveExperiment`), and every error
 * names its path in the spec (`models[1].folder: …`).
 */

/** Above this a run is refused: n = 65,536 samples per problem is already 64× the paper's largest. */
export const MAX_N = 65_536;

export const VERIFIER_KINDS = ['math', 'code'] as const;
export type VerifierKind = (typeof VERIFIER_KINDS)[number];

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * How an inference server is asked for samples: `completions` sends the prompt as rendered
 * here (the model folder's chat template, raw, or qwen-boxed), so it is the same text the
 * onnx engine sees; `chat` sends the user message to /v1/chat/completions and lets the
 * server apply its own template.
 */
export const SERVER_ENDPOINTS = ['completions', 'chat'] as const;
export type ServerEndpoint = (typeof SERVER_ENDPOINTS)[number];

export const servedModelSchema = z.union([
  z.string().min(1).max(200).transform((model) => ({ model, endpoint: 'completions' as ServerEndpoint })),
  z.strictObject({
    /** The name the server serves the model under (vLLM's --served-model-name, `passk serve`'s folder name). */
    model: z.string().min(1).max(200),
    endpoint: z.enum(SERVER_ENDPOINTS).default('completions'),
  }),
], { error: 'expected the served model\'s name, or {"model": NAME, "endpoint"?: "completions" | "chat"}' });
export type ServedModel = z.output<typeof servedModelSchema>;

export const modelSpecSchema = z.strictObject({
  /** Keys the model's random streams and names it in every report; default: the folder's name. */
  id: z.string().regex(MODEL_ID, { error: 'letters, digits, ".", "_" and "-" only, at most 64' }).optional(),
  /** A Hugging Face folder on the coordinator's machine. */
  folder: z.string().min(1),
  role: roleSchema,
  label: z.string().max(200).optional(),
  promptFormat: z.enum(PROMPT_FORMATS).optional(),
  /** The user message (chat) or the whole prompt (raw) with {problem} substituted. */
  template: z.string().min(1).optional(),
  dtype: z.string().regex(/^\w+$/).optional(),
  /**
   * Drawn from an OpenAI-compatible server (vLLM, SGLang, `passk serve`) by workers started
   * with `--backend openai --served-model NAME`, never by the onnx engine. The folder then
   * needs only the model's configs and chat template, no weights.
   */
  served: servedModelSchema.optional(),
});

export const benchmarkSpecSchema = z.union([
  z.strictObject({ bundled: z.literal('chain-arithmetic') }),
  z.strictObject({
    file: z.string().min(1),
    /** How records become problems: a preset name (`passk datasets list`) … */
    preset: z.string().min(1).optional(),
    /** … or a field map such as "problem=question,answer=final,id=uid". */
    map: z.string().min(1).optional(),
    format: z.enum(['jsonl', 'json', 'csv', 'parquet']).optional(),
  }),
], { error: 'expected {"bundled": "chain-arithmetic"} or {"file": PATH, "preset"?: NAME, "map"?: SPEC}' });

export const samplingSpecSchema = z.strictObject({
  n: z.number().int().min(1).max(MAX_N, { error: `at most ${MAX_N} samples per problem` }),
  /** Unset settings come from each model's generation_config.json, then the paper's. */
  temperature: z.number().min(0).max(100).optional(),
  topP: z.number().gt(0).lte(1).optional(),
  topK: z.number().int().min(0).optional(),
  maxNewTokens: z.number().int().min(1).max(1 << 20).optional(),
  stop: z.array(z.string().min(1)).max(16).default([]),
  /** The run seed: sample i of (seed, model, problem) is the same text anywhere. */
  seed: z.union([z.string().max(100), z.number().int()]).transform(String).default('0'),
});

export const scoringPairSchema = z.strictObject({
  /** The model whose sampled answers are scored … */
  answers: z.string().min(1),
  /** … under this model's teacher-forced log-probabilities (the paper's perplexity analysis). */
  under: z.string().min(1),
});

/** How math answers are judged; unset fields take the benchmark's defaults (GSM8K numbers first, the others LaTeX first). */
export const mathJudgeSpecSchema = z.strictObject({
  mode: z.enum(['strict', 'lenient']).optional(),
  answers: z.enum(['latex', 'number']).optional(),
  /** false: a last-number guess is never correct (`--no-fallback`). */
  creditFallback: z.boolean().optional(),
  percent: z.enum(['either', 'as-written']).optional(),
  digits: z.number().int().min(0).max(15).nullable().optional(),
});

export const experimentSpecSchema = z.strictObject({
  name: z.string().min(1).max(120).optional(),
  benchmark: benchmarkSpecSchema,
  /** Default: the preset's kind (math for the bundled benchmark). */
  verifier: z.enum(VERIFIER_KINDS).optional(),
  math: mathJudgeSpecSchema.optional(),
  /** Use this many problems spread evenly over the benchmark; 0 = all. */
  limit: z.number().int().min(0).default(0),
  models: z.array(modelSpecSchema).min(1).max(32),
  sampling: samplingSpecSchema,
  ks: z.array(z.number().int().min(1)).min(1).optional(),
  /** Samples per shard; default: sized from each worker's measured speed (about a minute each). */
  shardSize: z.number().int().min(1).max(MAX_N).optional(),
  scoring: z.array(scoringPairSchema).default([]),
});

/** The spec as written (optional fields may be missing). */
export type ExperimentSpecInput = z.input<typeof experimentSpecSchema>;
/** The spec with its defaults filled in. */
export type ExperimentSpec = z.output<typeof experimentSpecSchema>;
export type ModelSpec = z.output<typeof modelSpecSchema>;
export type BenchmarkSpec = z.output<typeof benchmarkSpecSchema>;

/** `models[1].folder` for zod's ['models', 1, 'folder']. */
export function specPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(spec)' : out;
}

/** Every problem of a spec, one line each as `path: message`; the spec is refused if any. */
export function parseExperimentSpec(input: unknown): { ok: true; value: ExperimentSpec } | { ok: false; error: string[] } {
  const parsed = experimentSpecSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: parsed.error.issues.map((issue) => `${specPath(issue.path)}: ${describeIssue(issue)}`) };
  }
  const spec = parsed.data;
  const errors: string[] = [];
  const ids = new Map<string, number>();
  spec.models.forEach((model, i) => {
    const id = model.id ?? folderName(model.folder);
    const first = ids.get(id);
    if (first !== undefined) errors.push(`models[${i}]: id "${id}" is already models[${first}]'s; model ids key the random streams and must be distinct (set "id")`);
    else ids.set(id, i);
    if (model.served !== undefined) {
      if (model.dtype !== undefined) errors.push(`models[${i}].dtype: a served model's weights are the server's; dtype applies to ONNX models only`);
      if (model.served.endpoint === 'chat' && model.promptFormat !== undefined && model.promptFormat !== 'chat') {
        errors.push(`models[${i}].served.endpoint: "chat" sends the user message to the server's own template, so promptFormat must be "chat" (not "${model.promptFormat}")`);
      }
    }
  });
  spec.scoring.forEach((pair, i) => {
    for (const side of ['answers', 'under'] as const) {
      if (!ids.has(pair[side])) errors.push(`scoring[${i}].${side}: no model with id "${pair[side]}" (ids: ${[...ids.keys()].join(', ')})`);
    }
  });
  if (spec.ks) {
    const tooLarge = spec.ks.filter((k) => k > spec.sampling.n);
    if (tooLarge.length > 0) errors.push(`ks: ${tooLarge.join(', ')} exceed sampling.n = ${spec.sampling.n}; pass@k needs k ≤ n`);
  }
  if ('file' in spec.benchmark && spec.benchmark.preset !== undefined && spec.benchmark.map !== undefined) {
    errors.push('benchmark: give "preset" or "map", not both');
  }
  return errors.length > 0 ? { ok: false, error: errors } : { ok: true, value: spec };
}

/** The id a model gets when the spec names none: its folder's last path segment. */
export function folderName(folder: string): string {
  const parts = folder.replace(/[\\/]+$/, '').split(/[\\/]/);
  return parts[parts.length - 1] || folder;
}

export function modelIdOf(model: ModelSpec): string {
  return model.id ?? folderName(model.folder);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'missing';
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}
