import { existsSync, mkdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isRunOpen, type RunProgress, type RunReport } from '../src/core/protocol/ui-protocol.ts';
import { ROLES, type Role } from '../src/core/roles.ts';
import { PROMPT_FORMATS } from '../src/core/sampling/prompt-format.ts';
import { parseExperimentSpec, type ExperimentSpecInput } from '../src/core/spec/experiment-spec.ts';
import { describeSampleSources } from '../src/core/runs/describe-sources.ts';
import { formatStatsReport } from '../src/core/stats/format-report.ts';
import { renderPassAtKSvg, seriesOfReport } from '../src/core/stats/pass-at-k-svg.ts';
import { AccessTokensError } from '../src/coordinator/access-tokens.ts';
import { startCoordinator, type Coordinator } from '../src/coordinator/coordinator.ts';
import { startLocalWorkers, type LocalWorkers } from '../src/coordinator/local-workers.ts';
import { defaultDataDir } from '../src/node/app-dirs.ts';
import { readRegularFile } from '../src/node/fs/read-regular-file.ts';
import { writeFileAtomic } from '../src/node/fs/write-file-atomic.ts';
import { bundledModelDir } from '../src/node/resources.ts';
import { EP_CHOICES } from '../workers/engine/execution-provider.ts';
import { UsageError, type Command } from './command.ts';
import { flag, num, oneOf, str, strings, type Values } from './options.ts';
import { guardProcess } from './process-guard.ts';
import { connectUi, type UiClient } from './ui-client.ts';
import { VERSION } from './version.ts';
import { workerPackage } from './worker-package.ts';

/** Above this many samples a run starts only with --yes: a typo in n should cost a message, not a week. */
const UNCONFIRMED_SAMPLES = 10_000_000;

const usage = `passk run [SPEC] [options]

Runs an experiment: samples n answers per problem from every model, verifies each, and
reports pass@k with paired bootstrap intervals, accuracy histograms, solvable coverage and
the base-vs-RL crossover. It starts a coordinator on this machine with local workers over
loopback (the same protocol a lab run uses), or submits to a running coordinator with
--coordinator. With no SPEC and no --model it is the demo (\`npm run demo\`): the bundled
base, RL and distilled models on 50 problems of the bundled chain-arithmetic benchmark.

SPEC is a JSON or YAML experiment file (see README: "Experiment spec"); flags build one:
  --model ROLE=DIR     a model folder and its role (base | rl | distilled | other); repeatable
  --benchmark FILE     problems (JSONL/JSON/CSV/Parquet; default the bundled benchmark)
  --preset NAME        how to read FILE (gsm8k, math500, aime24, amc23, minerva, olympiadbench, humaneval, …)
  --limit P            P problems spread evenly over the benchmark (default 50 without SPEC; 0 = all)
  --n N                samples per problem and model (default 64)
  --seed S             run seed: the same seed draws the same samples anywhere (default 0)
  --temperature T, --top-p P, --top-k K, --max-new-tokens M
                       default: each model's generation_config.json, then the paper's (0.6, 0.95)
  --prompt-format F    chat | raw | qwen-boxed (default chat when the model has a template)
  --template TEXT      the user message, {problem} substituted (default: the paper's instruction)
  --name NAME          the run's name (default: benchmark and time)
  --shard-size S       samples per shard (default: sized to about a minute of each worker)
  --yes                start an experiment of more than ${UNCONFIRMED_SAMPLES.toLocaleString('en-US')} samples (refused otherwise, with its cost)

Where it runs:
  --local-workers N    worker processes started here (default ${defaultLocalWorkers().workers})
  --slots K            sampling slots per local worker (default ${defaultLocalWorkers().slots})
  --threads T          onnxruntime threads per slot
  --ep EP              auto | cpu | cuda | webgpu, for the local workers (default auto)
  --data-dir D         where runs are kept (default ${defaultDataDir()})
  --coordinator URL    submit to this coordinator instead (its workers do the work) …
  --token TOKEN        … with its UI token (passk coordinator prints it)

Output:
  --json               print one JSON line last: models (as \`passk stats --json\`), samplesDigest, seconds
  --out DIR            also write report.txt, report.json and pass-at-k.svg into DIR

Ctrl-C stops the local workers; the run stays in the data directory and goes on when a
coordinator next starts there (\`passk coordinator --data-dir D\`).`;

