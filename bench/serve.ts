/**
 * `npm run bench:serve [-- --json]`: generated tokens per second of `passk serve` against
 * `passk sample` on the same model, same prompts, same settings and the same batch (the
 * engine's cohort of up to --batch rows), each in its own process with the same onnxruntime
 * threads, alternating, medians of --reps. The server is asked two ways through the
 * official openai client: one request with n choices per prompt, and n concurrent requests
 * of one choice each with their own seeds (what `passk worker --backend openai` sends),
 * which the server gathers into cohorts. Model loading is outside every timing.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import { parseProblemsJsonl } from '../src/core/sampling/parse-problems.ts';
import { BOXED_INSTRUCTION } from '../src/core/sampling/prompt-format.ts';
import { readModelFolder } from '../src/node/model-folder/read-model-folder.ts';
import { BUNDLED_BENCHMARK, bundledModelDir } from '../src/node/resources.ts';
import { freePort, startServe } from '../test/support/lab.ts';
import { createTextCodec } from '../workers/engine/text-codec.ts';
import type { SampleChildConfig } from './serve-sample-child.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: bundledModelDir('base') },
    prompts: { type: 'string', default: '8' },
    n: { type: 'string', default: '64' },
    batch: { type: 'string', default: '64' },
    'max-new-tokens': { type: 'string', default: '256' },
    threads: { type: 'string', default: String(availableParallelism()) },
    reps: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
const modelDir = resolve(values.model!);
const [promptCount, n, batch, maxNewTokens, threads, reps] = ['prompts', 'n', 'batch', 'max-new-tokens', 'threads', 'reps'].map((k) => Number(values[k as 'n']));
const settings = { temperature: 0.6, topP: 0.95 };
const log = (line: string) => void process.stderr.write(`${line}\n`);

const parsed = parseProblemsJsonl(readFileSync(BUNDLED_BENCHMARK, 'utf8'), BUNDLED_BENCHMARK);
if (!parsed.ok) throw new Error(parsed.error);
const all = parsed.value;
const folder = readModelFolder(modelDir);
if (!folder.ok) throw new Error(folder.error);
const codec = createTextCodec(folder.value);
// The same prompt text to both: rendered here once (chat template), sent raw.
const prompts = Array.from({ length: promptCount }, (_, i) => all[Math.floor((i * all.length) / promptCount)])
  .map((p) => codec.formatPrompt(p.problem, codec.hasChatTemplate ? 'chat' : 'raw', `{problem}\n${BOXED_INSTRUCTION}`));

// passk sample: the engine in a child process.
const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'serve-sample-child.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
const answers = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
const ask = async (line: string) => {
  child.stdin!.write(`${line}\n`);
  const next = await answers.next();
  if (next.done) throw new Error('the passk sample child exited');
  return JSON.parse(next.value) as { tokens: number; seconds: number };
};
await ask(JSON.stringify({ modelDir, prompts, n, batch, maxNewTokens, threads, ...settings } satisfies SampleChildConfig));

// passk serve: the real command, one model, same threads and batch.
const serve = await startServe(['--model', `bench=${modelDir}`, '--port', String(await freePort()), '--threads', String(threads), '--batch', String(batch)]);
const client = new OpenAI({ baseURL: serve.baseUrl, apiKey: 'none', maxRetries: 0, timeout: 600_000 });
let rep = 0;
const body = { model: 'bench', max_tokens: maxNewTokens, temperature: settings.temperature, top_p: settings.topP };

async function serveOneRequest(): Promise<{ tokens: number; seconds: number }> {
  const started = performance.now();
  let tokens = 0;
  rep++;
  for (const prompt of prompts) tokens += (await client.completions.create({ ...body, prompt, n, seed: rep })).usage!.completion_tokens;
  return { tokens, seconds: (performance.now() - started) / 1000 };
}

async function serveConcurrent(): Promise<{ tokens: number; seconds: number }> {
  const started = performance.now();
  let tokens = 0;
  rep++;
  for (const prompt of prompts) {
    const all = await Promise.all(Array.from({ length: n }, (_, j) => client.completions.create({ ...body, prompt, n: 1, seed: rep * 100_000 + j })));
    for (const r of all) tokens += r.usage!.completion_tokens;
  }
  return { tokens, seconds: (performance.now() - started) / 1000 };
}

const ways = {
  sample: () => ask('run'),
  'serve-n': serveOneRequest,
  'serve-concurrent': serveConcurrent,
} as const;
const rates: Record<keyof typeof ways, number[]> = { sample: [], 'serve-n': [], 'serve-concurrent': [] };
try {
  log(`bench:serve: ${modelDir}, ${promptCount} prompts × n=${n}, batch ${batch}, max_new_tokens ${maxNewTokens}, T ${settings.temperature}, top-p ${settings.topP}, ${threads} threads, ${reps} reps`);
  for (const way of Object.keys(ways) as (keyof typeof ways)[]) await ways[way](); // warm-up: caches, JIT, first cohort
  for (let r = 0; r < reps; r++) {
    for (const way of Object.keys(ways) as (keyof typeof ways)[]) {
      const run = await ways[way]();
      rates[way].push(run.tokens / run.seconds);
      log(`  rep ${r + 1} ${way.padEnd(16)} ${run.tokens} tokens in ${run.seconds.toFixed(2)} s = ${(run.tokens / run.seconds).toFixed(0)} tok/s`);
    }
  }
  const health = (await (await fetch(serve.baseUrl.replace(/\/v1$/, '/health'))).json()) as { models: { cohorts: number; rows: number }[] };
  log(`  the server ran ${health.models[0].rows} rows in ${health.models[0].cohorts} cohorts (${(health.models[0].rows / health.models[0].cohorts).toFixed(1)} rows each; --batch ${batch} splits larger ones)`);
} finally {
  child.kill();
  await serve.kill('SIGTERM');
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const result = {
  model: modelDir, prompts: promptCount, n, batch, maxNewTokens, threads, reps,
  sampleTokensPerSecond: Math.round(median(rates.sample)),
  serveTokensPerSecond: Math.round(median(rates['serve-n'])),
  serveConcurrentTokensPerSecond: Math.round(median(rates['serve-concurrent'])),
  ratio: +(median(rates['serve-n']) / median(rates.sample)).toFixed(3),
  ratioConcurrent: +(median(rates['serve-concurrent']) / median(rates.sample)).toFixed(3),
};
if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  process.stdout.write(`passk sample                          ${result.sampleTokensPerSecond} tok/s\n`);
  process.stdout.write(`passk serve, n=${n} per request        ${result.serveTokensPerSecond} tok/s  (ratio ${result.ratio})\n`);
  process.stdout.write(`passk serve, ${n} concurrent n=1 requests ${result.serveConcurrentTokensPerSecond} tok/s  (ratio ${result.ratioConcurrent})\n`);
}
