/**
 * Tokens/s of the step-by-step sampler and the resident (Loop) sampler on one exported
 * decoder with random weights: n samples of one prompt, fixed length (no EOS, no stop).
 * Bundled by bench/gpu/build.sh into one CommonJS file that runs on the GPU machine with
 * only onnxruntime-node beside it. Prints one JSON line last.
 *
 *   node resident-bench.cjs --model DIR --n 64 --prompt-len 256 --new 512 --reps 3 --chunk 64 --ep cuda
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DecoderSession } from '../../workers/engine/decoder-session.ts';
import type { EpChoice } from '../../workers/engine/execution-provider.ts';
import type { ModelFolder } from '../../src/node/model-folder/read-model-folder.ts';
import { Sampler } from '../../workers/engine/sampler.ts';
import type { Sample, SampleRequest } from '../../workers/engine/sample-request.ts';
import type { TextCodec } from '../../workers/engine/text-codec.ts';
import { ResidentDecoder } from '../../workers/engine/resident/resident-decoder.ts';
import { ResidentSampler } from '../../workers/engine/resident/resident-sampler.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    n: { type: 'string', default: '64' },
    'prompt-len': { type: 'string', default: '256' },
    new: { type: 'string', default: '512' },
    reps: { type: 'string', default: '3' },
    'step-reps': { type: 'string' },
    chunk: { type: 'string', default: '64' },
    ep: { type: 'string', default: 'cuda' },
    modes: { type: 'string', default: 'step,resident' },
    /** Forces the prefix sampling variant with this many ranked candidates (default: by EP). */
    cap: { type: 'string' },
  },
});
if (!values.model) throw new Error('resident-bench: --model DIR is required (a folder written by bench/gpu/measure.py)');
const dir = values.model;
const n = Number(values.n);
const promptLen = Number(values['prompt-len']);
const newTokens = Number(values.new);
const reps = Number(values.reps);
const stepReps = Number(values['step-reps'] ?? values.reps);
const chunk = Number(values.chunk);
const modes = values.modes.split(',').filter((m) => m !== 'step' || stepReps > 0);

const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, number>;
const folder: ModelFolder = {
  dir,
  onnxPath: join(dir, 'onnx', 'model.onnx'),
  dtype: 'bench',
  config: {
    numLayers: config.num_hidden_layers, numKvHeads: config.num_key_value_heads,
    headDim: config.head_dim, vocabSize: config.vocab_size, modelType: 'qwen2',
  },
  generation: {}, tokenizerJson: {}, tokenizerConfig: {}, chatTemplate: null, eosTokenIds: [],
};
// Random weights have no tokenizer: a sample's "text" is its ids, and nothing ends a row early.
const codec: TextCodec = {
  encode: () => [], decode: (ids) => ids.join(' '), tokenString: String, decodeVerbatim: (ids) => ids.join(' '), eosTokenIds: new Set(), hasChatTemplate: false, formatPrompt: () => '', renderChat: () => '',
};
let seed = 12345;
const promptIds = Array.from({ length: promptLen }, () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % config.vocab_size;
});

async function main(): Promise<void> {
  const opened = await DecoderSession.open(folder, values.ep as EpChoice);
  if (!opened.ok) throw new Error(opened.error);
  const decoder = opened.value;
  let resident: ResidentDecoder | null = null;
  if (modes.includes('resident')) {
    const r = await ResidentDecoder.open(decoder, values.cap ? { variant: { kind: 'prefix', cap: Number(values.cap) } } : {});
    if (!r.ok) throw new Error(r.error);
    resident = r.value;
  }

  const request = (maxNewTokens: number): SampleRequest => ({
    promptIds, stream: { seed: 1, modelId: 'bench', problemId: 'p' }, start: 0, end: n, batch: n,
    params: { temperature: 0.6, topP: 0.95, topK: 0, maxNewTokens, stop: [] },
  });
  const residentStats = { runs: 0, hostSteps: 0 };
  const draw = async (mode: string, maxNewTokens: number): Promise<Sample[]> => {
    if (mode === 'step') return new Sampler(decoder, codec).sample(request(maxNewTokens));
    const sampler = new ResidentSampler(decoder, resident!, codec, { chunk });
    const samples = await sampler.sample(request(maxNewTokens));
    residentStats.runs += sampler.stats.runs;
    residentStats.hostSteps += sampler.stats.hostSteps;
    return samples;
  };

  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const result: Record<string, unknown> = {
    ep: decoder.ep, n, prompt_len: promptLen, new_tokens: newTokens, chunk, variant: resident?.variant ?? null,
  };
  const firstRun: Record<string, Sample[]> = {};
  // Warm-up (kernels, allocator, the Loop subgraph): one full chunk for the resident path,
  // a few steps for the step path, whose per-token cost does not change after the first.
  for (const mode of modes) await draw(mode, Math.min(newTokens, mode === 'step' ? 8 : chunk + 1));
  // Alternating repetitions, so drift in machine load falls on both paths alike.
  const rates: Record<string, number[]> = Object.fromEntries(modes.map((m) => [m, []]));
  for (let r = 0; r < Math.max(reps, stepReps); r++) {
    for (const mode of modes) {
      if (r >= (mode === 'step' ? stepReps : reps)) continue;
      const t0 = performance.now();
      const samples = await draw(mode, newTokens);
      const seconds = (performance.now() - t0) / 1000;
      const tokens = samples.reduce((s, x) => s + x.tokenIds.length, 0);
      rates[mode].push(tokens / seconds);
      firstRun[mode] ??= samples;
      console.error(`${mode} rep ${r}: ${tokens} tokens in ${seconds.toFixed(2)} s = ${(tokens / seconds).toFixed(1)} tokens/s`);
    }
  }
  for (const mode of modes) result[mode] = { tokens_per_s: median(rates[mode]), runs: rates[mode] };
  // Loop runs over all resident draws (warm-up included); host steps = rows the graph left undecided.
  result.resident_loop = residentStats;
  if (firstRun.step && firstRun.resident) {
    const same = firstRun.step.filter((s, i) => s.tokenIds.join() === firstRun.resident[i].tokenIds.join()).length;
    result.rows_identical = same / n;
  }
  await resident?.release();
  await decoder.release();
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
