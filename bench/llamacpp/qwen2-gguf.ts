/**
 * A project model folder (config.json, tokenizer.json, the fp32 ONNX decoder) as a GGUF
 * file llama.cpp loads as architecture qwen2: tensors under llama.cpp's names, weights in
 * f32, q8_0 or q4_0 (every 2-D weight, the embedding and lm_head included, quantized from
 * the same fp32 values; norms and biases stay f32). Q and K are written as they are: qwen2
 * uses NEOX-style rotary (rotate_half), which is what the model computes, so no
 * permutation. The tokenizer metadata is minimal: the prompts are fed as token ids, so only
 * the vocabulary size, the token strings (for readable output) and the special ids matter.
 *
 *   npx tsx bench/llamacpp/qwen2-gguf.ts MODEL_DIR OUT.gguf [f32|q8_0|q4_0]
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { GGML_TYPE, type GgmlType, quantizeQ4_0, quantizeQ8_0 } from './ggml-quants.ts';
import { type GgufTensor, type GgufValue, writeGguf } from './gguf.ts';
import { readQwen2Weights, type Weight } from './onnx-weights.ts';

export const GGUF_DTYPES = ['f32', 'q8_0', 'q4_0'] as const;
export type GgufDtype = typeof GGUF_DTYPES[number];
const FILE_TYPE: Record<GgufDtype, number> = { f32: 0, q8_0: 7, q4_0: 2 };
const WEIGHT_TYPE: Record<GgufDtype, GgmlType> = { f32: GGML_TYPE.F32, q8_0: GGML_TYPE.Q8_0, q4_0: GGML_TYPE.Q4_0 };

const configSchema = z.object({
  vocab_size: z.number().int().positive(),
  hidden_size: z.number().int().positive(),
  intermediate_size: z.number().int().positive(),
  num_hidden_layers: z.number().int().positive(),
  num_attention_heads: z.number().int().positive(),
  num_key_value_heads: z.number().int().positive(),
  head_dim: z.number().int().positive().optional(),
  max_position_embeddings: z.number().int().positive(),
  rope_theta: z.number().positive(),
  rms_norm_eps: z.number().positive(),
  bos_token_id: z.number().int().nullable().optional(),
  eos_token_id: z.union([z.number().int(), z.array(z.number().int())]).optional(),
  pad_token_id: z.number().int().nullable().optional(),
});

const tokenizerSchema = z.object({
  added_tokens: z.array(z.object({ id: z.number().int(), content: z.string(), special: z.boolean().optional() })).optional(),
  model: z.object({ vocab: z.record(z.string(), z.number().int()) }),
});

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function asBytes(data: Float32Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Builds the GGUF file's pieces for `modelDir` (its fp32 `onnx/model.onnx` or `model.onnx`). */
export function buildQwen2Gguf(modelDir: string, dtype: GgufDtype): Uint8Array[] {
  const configPath = join(modelDir, 'config.json');
  const parsed = configSchema.safeParse(readJson(configPath));
  if (!parsed.success) throw new Error(`${configPath}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const c = parsed.data;
  const headDim = c.head_dim ?? c.hidden_size / c.num_attention_heads;
  const onnxPath = [join(modelDir, 'onnx', 'model.onnx'), join(modelDir, 'model.onnx')].find(existsSync);
  if (!onnxPath) throw new Error(`${modelDir}: no fp32 onnx/model.onnx (the GGUF is written from the fp32 weights)`);
  const w = readQwen2Weights(onnxPath, c.num_hidden_layers);
  const get = (key: string): Weight => {
    const v = w.get(key);
    if (!v) throw new Error(`${onnxPath}: no weight ${key}`);
    return v;
  };
  const tensors: GgufTensor[] = [];
  const put = (name: string, key: string, quantize: boolean): void => {
    const v = get(key);
    const dims = [...v.shape].reverse();
    if (!quantize || dtype === 'f32') {
      tensors.push({ name, dims, type: GGML_TYPE.F32, data: asBytes(v.data) });
    } else {
      tensors.push({ name, dims, type: WEIGHT_TYPE[dtype], data: dtype === 'q8_0' ? quantizeQ8_0(v.data) : quantizeQ4_0(v.data) });
    }
  };
  put('token_embd.weight', 'embed_tokens.weight', true);
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const l = `layers.${i}`;
    put(`blk.${i}.attn_norm.weight`, `${l}.input_layernorm.weight`, false);
    for (const [g, h] of [['q', 'q_proj'], ['k', 'k_proj'], ['v', 'v_proj']]) {
      put(`blk.${i}.attn_${g}.weight`, `${l}.self_attn.${h}.weight`, true);
      put(`blk.${i}.attn_${g}.bias`, `${l}.self_attn.${h}.bias`, false);
    }
    put(`blk.${i}.attn_output.weight`, `${l}.self_attn.o_proj.weight`, true);
    put(`blk.${i}.ffn_norm.weight`, `${l}.post_attention_layernorm.weight`, false);
    put(`blk.${i}.ffn_gate.weight`, `${l}.mlp.gate_proj.weight`, true);
    put(`blk.${i}.ffn_up.weight`, `${l}.mlp.up_proj.weight`, true);
    put(`blk.${i}.ffn_down.weight`, `${l}.mlp.down_proj.weight`, true);
  }
  put('output_norm.weight', 'norm.weight', false);
  put('output.weight', 'lm_head.weight', true);

  // Tokens: tokenizer.json's strings by id; ids it does not name get placeholders.
  const tokPath = join(modelDir, 'tokenizer.json');
  const tok = tokenizerSchema.safeParse(readJson(tokPath));
  if (!tok.success) throw new Error(`${tokPath}: not a Hugging Face tokenizers file with model.vocab`);
  const tokens = Array.from({ length: c.vocab_size }, (_, i) => `<|passk_unused_${i}|>`);
  const types = Array.from({ length: c.vocab_size }, () => 1);
  for (const [text, id] of Object.entries(tok.data.model.vocab)) if (id < c.vocab_size) tokens[id] = text;
  for (const t of tok.data.added_tokens ?? []) {
    if (t.id < c.vocab_size) { tokens[t.id] = t.content; if (t.special) types[t.id] = 3; }
  }
  const eos = Array.isArray(c.eos_token_id) ? c.eos_token_id[0] : c.eos_token_id;
  const arch = 'qwen2';
  const kv = new Map<string, GgufValue>([
    ['general.architecture', { type: 'str', value: arch }],
    ['general.name', { type: 'str', value: basename(resolve(modelDir)) }],
    ['general.alignment', { type: 'u32', value: 32 }],
    ['general.file_type', { type: 'u32', value: FILE_TYPE[dtype] }],
    [`${arch}.context_length`, { type: 'u32', value: c.max_position_embeddings }],
    [`${arch}.embedding_length`, { type: 'u32', value: c.hidden_size }],
    [`${arch}.block_count`, { type: 'u32', value: c.num_hidden_layers }],
    [`${arch}.feed_forward_length`, { type: 'u32', value: c.intermediate_size }],
    [`${arch}.attention.head_count`, { type: 'u32', value: c.num_attention_heads }],
    [`${arch}.attention.head_count_kv`, { type: 'u32', value: c.num_key_value_heads }],
    [`${arch}.attention.key_length`, { type: 'u32', value: headDim }],
    [`${arch}.attention.value_length`, { type: 'u32', value: headDim }],
    [`${arch}.rope.freq_base`, { type: 'f32', value: c.rope_theta }],
    [`${arch}.attention.layer_norm_rms_epsilon`, { type: 'f32', value: c.rms_norm_eps }],
    ['tokenizer.ggml.model', { type: 'str', value: 'gpt2' }],
    ['tokenizer.ggml.pre', { type: 'str', value: 'default' }],
    ['tokenizer.ggml.tokens', { type: 'strs', value: tokens }],
    ['tokenizer.ggml.token_type', { type: 'i32s', value: types }],
    ['tokenizer.ggml.merges', { type: 'strs', value: [] }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: false }],
  ]);
  if (eos !== undefined) kv.set('tokenizer.ggml.eos_token_id', { type: 'u32', value: eos });
  if (typeof c.bos_token_id === 'number') kv.set('tokenizer.ggml.bos_token_id', { type: 'u32', value: c.bos_token_id });
  if (typeof c.pad_token_id === 'number') kv.set('tokenizer.ggml.padding_token_id', { type: 'u32', value: c.pad_token_id });
  return writeGguf(kv, tensors);
}

function writePieces(path: string, pieces: readonly Uint8Array[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try { for (const p of pieces) writeSync(fd, p); } finally { closeSync(fd); }
  renameSync(tmp, path);
}

/**
 * The GGUF for `modelDir` in `dtype`, written once into a cache folder (PASSK_GGUF_CACHE,
 * default the OS temp folder) under a name keyed by the source ONNX file's path, size and
 * mtime, and reused after.
 */
export function ensureQwen2Gguf(modelDir: string, dtype: GgufDtype): string {
  const onnxPath = [join(modelDir, 'onnx', 'model.onnx'), join(modelDir, 'model.onnx')].find(existsSync);
  if (!onnxPath) throw new Error(`${modelDir}: no fp32 onnx/model.onnx`);
  const st = statSync(onnxPath);
  const key = createHash('sha256').update(`gguf-v1\0${resolve(onnxPath)}\0${st.size}\0${st.mtimeMs}`).digest('hex').slice(0, 16);
  const out = join(process.env.PASSK_GGUF_CACHE ?? join(tmpdir(), 'passk-gguf'), `${key}-${dtype}.gguf`);
  if (!existsSync(out)) writePieces(out, buildQwen2Gguf(modelDir, dtype));
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [modelDir, out, dtype = 'f32'] = process.argv.slice(2);
  if (!modelDir || !out || !(GGUF_DTYPES as readonly string[]).includes(dtype)) {
    process.stderr.write('usage: npx tsx bench/llamacpp/qwen2-gguf.ts MODEL_DIR OUT.gguf [f32|q8_0|q4_0]\n');
    process.exit(2);
  }
  writePieces(out, buildQwen2Gguf(modelDir, dtype as GgufDtype));
  process.stderr.write(`wrote ${out} (${dtype}, ${statSync(out).size} bytes)\n`);
}
