/**
 * `npm run bench:sampler [-- --json]`: generated tokens per second of wall time, on the
 * CPU, of this engine against @huggingface/transformers text generation, same model, same
 * 16 prompts, n samples each, same max_new_tokens and sampling settings; alternating
 * engines, several repetitions, medians.
 */
import { readFileSync } from 'node:fs';
import { fork } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseProblemsJsonl } from '../src/core/sampling/parse-problems.ts';
import { BOXED_INSTRUCTION } from '../src/core/sampling/prompt-format.ts';
import { readModelFolder } from '../src/node/model-folder/read-model-folder.ts';
import { REPO_ROOT } from '../test/support/test-model.ts';
import { createTextCodec } from '../workers/engine/text-codec.ts';
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

const benchFile = join(REPO_ROOT, 'resources', 'benchmarks', 'chain-arithmetic-test.jsonl');
const parsed = parseProblemsJsonl(readFileSync(benchFile, 'utf8'), benchFile);
if (!parsed.ok) throw new Error(parsed.error);
const all = parsed.value;
// Spread over the file so that every difficulty level is in the set.
const problems = Array.from({ length: promptCount }, (_, i) => all[Math.floor((i * all.length) / promptCount)]);

// Prompts rendered by the codec alone (no onnxruntime in this process: each engine runs in a child).
const folder = readModelFolder(modelDir);
if (!folder.ok) throw new Error(folder.error);
const codec = createTextCodec(folder.value);
const template = `{problem}\n${BOXED_INSTRUCTION}`;
const prompts = problems.map((p) => codec.formatPrompt(p.problem, codec.hasChatTemplate ? 'chat' : 'raw', template));

interface Child { run(req: BenchRequest): Promise<BenchRun>; stop(): void }

function startChild(engine: BenchConfig['engine'], threads: number): Promise<Child> {
  const config: BenchConfig = {
    engine, modelDir, prompts, problemIds: problems.map((p) => p.id), n, maxNewTokens, threads: threads || undefined, decode, ...settings,
  };
  const child = fork(join(REPO_ROOT, 'bench', 'sampler-child.ts'), [], {
    execArgv: ['--import', 'tsx'], env: { ...process.env, PASSK_BENCH_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolveReady, reject) => {
    child.once('exit', (code) => reject(new Error(`bench child ${engine} exited with code ${code}`)));
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

log(`bench:sampler: ${modelDir}, ${prompts.length} prompts × n=${n}, max_new_tokens=${maxNewTokens}, `
  + `T=${settings.temperature} top-p=${settings.topP}, ${reps} reps, CPU, onnxruntime threads tried: ${threadCounts.map((t) => t || 'default').join(', ')}; `
  + `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
// Each engine runs with its fastest thread count and batch size, measured after a warm-up
// on a spread of the prompts (easy and hard: answer lengths differ). The batch size
// matters most for transformers.js 4.3, which stops a batch only when every row's last
// token is EOS in the same step, so a batch usually runs to max_new_tokens.
const everyPrompt = prompts.map((_, i) => i);
const calibration = [...new Set([0, 1, 2, 3].map((j) => Math.floor((j * prompts.length) / 4)))];
const best = {} as Record<'passk' | 'tjs', { child: Child; threads: number; batch: number; rate: number }>;
for (const which of ['passk', 'tjs'] as const) {
  for (const t of threadCounts) {
    const child = await startChild(which, t);
    await child.run({ rep: 99, batch: 4, prompts: [0] });
    let kept = false;
    for (const b of batches) {
      const r = await child.run({ rep: 0, batch: b, prompts: calibration });
      const rate = r.tokens / r.seconds;
      log(`  calibrate ${which.padEnd(5)} threads ${t || 'default'} batch ${String(b).padStart(3)}: ${rate.toFixed(0)} tok/s (prompts ${calibration.join(', ')})`);
      if (!best[which] || rate > best[which].rate) {
        if (best[which] && best[which].child !== child) best[which].child.stop();
        best[which] = { child, threads: t, batch: b, rate };
        kept = true;
      }
    }
    if (!kept && best[which].child !== child) child.stop();
  }
}
const children = { passk: best.passk.child, tjs: best.tjs.child };
const setting = (which: 'passk' | 'tjs'): string => `batch ${best[which].batch}, threads ${best[which].threads || 'default'}`;
log(`  settings: passk ${setting('passk')}; transformers.js ${setting('tjs')}`);
const passk: BenchRun[] = [];
const tjs: BenchRun[] = [];
for (let rep = 0; rep < reps; rep++) {
  // Alternate which engine goes first, so drift in machine load hits both alike.
  const order = rep % 2 === 0 ? ['passk', 'tjs'] : ['tjs', 'passk'];
  for (const which of order) {
    const r = await children[which as 'passk' | 'tjs'].run({ rep, batch: best[which as 'passk' | 'tjs'].batch, prompts: everyPrompt });
    (which === 'passk' ? passk : tjs).push(r);
    log(`  rep ${rep + 1} ${which.padEnd(6)} ${r.tokens} tokens in ${r.seconds.toFixed(2)} s = ${(r.tokens / r.seconds).toFixed(0)} tok/s; `
      + `${r.boxed}/${r.samples} answers contain \\boxed{`);
  }
}
const rate = (runs: BenchRun[]): number => median(runs.map((r) => r.tokens / r.seconds));
const passkRate = rate(passk);
const tjsRate = rate(tjs);
const meanLen = (runs: BenchRun[]): number => runs.reduce((a, r) => a + r.tokens / r.samples, 0) / runs.length;
const rows = [
  ['engine', 'median tok/s', 'median s', 'tokens/sample', '\\boxed{ share'],
  [`passk ${decode} (${setting('passk')})`, passkRate.toFixed(0), median(passk.map((r) => r.seconds)).toFixed(2), meanLen(passk).toFixed(1),
    (passk.reduce((a, r) => a + r.boxed / r.samples, 0) / passk.length).toFixed(3)],
  [`transformers.js (${setting('tjs')})`, tjsRate.toFixed(0), median(tjs.map((r) => r.seconds)).toFixed(2), meanLen(tjs).toFixed(1),
    (tjs.reduce((a, r) => a + r.boxed / r.samples, 0) / tjs.length).toFixed(3)],
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
const table = rows.map((r) => r.map((cell, c) => cell.padStart(widths[c])).join('  ')).join('\n');
process.stdout.write(`${table}\nratio (passk / transformers.js): ${(passkRate / tjsRate).toFixed(2)}; load average now ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
if (values.json) {
  process.stdout.write(JSON.stringify({
    passk_tokens_per_s: Number(passkRate.toFixed(1)), transformersjs_tokens_per_s: Number(tjsRate.toFixed(1)),
    ratio: Number((passkRate / tjsRate).toFixed(3)),
    passk: { batch: best.passk.batch, threads: best.passk.threads }, transformersjs: { batch: best.tjs.batch, threads: best.tjs.threads },
  }) + '\n');
}
children.passk.stop();
children.tjs.stop();
