import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';

/**
 * A Hugging Face model folder as users have them: config.json, generation_config.json,
 * tokenizer.json, tokenizer_config.json (chat template inside or in chat_template.jinja)
 * and an Optimum decoder-with-past at model.onnx or onnx/model[_dtype].onnx, weights
 * possibly in external files (model.onnx_data, …).
 */
export interface ModelFolder {
  dir: string;
  onnxPath: string;
  /** Variant suffix of the chosen file: 'fp32' for model.onnx, else e.g. 'fp16', 'q4'. */
  dtype: string;
  config: ModelConfig;
  generation: GenerationDefaults;
  tokenizerJson: object;
  tokenizerConfig: Record<string, unknown>;
  chatTemplate: string | null;
  eosTokenIds: number[];
}

export interface ModelConfig {
  numLayers: number;
  numKvHeads: number;
  headDim: number;
  vocabSize: number | null;
  modelType: string;
}

export interface GenerationDefaults {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxNewTokens?: number;
  doSample?: boolean;
}

import type { Result } from '../../core/result.ts';

const configSchema = z.object({
  model_type: z.string().default('unknown'),
  num_hidden_layers: z.number().int().positive().optional(),
  n_layer: z.number().int().positive().optional(),
  num_attention_heads: z.number().int().positive().optional(),
  n_head: z.number().int().positive().optional(),
  num_key_value_heads: z.number().int().positive().optional(),
  hidden_size: z.number().int().positive().optional(),
  n_embd: z.number().int().positive().optional(),
  head_dim: z.number().int().positive().nullable().optional(),
  vocab_size: z.number().int().positive().optional(),
  eos_token_id: z.union([z.number().int(), z.array(z.number().int())]).nullable().optional(),
}).loose();

const generationSchema = z.object({
  temperature: z.number().nonnegative().optional(),
  top_p: z.number().gt(0).lte(1).optional(),
  top_k: z.number().int().nonnegative().optional(),
  max_new_tokens: z.number().int().positive().optional(),
  max_length: z.number().int().positive().optional(),
  do_sample: z.boolean().optional(),
  eos_token_id: z.union([z.number().int(), z.array(z.number().int())]).nullable().optional(),
}).loose();

function readJson(path: string): Result<unknown> {
  try {
    return { ok: true, value: JSON.parse(readFileSync(path, 'utf8')) };
  } catch (error) {
    return { ok: false, error: `${path}: ${(error as Error).message}` };
  }
}