const SETTINGS = [['temperature', 'temperature'], ['top-p', 'topP'], ['top-k', 'topK'], ['max-new-tokens', 'maxNewTokens']] as const;

export const runCommand: Command = {
  summary: 'run an experiment: sample, verify, report pass@k (the demo with no options)',
  usage,
  allowPositionals: true,
  options: {
    model: { type: 'string', multiple: true }, benchmark: { type: 'string' }, preset: { type: 'string' },
    limit: { type: 'string' }, n: { type: 'string' }, seed: { type: 'string' },
    temperature: { type: 'string' }, 'top-p': { type: 'string' }, 'top-k': { type: 'string' }, 'max-new-tokens': { type: 'string' },
    'prompt-format': { type: 'string' }, template: { type: 'string' }, name: { type: 'string' }, 'shard-size': { type: 'string' },
    'local-workers': { type: 'string' }, slots: { type: 'string' }, threads: { type: 'string' }, ep: { type: 'string' }, batch: { type: 'string' },
    'data-dir': { type: 'string' }, coordinator: { type: 'string' }, token: { type: 'string' },
    json: { type: 'boolean' }, out: { type: 'string' }, yes: { type: 'boolean' },
  },
  async run(values, positionals) {
    if (positionals.length > 1) throw new UsageError(`one SPEC file at most (got ${positionals.join(', ')})`);
    const spec = await buildSpec(values, positionals[0]);
    const parsed = parseExperimentSpec(spec);
    if (!parsed.ok) throw new UsageError(`the experiment is not valid:\n  ${parsed.error.join('\n  ')}`);
    const out = str(values, 'out');
    if (out !== undefined) checkOutDir(out);
    const json = flag(values, 'json');
    const started = performance.now();

    const remote = str(values, 'coordinator');
    const served = parsed.value.models.findIndex((m) => m.served !== undefined);
    if (remote === undefined && served >= 0) {
      throw new UsageError(`models[${served}] is drawn from an inference server (served "${parsed.value.models[served].served!.model}"), which local workers do not do: `
        + 'start `passk coordinator`, join it with `passk worker --backend openai --base-url URL --served-model NAME`, and submit with `passk run SPEC --coordinator URL --token T`');
    }
    let coordinator: Coordinator | null = null;
    let workers: LocalWorkers | null = null;
    let client: UiClient;
    let unguard = () => {};
    if (remote !== undefined) {
      const token = str(values, 'token') ?? process.env.PASSK_UI_TOKEN;
      if (!token) throw new UsageError('--coordinator needs --token: the UI token `passk coordinator` prints');
      client = await connectUi(remote, token);
    } else {
      const dataDir = resolve(str(values, 'data-dir') ?? defaultDataDir());
      // Local workers joining and leaving is the expected course of things here, not news.
      const log = (line: string) => { if (!/^worker local-\d+ .*(joined|left)/.test(line)) process.stderr.write(`passk run: ${line}\n`); };
      try {
        coordinator = await startCoordinator({ dataDir, host: '127.0.0.1', port: 0, version: VERSION, workerPackage, log });
      } catch (error) {
        if (error instanceof AccessTokensError) throw new UsageError(error.message);
        throw error;
      }
      client = await connectUi(coordinator.url, coordinator.tokens.ui);
      // From here the finally below stops everything and removes the guard.
      unguard = guardProcess(log);
    }
    try {
      const created = await client.request('run:create', { spec, ...(flag(values, 'yes') ? {} : { maxSamples: UNCONFIRMED_SAMPLES }) });
      if (!created.ok) {
        const confirm = created.error.includes('allows unconfirmed') ? '\n  pass --yes to start it anyway' : '';
        throw new UsageError(`the experiment cannot run:\n  ${created.error.split('\n').join('\n  ')}${confirm}`);
      }
      const run = created.value;
      const total = run.models.length * run.problems * run.n;
      if (coordinator) {
        const { workers: count, slots } = localWorkerCounts(values);
        workers = startWorkersHere(coordinator, count, slots, values);
        process.stderr.write(`passk run: ${run.name}: ${run.models.length} models × ${run.problems} problems × n=${run.n} = ${total.toLocaleString('en-US')} samples `
          + `on ${count} local worker${count > 1 ? 's' : ''} × ${slots} slot${slots > 1 ? 's' : ''} (data: ${coordinator.db.name})\n`);
      } else {
        process.stderr.write(`passk run: ${run.name}: ${total.toLocaleString('en-US')} samples submitted to ${remote}\n`);
      }
      const stop = () => {
        process.stderr.write(`\npassk run: stopped; run ${run.name} is kept and goes on when a coordinator starts on its data directory\n`);
        void workers?.stop().then(() => coordinator?.close()).finally(() => process.exit(130));
      };
      process.once('SIGINT', stop);
      const final = await followRun(client, run.id, total, workers);
      process.removeListener('SIGINT', stop);
      const report = await client.request('run:report', { runId: run.id });
      if (!report.ok) throw new Error(report.error);
      await printReport(report.value, final, run.name, json, out, (performance.now() - started) / 1000);
      return final.status === 'done' ? 0 : 1;
    } finally {
      client.close();
      await workers?.stop();
      await coordinator?.close();
      unguard();
    }
  },
};

