/**
 * `npm run bench:sampler [-- --json] [--model DIR] [--n N]`: generated tokens per second
 * of wall time, on the CPU, of this engine against @huggingface/transformers text
 * generation and llama.cpp (node-llama-cpp, GGUF written from the same fp32 weights by
 * bench/llamacpp/qwen2-gguf.ts), same prompts, n samples each, same max_new_tokens and
 * sampling settings; alternating engines, several repetitions, medians. Per weight type
 * (`--dtypes f32,q8_0,q4_0`): f32 is model.onnx against a f32 GGUF; q8_0 and q4_0 are
 * passk's MatMulNBits variants (onnx/model_quantized.onnx, onnx/model_q4.onnx, written by
 * tools/modelzoo/make_shape.py with ggml's codes) against the GGUF quantized alike; a
 * folder without the variant reports "no passk path yet" and measures llama.cpp alone.
 */
import { readFileSync } from 'node:fs';
import { fork } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseProblemsJsonl } from '../src/core/sampling/parse-problems.ts';
import { BOXED_INSTRUCTION } from '../src/core/sampling/prompt-format.ts';
import { listOnnxVariants, readModelFolder } from '../src/node/model-folder/read-model-folder.ts';
import { REPO_ROOT } from '../test/support/test-model.ts';
import { createTextCodec } from '../workers/engine/text-codec.ts';
import { ensureQwen2Gguf, GGUF_DTYPES, type GgufDtype } from './llamacpp/qwen2-gguf.ts';
import type { BenchConfig, BenchRequest, BenchRun } from './sampler-child.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: join(REPO_ROOT, 'resources', 'models', 'base') },
    prompts: { type: 'string', default: '16' },
    n: { type: 'string', default: '64' },
    'max-new-tokens': { type: 'string', default: '256' },
    reps: { type: 'string', default: '3' },
    batches: { type: 'string', default: '64,16,4,1' },
    threads: { type: 'string', default: `1,${availableParallelism()}` },
    decode: { type: 'string', default: 'resident' },
    dtypes: { type: 'string', default: 'f32,q8_0,q4_0' },
    engines: { type: 'string', default: 'passk,tjs,llamacpp' },
    json: { type: 'boolean', default: false },
  },
});
const modelDir = resolve(values.model!);
const promptCount = Number(values.prompts);
const n = Number(values.n);
const maxNewTokens = Number(values['max-new-tokens']);
const reps = Number(values.reps);
const batches = values.batches!.split(',').map(Number);
// Intra-op thread counts to try (0: onnxruntime's default). Each engine runs with the
// count it is fastest at here: transformers.js was slower with 2 threads than with 1 on
// this 2-core machine, passk faster.
const threadCounts = [...new Set(values.threads!.split(',').map(Number))];
const settings = { temperature: 0.6, topP: 0.95, topK: 0 };
if (values.decode !== 'step' && values.decode !== 'resident') throw new Error(`--decode ${values.decode}: expected step or resident`);
const decode: BenchConfig['decode'] = values.decode;
const log = (line: string): void => void process.stderr.write(line + '\n');
const dtypes = values.dtypes!.split(',');
for (const d of dtypes) if (!(GGUF_DTYPES as readonly string[]).includes(d)) throw new Error(`--dtypes ${d}: expected ${GGUF_DTYPES.join(', ')}`);
type Engine = 'passk' | 'tjs' | 'llamacpp';
const ENGINES: readonly Engine[] = ['passk', 'tjs', 'llamacpp'];
const engines = values.engines!.split(',') as Engine[];
for (const e of engines) if (!ENGINES.includes(e)) throw new Error(`--engines ${e}: expected ${ENGINES.join(', ')}`);
/** passk's (and transformers.js's) ONNX variant for each GGUF weight type. */
const ONNX_DTYPE: Record<GgufDtype, string> = { f32: 'fp32', q8_0: 'quantized', q4_0: 'q4' };

const benchFile = join(REPO_ROOT, 'resources', 'benchmarks', 'chain-arithmetic-test.jsonl');
const parsed = parseProblemsJsonl(readFileSync(benchFile, 'utf8'), benchFile);
if (!parsed.ok) throw new Error(parsed.error);
const all = parsed.value;
// Spread over the file so that every difficulty level is in the set.
const problems = Array.from({ length: promptCount }, (_, i) => all[Math.floor((i * all.length) / promptCount)]);
const variants = new Set(listOnnxVariants(modelDir).map((v) => v.dtype));

// Prompts rendered by the codec alone (no onnxruntime in this process: each engine runs in a child).
const folder = readModelFolder(modelDir);
if (!folder.ok) throw new Error(folder.error);
const codec = createTextCodec(folder.value);
const template = `{problem}\n${BOXED_INSTRUCTION}`;
const prompts = problems.map((p) => codec.formatPrompt(p.problem, codec.hasChatTemplate ? 'chat' : 'raw', template));

