import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..');
const modelsDir = path.join(repoRoot, 'resources/models');
const TRIO = ['base', 'rl', 'distilled'] as const;
const HF_FILES = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];
const NEW_TOKENS = 4;
const USER_MESSAGE =
  'Start with 18, multiply by 4, multiply by 2. What is the result?\n' +
  'Please reason step by step, and put your final answer within \\boxed{}.';

interface ModelConfig {
  num_hidden_layers: number;
  num_key_value_heads: number;
  head_dim: number;
  vocab_size: number;
}

// @huggingface/transformers carries its own onnxruntime-node (1.30) whose native library
// cannot share a process with the project's 1.29, so its half of the check runs in a child.
const TRANSFORMERS_CHILD = `
import { env, AutoTokenizer, AutoModelForCausalLM } from '@huggingface/transformers';
const [modelsDir, names, userMessage, newTokens] = JSON.parse(process.argv[1]);
env.allowRemoteModels = false;
env.localModelPath = modelsDir;
const result = {};
for (const name of names) {
  const tokenizer = await AutoTokenizer.from_pretrained(name);
  const prompt = tokenizer.apply_chat_template([{ role: 'user', content: userMessage }], { tokenize: false, add_generation_prompt: true });
  const inputs = tokenizer(prompt);
  const model = await AutoModelForCausalLM.from_pretrained(name, { dtype: 'fp32' });
  const out = await model.generate({ ...inputs, max_new_tokens: newTokens, do_sample: false });
  const promptIds = Array.from(inputs.input_ids.data, Number);
  const all = Array.from(out.data, Number);
  result[name] = { prompt, promptIds, generated: all.slice(promptIds.length) };
  await model.dispose();
}
process.stdout.write(JSON.stringify(result));
`;

interface ChildResult {
  prompt: string;
  promptIds: number[];
  generated: number[];
}

function runTransformers(names: readonly string[]): Record<string, ChildResult> {
  const child = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', TRANSFORMERS_CHILD, JSON.stringify([`${modelsDir}/`, names, USER_MESSAGE, NEW_TOKENS])],
    { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 },
  );
  if (child.status !== 0) throw new Error(`transformers.js child failed (${child.status}):\n${child.stderr}`);
  return JSON.parse(child.stdout) as Record<string, ChildResult>;
}

function argmax(data: Float32Array | number[], offset: number, length: number): number {
  let best = 0;
  for (let i = 1; i < length; i++) if (data[offset + i]! > data[offset + best]!) best = i;
  return best;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

const int64 = (values: number[], dims: number[]): ort.Tensor =>
  new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), dims);

/** Greedy decoding by hand: prefill with empty past tensors, then one token per step with the past. */
async function greedyWithOrt(onnxPath: string, cfg: ModelConfig, promptIds: number[], steps: number, half: boolean): Promise<number[]> {
  const session = await ort.InferenceSession.create(onnxPath);
  const floatType = half ? 'float16' : 'float32';
  const emptyPast = (): ort.Tensor =>
    new ort.Tensor(floatType, half ? new Uint16Array(0) : new Float32Array(0), [1, cfg.num_key_value_heads, 0, cfg.head_dim]);
  let past: Record<string, ort.Tensor> = {};
  for (let i = 0; i < cfg.num_hidden_layers; i++) {
    past[`past_key_values.${i}.key`] = emptyPast();
    past[`past_key_values.${i}.value`] = emptyPast();
  }
  const tokens: number[] = [];
  let input = promptIds;
  let pastLength = 0;
  for (let step = 0; step < steps; step++) {
    const total = pastLength + input.length;
    const out = await session.run({
      input_ids: int64(input, [1, input.length]),
      attention_mask: int64(new Array<number>(total).fill(1), [1, total]),
      position_ids: int64(input.map((_, i) => pastLength + i), [1, input.length]),
      ...past,
    });
    const logits = out.logits!;
    expect(logits.dims).toEqual([1, input.length, cfg.vocab_size]);
    const data = half ? Array.from(logits.data as Uint16Array, halfToFloat) : (logits.data as Float32Array);
    const next = argmax(data, (input.length - 1) * cfg.vocab_size, cfg.vocab_size);
    tokens.push(next);
    const nextPast: Record<string, ort.Tensor> = {};
    for (let i = 0; i < cfg.num_hidden_layers; i++) {
      for (const kind of ['key', 'value']) {
        const present = out[`present.${i}.${kind}`]!;
        expect(present.dims).toEqual([1, cfg.num_key_value_heads, total, cfg.head_dim]);
        expect(present.type).toBe(floatType);
        nextPast[`past_key_values.${i}.${kind}`] = present;
      }
    }
    past = nextPast;
    pastLength = total;
    input = [next];
  }
  await session.release();
  return tokens;
}

const manifestPath = path.join(modelsDir, 'SHA256SUMS');

describe('bundled models', () => {
  it('match the sha256 manifest and hold the Hugging Face files', () => {
    expect(existsSync(manifestPath), `${manifestPath} is missing; rebuild with tools/modelzoo/build.py`).toBe(true);
    const entries = readFileSync(manifestPath, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
        if (!m) throw new Error(`SHA256SUMS: malformed line "${line}"`);
        return { hash: m[1]!, file: m[2]! };
      });
    for (const { hash, file } of entries) {
      const actual = createHash('sha256').update(readFileSync(path.join(modelsDir, file))).digest('hex');
      expect(actual, `sha256 of resources/models/${file}`).toBe(hash);
    }
    const listed = new Set(entries.map((e) => e.file));
    for (const name of TRIO) for (const file of HF_FILES) expect(listed.has(`${name}/${file}`), `${name}/${file} in SHA256SUMS`).toBe(true);
  });

  it('generate the same greedy tokens with onnxruntime-node and @huggingface/transformers', async () => {
    const viaTransformers = runTransformers(TRIO);
    for (const name of TRIO) {
      const folder = path.join(modelsDir, name);
      const cfg = JSON.parse(readFileSync(path.join(folder, 'config.json'), 'utf8')) as ModelConfig;
      const hf = viaTransformers[name]!;
      expect(hf.prompt).toBe(`<|im_start|>user\n${USER_MESSAGE}<|im_end|>\n<|im_start|>assistant\n`);
      expect(hf.generated).toHaveLength(NEW_TOKENS);
      const ours = await greedyWithOrt(path.join(folder, 'onnx/model.onnx'), cfg, hf.promptIds, NEW_TOKENS, false);
      expect(ours, `${name}: greedy tokens`).toEqual(hf.generated);
    }
  });

  it('base fp16 variant takes fp16 past tensors and agrees with fp32 on greedy tokens', async () => {
    const folder = path.join(modelsDir, 'base');
    const cfg = JSON.parse(readFileSync(path.join(folder, 'config.json'), 'utf8')) as ModelConfig;
    const promptIds = runTransformers(['base']).base!.promptIds;
    const fp32 = await greedyWithOrt(path.join(folder, 'onnx/model.onnx'), cfg, promptIds, NEW_TOKENS, false);
    const fp16 = await greedyWithOrt(path.join(folder, 'onnx/model_fp16.onnx'), cfg, promptIds, NEW_TOKENS, true);
    expect(fp16).toEqual(fp32);
  });
});