function zodWhere(path: string, error: z.ZodError): string {
  return error.issues.map((i) => `${path}: field ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
}

/** All `model*.onnx` files in the folder and its `onnx/` subfolder, with their dtype suffix. */
export function listOnnxVariants(dir: string): { path: string; dtype: string }[] {
  const found: { path: string; dtype: string }[] = [];
  for (const sub of ['onnx', '.']) {
    const d = join(dir, sub);
    if (!existsSync(d) || !statSync(d).isDirectory()) continue;
    for (const name of readdirSync(d).sort()) {
      const m = /^model(?:_(\w+))?\.onnx$/.exec(name);
      if (m) found.push({ path: join(d, name), dtype: m[1] ?? 'fp32' });
    }
  }
  return found;
}

function chooseOnnx(dir: string, dtype: string | undefined): Result<{ path: string; dtype: string }> {
  const variants = listOnnxVariants(dir);
  if (variants.length === 0) {
    return { ok: false, error: `${dir}: no ONNX model: expected model.onnx or onnx/model*.onnx (an Optimum "text-generation-with-past" export)` };
  }
  const names = variants.map((v) => `${basename(dirname(v.path))}/${basename(v.path)} (${v.dtype})`).join(', ');
  if (dtype !== undefined) {
    const hit = variants.find((v) => v.dtype === dtype);
    return hit ? { ok: true, value: hit } : { ok: false, error: `${dir}: no ONNX variant for --dtype ${dtype}; found ${names}` };
  }
  const fp32 = variants.find((v) => v.dtype === 'fp32');
  if (fp32) return { ok: true, value: fp32 };
  if (variants.length === 1) return { ok: true, value: variants[0] };
  return { ok: false, error: `${dir}: several ONNX variants and no model.onnx; choose one with --dtype: ${names}` };
}

/**
 * File names an ONNX file's tensors keep in external data ("location" entries). Read from
 * the protobuf bytes directly: a graph-only file is small, and a missing data file is
 * otherwise reported by onnxruntime only as an opaque load failure.
 */
export function externalDataFiles(onnxPath: string): string[] {
  const size = statSync(onnxPath).size;
  if (size > 512 * 1024 * 1024) return [];
  const bytes = readFileSync(onnxPath);
  const needle = Buffer.from([0x0a, 0x08, ...Buffer.from('location'), 0x12]);
  const names = new Set<string>();
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) {
    const len = bytes[at + needle.length];
    if (len === undefined || len >= 0x80) continue;
    const start = at + needle.length + 1;
    names.add(bytes.subarray(start, start + len).toString('utf8'));
  }
  return [...names];
}

function asIds(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number');
  return [];
}

/** Reads and checks a model folder. No onnxruntime here: the session is opened elsewhere. */
export function readModelFolder(dir: string, options: { dtype?: string } = {}): Result<ModelFolder> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return { ok: false, error: `${dir}: not a folder. Pass --model a Hugging Face model folder.` };
  }
  const required = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
  const missing = required.filter((f) => !existsSync(join(dir, f)));
  const onnx = chooseOnnx(dir, options.dtype);
  if (!onnx.ok && options.dtype === undefined && listOnnxVariants(dir).length === 0) missing.push('model.onnx or onnx/model*.onnx');
  if (missing.length > 0) {
    return { ok: false, error: `${dir}: missing ${missing.join(', ')} (a model folder needs config.json, tokenizer.json, tokenizer_config.json and an ONNX decoder)` };
  }
  if (!onnx.ok) return onnx;
  const lostData = externalDataFiles(onnx.value.path).filter((f) => !existsSync(join(dirname(onnx.value.path), f)));
  if (lostData.length > 0) {
    return { ok: false, error: `${onnx.value.path}: its weights live in ${lostData.join(', ')}, which is missing beside it; download the data file too` };
  }

  const configPath = join(dir, 'config.json');
  const rawConfig = readJson(configPath);
  if (!rawConfig.ok) return rawConfig;
  const parsedConfig = configSchema.safeParse(rawConfig.value);
  if (!parsedConfig.success) return { ok: false, error: zodWhere(configPath, parsedConfig.error) };
  const c = parsedConfig.data;
  const numLayers = c.num_hidden_layers ?? c.n_layer;
  const numHeads = c.num_attention_heads ?? c.n_head;
  const hidden = c.hidden_size ?? c.n_embd;
  if (numLayers === undefined || numHeads === undefined) {
    return { ok: false, error: `${configPath}: needs num_hidden_layers and num_attention_heads (decoder shape)` };
  }
  const headDim = c.head_dim ?? (hidden !== undefined ? hidden / numHeads : undefined);
  if (headDim === undefined || !Number.isInteger(headDim)) {
    return { ok: false, error: `${configPath}: needs head_dim, or hidden_size divisible by num_attention_heads` };
  }

  const generationConfig = readGenerationConfig(dir);
  if (!generationConfig.ok) return generationConfig;
  const { generation, eosTokenIds: generationEos } = generationConfig.value;

  const tokenizer = readJson(join(dir, 'tokenizer.json'));
  if (!tokenizer.ok) return tokenizer;
  if (typeof tokenizer.value !== 'object' || tokenizer.value === null || !('model' in tokenizer.value)) {
    return { ok: false, error: `${join(dir, 'tokenizer.json')}: not a Hugging Face tokenizers file (no "model" field)` };
  }
  const template = readPromptTemplate(dir);
  if (!template.ok) return template;
  const { tokenizerConfig, chatTemplate } = template.value;

  return {
    ok: true,
    value: {
      dir,
      onnxPath: onnx.value.path,
      dtype: onnx.value.dtype,
      config: {
        numLayers, numKvHeads: c.num_key_value_heads ?? numHeads, headDim,
        vocabSize: c.vocab_size ?? null, modelType: c.model_type,
      },
      generation,
      tokenizerJson: tokenizer.value,
      tokenizerConfig,
      chatTemplate,
      eosTokenIds: generationEos.length > 0 ? generationEos : asIds(c.eos_token_id),
    },
  };
}

/** generation_config.json's sampling defaults and EOS ids; none when the file is absent. */
export function readGenerationConfig(dir: string): Result<{ generation: GenerationDefaults; eosTokenIds: number[] }> {
  const generationPath = join(dir, 'generation_config.json');
  if (!existsSync(generationPath)) return { ok: true, value: { generation: {}, eosTokenIds: [] } };
  const raw = readJson(generationPath);
  if (!raw.ok) return raw;
  const g = generationSchema.safeParse(raw.value);
  if (!g.success) return { ok: false, error: zodWhere(generationPath, g.error) };
  return {
    ok: true,
    value: {
      generation: { temperature: g.data.temperature, topP: g.data.top_p, topK: g.data.top_k, maxNewTokens: g.data.max_new_tokens, doSample: g.data.do_sample },
      eosTokenIds: asIds(g.data.eos_token_id),
    },
  };
}

/** tokenizer_config.json (required) and the chat template: chat_template.jinja, else its "chat_template". */
export function readPromptTemplate(dir: string): Result<{ tokenizerConfig: Record<string, unknown>; chatTemplate: string | null }> {
  const tokConfigPath = join(dir, 'tokenizer_config.json');
  const tokConfig = readJson(tokConfigPath);
  if (!tokConfig.ok) return tokConfig;
  if (typeof tokConfig.value !== 'object' || tokConfig.value === null || Array.isArray(tokConfig.value)) {
    return { ok: false, error: `${tokConfigPath}: expected a JSON object` };
  }
  const tokenizerConfig = tokConfig.value as Record<string, unknown>;
  const jinjaPath = join(dir, 'chat_template.jinja');
  let chatTemplate: string | null = null;
  if (existsSync(jinjaPath)) chatTemplate = readFileSync(jinjaPath, 'utf8');
  else if (typeof tokenizerConfig.chat_template === 'string') chatTemplate = tokenizerConfig.chat_template;
  return { ok: true, value: { tokenizerConfig, chatTemplate } };
}