/** The spec from a SPEC file, with flags layered over it, or from flags alone (the demo with none). */
async function buildSpec(values: Values, file: string | undefined): Promise<ExperimentSpecInput> {
  let base: Record<string, unknown>;
  let baseDir = process.cwd();
  if (file !== undefined) {
    const read = await readRegularFile(file, { maxBytes: 16 * 2 ** 20 });
    if (!read.ok) throw new UsageError(read.error);
    const text = read.value.toString('utf8');
    try {
      base = (file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
    }
    if (typeof base !== 'object' || base === null || Array.isArray(base)) throw new UsageError(`${file}: expected an experiment object (see README: "Experiment spec")`);
    baseDir = dirname(resolve(file));
  } else {
    base = { benchmark: { bundled: 'chain-arithmetic' }, limit: 50, sampling: { n: 64 } };
  }
  const spec: Record<string, unknown> = { ...base };
  const models = strings(values, 'model');
  if (models.length > 0 || (file === undefined && spec.models === undefined)) {
    spec.models = (models.length > 0 ? models : ['base', 'rl', 'distilled'].map((r) => `${r}=${bundledModelDir(r as 'base')}`)).map(parseModelFlag);
  }
  const benchmark = str(values, 'benchmark');
  const preset = str(values, 'preset');
  if (benchmark !== undefined) spec.benchmark = { file: benchmark, ...(preset !== undefined ? { preset } : {}) };
  else if (preset !== undefined) throw new UsageError('--preset goes with --benchmark FILE');
  const limit = num(values, 'limit', true);
  if (limit !== undefined) spec.limit = limit;
  const name = str(values, 'name');
  if (name !== undefined) spec.name = name;
  const shardSize = num(values, 'shard-size', true);
  if (shardSize !== undefined) spec.shardSize = shardSize;
  const sampling = { ...(spec.sampling as Record<string, unknown> | undefined) };
  const n = num(values, 'n', true);
  if (n !== undefined) sampling.n = n;
  const seed = str(values, 'seed');
  if (seed !== undefined) sampling.seed = seed;
  for (const [flagName, field] of SETTINGS) {
    const v = num(values, flagName, field === 'topK' || field === 'maxNewTokens');
    if (v !== undefined) sampling[field] = v;
  }
  spec.sampling = sampling;
  const format = oneOf(values, 'prompt-format', PROMPT_FORMATS);
  const template = str(values, 'template');
  if (Array.isArray(spec.models)) {
    spec.models = (spec.models as Record<string, unknown>[]).map((m) => ({
      ...m,
      ...(typeof m?.folder === 'string' && !isAbsolute(m.folder) ? { folder: resolve(baseDir, m.folder) } : {}),
      ...(format !== undefined ? { promptFormat: format } : {}),
      ...(template !== undefined ? { template } : {}),
    }));
  }
  const b = spec.benchmark as Record<string, unknown> | undefined;
  if (b && typeof b.file === 'string' && !isAbsolute(b.file)) spec.benchmark = { ...b, file: resolve(baseDir, b.file) };
  return spec as ExperimentSpecInput;
}

function parseModelFlag(flagValue: string): { folder: string; role: Role } {
  const at = flagValue.indexOf('=');
  const role = flagValue.slice(0, at) as Role;
  const folder = flagValue.slice(at + 1);
  if (at < 1 || !ROLES.includes(role) || folder === '') throw new UsageError(`--model ${flagValue}: expected ROLE=DIR with ROLE one of ${ROLES.join(', ')}`);
  return { folder, role };
}

function checkOutDir(out: string): void {
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out ${out}: exists and is not a folder`);
  for (const f of ['report.txt', 'report.json', 'pass-at-k.svg']) {
    if (existsSync(join(out, f))) throw new UsageError(`--out ${out}: already holds ${f}; choose another folder`);
  }
}

/**
 * Enough for this machine: onnxruntime gains little from a second thread on these small
 * batches, and much from a second session, so one slot per core (up to 4) in one worker.
 */
export function defaultLocalWorkers(): { workers: number; slots: number } {
  return { workers: 1, slots: Math.max(1, Math.min(4, availableParallelism())) };
}

function localWorkerCounts(values: Values): { workers: number; slots: number } {
  const defaults = defaultLocalWorkers();
  return { workers: num(values, 'local-workers', true, 1) ?? defaults.workers, slots: num(values, 'slots', true, 1) ?? defaults.slots };
}

/** `passk worker` processes joining the embedded coordinator over loopback: the same path a lab machine takes. */
function startWorkersHere(coordinator: Coordinator, count: number, slots: number, values: Values): LocalWorkers {
  oneOf(values, 'ep', EP_CHOICES);
  // The cores are shared by every slot of every local worker: more threads than cores only thrash.
  const threads = num(values, 'threads', true, 1) ?? Math.max(1, Math.floor(availableParallelism() / (count * slots)));
  return startLocalWorkers({
    execPath: process.execPath, execArgs: process.execArgv, entry: process.argv[1], workerUrl: coordinator.workerUrl, token: coordinator.tokens.worker,
    count, slots, threads, extra: (['ep', 'batch'] as const).flatMap((o) => (str(values, o) !== undefined ? [`--${o}`, str(values, o)!] : [])),
  });
}

/** Waits for the run to end, drawing progress; fails fast when every local worker died. */
async function followRun(client: UiClient, runId: string, total: number, workers: LocalWorkers | null): Promise<RunProgress> {
  const tty = process.stderr.isTTY;
  const started = performance.now();
  let latest: RunProgress | null = null;
  let finish: ((p: RunProgress) => void) | null = null;
  const ended = new Promise<RunProgress>((resolve) => { finish = resolve; });
  const seen = (p: RunProgress) => {
    latest = p;
    if (tty) process.stderr.write(`\r\x1b[K${progressLine(p, total, (performance.now() - started) / 1000)}`);
    if (!isRunOpen(p.status)) finish?.(p);
  };
  client.on('run:progress', (p) => { if (p.runId === runId) seen(p); });
  const subscribed = await client.request('run:subscribe', { runId });
  if (!subscribed.ok) throw new Error(subscribed.error);
  seen(subscribed.value);
  // Pushes are throttled and may be missed across a reconnect: poll too.
  const poll = setInterval(async () => {
    const p = await client.request('run:progress', { runId }, 10_000);
    if (p.ok) seen(p.value);
    if (workers && workers.processes.every((c) => c.exitCode !== null || c.signalCode !== null)) {
      const why = workers.tails.map((t, i) => `local-${i + 1}: ${t.slice(-5).join('\n    ')}`).join('\n  ');
      clearInterval(poll);
      if (latest) finish?.({ ...latest, status: 'failed', error: `every local worker exited:\n  ${why}` });
    }
  }, 1000);
  const final = await ended;
  clearInterval(poll);
  if (tty) process.stderr.write('\n');
  return final;
}

function progressLine(p: RunProgress, total: number, seconds: number): string {
  const sampled = p.models.reduce((s, m) => s + m.sampled, 0);
  const verified = p.models.reduce((s, m) => s + m.verified, 0);
  const width = 24;
  const filled = Math.round((verified / Math.max(1, total)) * width);
  const eta = p.etaSeconds === null ? '' : ` · ETA ${formatSeconds(p.etaSeconds)}`;
  return `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${sampled}/${total} sampled, ${verified} verified · `
    + `${p.tokensPerSecond.toFixed(0)} tok/s · ${formatSeconds(seconds)}${eta}`;
}

function formatSeconds(s: number): string {
  return s < 90 ? `${s.toFixed(0)} s` : s < 5400 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`;
}

async function printReport(r: RunReport, progress: RunProgress, name: string, json: boolean, out: string | undefined, seconds: number): Promise<void> {
  if (progress.status !== 'done') {
    process.stderr.write(`passk run: run ${name} ${progress.status}${progress.error ? `: ${progress.error}` : ''}\n`);
    for (const f of progress.failures.slice(0, 10)) process.stderr.write(`  ${f.kind} shard ${f.modelId}/${f.problemId} [${f.start},${f.end}): ${f.error}\n`);
  }
  const report = r.report;
  if (report === null) {
    process.stderr.write(`passk run: no report: ${r.reportError}\n`);
  } else if (!json) {
    process.stdout.write(formatStatsReport(report));
  }
  const tokensPerSecond = progress.tokensPerSecond;
  process.stderr.write(`passk run: ${r.samples} samples in ${seconds.toFixed(1)} s; samples digest ${r.samplesDigest.slice(0, 16)}…; run ${name}\n`);
  if (!r.reproducible) for (const line of describeSampleSources(r.sources.filter((s) => s.server !== null))) process.stderr.write(`passk run: ${line}\n`);
  for (const q of r.incidents.quarantines) process.stderr.write(`passk run: worker ${q.name ?? q.workerId} was quarantined (its results were done again by others): ${q.reason}\n`);
  if (out !== undefined && report !== null) {
    mkdirSync(out, { recursive: true });
    await writeFileAtomic(join(out, 'report.txt'), formatStatsReport(report));
    await writeFileAtomic(join(out, 'report.json'), JSON.stringify({ run: name, samplesDigest: r.samplesDigest, seconds, ...report, incidents: r.incidents, workers: r.workers }, null, 2) + '\n');
    await writeFileAtomic(join(out, 'pass-at-k.svg'), renderPassAtKSvg(seriesOfReport(report), { title: `pass@k, ${report.problems} problems, run ${name}` }));
  }
  if (json) {
    process.stdout.write(JSON.stringify({
      run: name, status: progress.status, models: report?.models ?? [], samplesDigest: r.samplesDigest, samples: r.samples, seconds, tokensPerSecond,
      reproducible: r.reproducible, sources: r.sources, incidents: r.incidents, workers: r.workers,
    }) + '\n');
  }
}
