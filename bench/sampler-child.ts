/**
 * One engine of `bench:sampler`, in its own process: transformers.js carries
 * onnxruntime-node 1.30 and this project 1.29, and both native libraries cannot share a
 * process (nor, to be safe, llama.cpp's). The parent sends {rep}; the child answers with
 * one run's counts.
 */
import { basename, dirname } from 'node:path';
import { readModelFolder } from '../src/node/model-folder/read-model-folder.ts';
import type { DecodePath } from '../workers/engine/resident/open-decode-path.ts';
import { createTextCodec } from '../workers/engine/text-codec.ts';

export interface BenchConfig {
  engine: 'passk' | 'tjs' | 'llamacpp';
  modelDir: string;
  /** passk and transformers.js: the ONNX variant (`onnx/model_D.onnx`; absent: model.onnx). */
  dtype?: string;
  /** llamacpp: the GGUF file. */
  gguf?: string;
  prompts: string[];
  problemIds: string[];
  n: number;
  maxNewTokens: number;
  threads?: number;
  temperature: number;
  topP: number;
  /** passk's decode path: one session.run per token, or chunks of steps in an ONNX Loop. */
  decode: 'step' | 'resident';
}

export interface BenchRun { tokens: number; seconds: number; boxed: number; samples: number }

const config = JSON.parse(process.env.PASSK_BENCH_CONFIG!) as BenchConfig;
const { modelDir, prompts, n, maxNewTokens, threads } = config;

// One codec decodes both engines' output, so both are judged by the same text. Only the
// passk child loads the engine (and with it onnxruntime-node 1.29).
const folder = readModelFolder(modelDir);
if (!folder.ok) throw new Error(folder.error);
const codec = createTextCodec(folder.value);
const eos = codec.eosTokenIds;

async function loadPassk(): Promise<DecodePath> {
  const { openEngine } = await import('../workers/engine/open-engine.ts');
  const opened = await openEngine(modelDir, { ep: 'cpu', threads, decode: config.decode, dtype: config.dtype });
  if (!opened.ok) throw new Error(opened.error);
  return opened.value.decodePath;
}

async function runPassk(engine: DecodePath, rep: number, batch: number, which: readonly number[]): Promise<BenchRun> {
  const t0 = performance.now();
  let tokens = 0;
  let boxed = 0;
  for (const i of which) {
    const samples = await engine.sample({
      promptIds: codec.encode(prompts[i]), stream: { seed: rep, modelId: 'bench', problemId: config.problemIds[i] },
      start: 0, end: n, params: { temperature: config.temperature, topP: config.topP, topK: 0, maxNewTokens, stop: [] }, batch,
    });
    for (const s of samples) {
      tokens += s.tokenIds.length;
      if (s.text.includes('\\boxed{')) boxed++;
    }
  }
  return { tokens, seconds: (performance.now() - t0) / 1000, boxed, samples: which.length * n };
}

async function loadTransformersJs(): Promise<(batch: number, which: readonly number[]) => Promise<BenchRun>> {
  const tj = await import('@huggingface/transformers');
  tj.env.allowRemoteModels = false;
  // transformers.js resolves local models as `${localModelPath}${name}/onnx/model.onnx`.
  tj.env.localModelPath = dirname(modelDir) + '/';
  const tokenizer = await tj.AutoTokenizer.from_pretrained(basename(modelDir));
  const model = await tj.AutoModelForCausalLM.from_pretrained(basename(modelDir), {
    dtype: (config.dtype === 'quantized' ? 'q8' : config.dtype ?? 'fp32') as 'fp32', device: 'cpu',
    ...(threads ? { session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 } } : {}),
  });
  return async (batch, which) => {
    const t0 = performance.now();
    let tokens = 0;
    let boxed = 0;
    for (const prompt of which.map((i) => prompts[i])) {
      // The n samples of a prompt in batches of identical rows; the parent calibrates the size.
      for (let start = 0; start < n; start += batch) {
        const rows = Math.min(batch, n - start);
        const inputs = tokenizer(Array(rows).fill(prompt), { padding: true, add_special_tokens: false });
        const out = await model.generate({
          ...inputs, do_sample: true, temperature: config.temperature, top_p: config.topP, top_k: 0,
          max_new_tokens: maxNewTokens,
        }) as { dims: number[]; data: BigInt64Array };
        const [b, width] = out.dims;
        const promptLen = (inputs.input_ids.dims as number[])[1];
        for (let r = 0; r < b; r++) {
          // Generated tokens: up to and including the first EOS; what follows is padding.
          const ids: number[] = [];
          for (let j = promptLen; j < width; j++) {
            const t = Number(out.data[r * width + j]);
            ids.push(t);
            if (eos.has(t)) break;
          }
          tokens += ids.length;
          if (codec.decode(ids).includes('\\boxed{')) boxed++;
        }
      }
    }
    return { tokens, seconds: (performance.now() - t0) / 1000, boxed, samples: which.length * n };
  };
}

async function loadLlamaCpp(): Promise<(rep: number, batch: number, which: readonly number[]) => Promise<BenchRun>> {
  const { openLlamaEngine } = await import('./llamacpp/llama-engine.ts');
  const encoded = prompts.map((p) => codec.encode(p));
  const longest = Math.max(...encoded.map((p) => p.length));
  const llama = await openLlamaEngine(config.gguf!, { threads: threads ?? 1, contextPerSequence: longest + maxNewTokens + 8 });
  return async (rep, batch, which) => {
    const t0 = performance.now();
    let tokens = 0;
    let boxed = 0;
    for (const i of which) {
      const samples = await llama.sample(encoded[i], n, batch, {
        temperature: config.temperature, topP: config.topP, topK: 0, maxNewTokens,
      }, rep * 1_000_003 + i * 10_007);
      for (const ids of samples) {
        tokens += ids.length;
        if (codec.decode(ids).includes('\\boxed{')) boxed++;
      }
    }
    return { tokens, seconds: (performance.now() - t0) / 1000, boxed, samples: which.length * n };
  };
}

const runTjs = config.engine === 'tjs' ? await loadTransformersJs() : null;
const runLlama = config.engine === 'llamacpp' ? await loadLlamaCpp() : null;
const engine = config.engine === 'passk' ? await loadPassk() : null;
/** `prompts`: indices into the configured prompts. */
export interface BenchRequest { rep: number; batch: number; prompts: number[] }

process.on('message', async (m: BenchRequest) => {
  const result = runTjs ? await runTjs(m.batch, m.prompts)
    : runLlama ? await runLlama(m.rep, m.batch, m.prompts)
    : await runPassk(engine!, m.rep, m.batch, m.prompts);
  process.send!(result);
});
process.send!({ ready: true });