interface Child { run(req: BenchRequest): Promise<BenchRun>; stop(): void }

function startChild(engine: Engine, dtype: GgufDtype, threads: number): Promise<Child> {
  const config: BenchConfig = {
    engine, modelDir, prompts, problemIds: problems.map((p) => p.id), n, maxNewTokens, threads: threads || undefined, decode, ...settings,
    ...(engine === 'llamacpp' ? { gguf: ensureQwen2Gguf(modelDir, dtype) } : dtype === 'f32' ? {} : { dtype: ONNX_DTYPE[dtype] }),
  };
  const child = fork(join(REPO_ROOT, 'bench', 'sampler-child.ts'), [], {
    execArgv: ['--import', 'tsx'], env: { ...process.env, PASSK_BENCH_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolveReady, reject) => {
    child.once('exit', (code) => reject(new Error(`bench child ${engine} ${dtype} exited with code ${code}`)));
    child.once('message', () => resolveReady({
      run: (req) => new Promise((done) => {
        child.once('message', (m) => done(m as BenchRun));
        child.send(req);
      }),
      stop: () => { child.removeAllListeners('exit'); child.kill(); },
    }));
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const loadNow = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
const loadStart = loadavg();

// The GGUF files first (written once, cached): a model the writer cannot read fails here,
// before any engine starts.
if (engines.includes('llamacpp')) for (const d of dtypes as GgufDtype[]) ensureQwen2Gguf(modelDir, d);
log(`bench:sampler: ${modelDir}, ${prompts.length} prompts × n=${n}, max_new_tokens=${maxNewTokens}, `
  + `T=${settings.temperature} top-p=${settings.topP}, ${reps} reps, CPU, threads tried: ${threadCounts.map((t) => t || 'default').join(', ')}; `
  + `engines ${engines.join(', ')}; weights ${dtypes.join(', ')}; load average ${loadNow()}`);
const NAME: Record<Engine, string> = { passk: `passk ${decode}`, tjs: 'transformers.js', llamacpp: 'llama.cpp' };
// Each engine runs with its fastest thread count and batch size, measured after a warm-up
// on a spread of the prompts (easy and hard: answer lengths differ). The batch size
// matters most for transformers.js 4.3, which stops a batch only when every row's last
// token is EOS in the same step, so a batch usually runs to max_new_tokens.
const everyPrompt = prompts.map((_, i) => i);
const calibration = [...new Set([0, 1, 2, 3].map((j) => Math.floor((j * prompts.length) / 4)))];
const usefulBatches = [...new Set(batches.map((b) => Math.min(b, n)))];
interface Result { engine: Engine; rate: number; seconds: number; tokensPerSample: number; boxedShare: number; batch: number; threads: number }
const results = new Map<GgufDtype, Result[]>();
const missing = new Map<GgufDtype, string>();

for (const dtype of dtypes as GgufDtype[]) {
  // Engines with a path for these weights: transformers.js only in f32 (its quantized
  // loaders are not what this bench measures), passk where the folder has the variant.
  const here = engines.filter((e) => e === 'llamacpp' || (e === 'tjs' ? dtype === 'f32' : variants.has(ONNX_DTYPE[dtype])));
  if (engines.includes('passk') && !here.includes('passk')) {
    missing.set(dtype, `no passk path yet (${modelDir} has no onnx/model_${ONNX_DTYPE[dtype]}.onnx; tools/modelzoo/make_shape.py writes one)`);
  }
  const best = new Map<Engine, { child: Child; threads: number; batch: number; rate: number }>();
  for (const which of here) {
    for (const t of threadCounts) {
      const child = await startChild(which, dtype, t);
      await child.run({ rep: 99, batch: Math.min(4, n), prompts: [0] });
      let kept = false;
      for (const b of usefulBatches) {
        if (usefulBatches.length === 1 && threadCounts.length === 1) {
          // Nothing to choose: the warm-up above is enough.
          best.set(which, { child, threads: t, batch: b, rate: 0 });
          kept = true;
          continue;
        }
        const r = await child.run({ rep: 0, batch: b, prompts: calibration });
        const rate = r.tokens / r.seconds;
        log(`  ${dtype} calibrate ${which.padEnd(8)} threads ${t || 'default'} batch ${String(b).padStart(3)}: ${rate.toFixed(0)} tok/s (prompts ${calibration.join(', ')})`);
        const prev = best.get(which);
        if (!prev || rate > prev.rate) {
          if (prev && prev.child !== child) prev.child.stop();
          best.set(which, { child, threads: t, batch: b, rate });
          kept = true;
        }
      }
      if (!kept && best.get(which)!.child !== child) child.stop();
    }
  }
  const runs = new Map<Engine, BenchRun[]>(here.map((e) => [e, []]));
  for (let rep = 0; rep < reps; rep++) {
    // Rotate which engine goes first, so drift in machine load hits all alike.
    const order = here.map((_, i) => here[(i + rep) % here.length]);
    for (const which of order) {
      const b = best.get(which)!;
      const r = await b.child.run({ rep, batch: b.batch, prompts: everyPrompt });
      runs.get(which)!.push(r);
      log(`  ${dtype} rep ${rep + 1} ${which.padEnd(8)} ${r.tokens} tokens in ${r.seconds.toFixed(2)} s = ${(r.tokens / r.seconds).toFixed(0)} tok/s; `
        + `${r.boxed}/${r.samples} answers contain \\boxed{`);
    }
  }
  results.set(dtype, here.map((engine) => {
    const rs = runs.get(engine)!;
    const b = best.get(engine)!;
    b.child.stop();
    return {
      engine, rate: median(rs.map((r) => r.tokens / r.seconds)), seconds: median(rs.map((r) => r.seconds)),
      tokensPerSample: rs.reduce((a, r) => a + r.tokens / r.samples, 0) / rs.length,
      boxedShare: rs.reduce((a, r) => a + r.boxed / r.samples, 0) / rs.length, batch: b.batch, threads: b.threads,
    };
  }));
}

const rows = [['weights', 'engine', 'median tok/s', 'median s', 'tokens/sample', '\\boxed{ share']];
for (const [dtype, rs] of results) {
  for (const r of rs) {
    rows.push([dtype, `${NAME[r.engine]} (batch ${r.batch}, threads ${r.threads || 'default'})`, r.rate.toFixed(0), r.seconds.toFixed(2),
      r.tokensPerSample.toFixed(1), r.boxedShare.toFixed(3)]);
  }
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
const table = [...rows.map((r) => r.map((cell, c) => cell.padStart(widths[c])).join('  ')),
  ...[...missing].map(([d, why]) => `${d}: passk: ${why}`)].join('\n');
const rateOf = (dtype: GgufDtype, e: Engine): number | undefined => results.get(dtype)?.find((r) => r.engine === e)?.rate;
const ratio = (a: number | undefined, b: number | undefined): number | null => (a !== undefined && b !== undefined ? Number((a / b).toFixed(3)) : null);
const lines = [...results.keys()].map((d) => `${d}: passk / llama.cpp ${ratio(rateOf(d, 'passk'), rateOf(d, 'llamacpp')) ?? '—'}`
  + (d === 'f32' ? `, passk / transformers.js ${ratio(rateOf(d, 'passk'), rateOf(d, 'tjs')) ?? '—'}` : ''));
process.stdout.write(`${table}\n${lines.join('; ')}; load average at start ${loadStart.map((l) => l.toFixed(1)).join(' ')}, now ${loadNow()}\n`);
if (values.json) {
  const tps = (x: number | undefined): number | null => (x === undefined ? null : Number(x.toFixed(1)));
  const setting = (d: GgufDtype, e: Engine): { batch: number; threads: number } | null => {
    const r = results.get(d)?.find((x) => x.engine === e);
    return r ? { batch: r.batch, threads: r.threads } : null;
  };
  const f32 = 'f32' as GgufDtype;
  process.stdout.write(JSON.stringify({
    model: modelDir, n, prompts: prompts.length, max_new_tokens: maxNewTokens,
    passk_tokens_per_s: tps(rateOf(f32, 'passk')), transformersjs_tokens_per_s: tps(rateOf(f32, 'tjs')),
    llamacpp_tokens_per_s: tps(rateOf(f32, 'llamacpp')),
    ratio: ratio(rateOf(f32, 'passk'), rateOf(f32, 'tjs')), ratio_vs_llamacpp: ratio(rateOf(f32, 'passk'), rateOf(f32, 'llamacpp')),
    passk: setting(f32, 'passk'), transformersjs: setting(f32, 'tjs'), llamacpp: setting(f32, 'llamacpp'),
    dtypes: Object.fromEntries(dtypes.filter((d) => d !== 'f32').map((d) => [d, {
      passk: missing.get(d as GgufDtype) ?? (rateOf(d as GgufDtype, 'passk') === undefined ? null : { onnx: `model_${ONNX_DTYPE[d as GgufDtype]}.onnx`, ...setting(d as GgufDtype, 'passk') }),
      passk_tokens_per_s: tps(rateOf(d as GgufDtype, 'passk')), llamacpp_tokens_per_s: tps(rateOf(d as GgufDtype, 'llamacpp')),
      ratio_vs_llamacpp: ratio(rateOf(d as GgufDtype, 'passk'), rateOf(d as GgufDtype, 'llamacpp')), llamacpp: setting(d as GgufDtype, 'llamacpp'),
    }])),
    load_average: { start: loadStart.map((l) => Number(l.toFixed(2))), end: loadavg().map((l) => Number(l.toFixed(2))) },
  }) + '\n');
}
