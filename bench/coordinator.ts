// npm run bench:coordinator [-- --json] [--n N] [--text BYTES]
//
// 1. End to end: 8 worker processes, joined before the run starts, send pre-made samples and
//    verdicts through the real protocol (socket.io over loopback) into the real store;
//    samples/s from the run's start to its last verdict stored.
// 2. The raw ceiling: the same rows inserted straight into a store file, no network.
// 3. Lease latency p50/p99 seen by those workers.
// 4. Scheduling cost per lease with 8, 64 and 256 simulated workers (socket clients spread
//    over 4 processes), in coordinator CPU time per lease granted.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCoordinator } from '../src/coordinator/coordinator.ts';
import { resolveExperiment } from '../src/coordinator/runs/resolve-experiment.ts';
import { startRun } from '../src/coordinator/runs/run-service.ts';
import { openStore } from '../src/coordinator/store/open-store.ts';
import { addModel } from '../src/coordinator/store/models.ts';
import { addProblems } from '../src/coordinator/store/problems.ts';
import { createRun, getRun } from '../src/coordinator/store/runs.ts';
import { recordSamples, recordVerdicts } from '../src/coordinator/store/samples.ts';
import { parseExperimentSpec } from '../src/core/spec/experiment-spec.ts';
import { bundledModelDir } from '../src/node/resources.ts';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, n: { type: 'string' }, text: { type: 'string' }, 'no-scaling': { type: 'boolean' }, 'only-scaling': { type: 'boolean' } } });
const N = Number(values.n ?? 512);
const TEXT_BYTES = Number(values.text ?? 400);
const MODELS = ['base', 'rl', 'distilled'] as const;
const log = (line: string) => process.stderr.write(`${line}\n`);

function spec(n: number, shardSize: number, limit = 0) {
  const parsed = parseExperimentSpec({
    benchmark: { bundled: 'chain-arithmetic' }, limit, shardSize,
    models: MODELS.map((role) => ({ folder: bundledModelDir(role), role })), sampling: { n },
  });
  if (!parsed.ok) throw new Error(parsed.error.join('\n'));
  return parsed.value;
}

type ClientResult = { latencies: number[]; samples: number; leases: number };

/**
 * Starts `processes` client processes of `clientsEach` sockets, resolves once every socket has
 * joined; `go()` then lets them lease (a lab's workers are joined before a run starts, so the
 * clock does not count 8 processes booting on the coordinator's cores) and resolves with their results.
 */
async function startClients(url: string, token: string, processes: number, clientsEach: number): Promise<{ go: () => Promise<ClientResult[]> }> {
  const children = Array.from({ length: processes }, (_, p) => {
    const child = spawn(process.execPath, [...(process.env.PASSK_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.PASSK_BENCH_PROFILE] : []), '--import', 'tsx', 'bench/coordinator-client.ts', url, token, `bench${p}`, String(clientsEach), String(TEXT_BYTES)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (c: string) => { out += c; if (out.startsWith('ready\n')) resolve(); });
      child.on('exit', (code) => reject(new Error(`client ${p} exited ${code} before joining`)));
    });
    const done = new Promise<ClientResult>((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`client ${p} exited ${code}`)))));
    return { child, ready, done };
  });
  await Promise.all(children.map((c) => c.ready));
  return {
    go: () => {
      for (const c of children) c.child.stdin.end('go\n');
      return Promise.all(children.map((c) => c.done));
    },
  };
}

const percentile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

async function waitDone(db: ReturnType<typeof openStore>, runId: string): Promise<void> {
  while (!['done', 'failed'].includes(getRun(db as never, runId)!.status)) await new Promise((r) => setTimeout(r, 20));
}

// 1 + 3: end to end with 8 worker processes.
async function endToEnd() {
  const dataDir = mkdtempSync(join(tmpdir(), 'passk-bench-coordinator-'));
  const coordinator = await startCoordinator({ dataDir, port: 0, version: 'bench', log: () => {} });
  const resolved = await resolveExperiment(spec(N, N), process.cwd());
  if (!resolved.ok) throw new Error(resolved.error.join('\n'));
  const total = resolved.value.models.length * resolved.value.problems.length * N;
  log(`end to end: ${total.toLocaleString()} samples (+ as many verdicts), ${TEXT_BYTES}-byte texts, 8 worker processes …`);
  const booting = performance.now();
  const joined = await startClients(coordinator.workerUrl, coordinator.tokens.worker, 8, 1);
  log(`  8 worker processes started and joined in ${((performance.now() - booting) / 1000).toFixed(1)} s (not counted: a lab's workers are there before its run)`);
  const started = performance.now();
  const run = startRun(coordinator.scheduler, resolved.value);
  const finished = joined.go();
  await waitDone(coordinator.db, run.id);
  const seconds = (performance.now() - started) / 1000;
  const clients = await finished;
  const stored = (coordinator.db.prepare('SELECT (SELECT COUNT(*) FROM samples) AS s, (SELECT COUNT(*) FROM verdicts) AS v').get()) as { s: number; v: number };
  if (stored.s !== total || stored.v !== total) throw new Error(`stored ${stored.s} samples and ${stored.v} verdicts, expected ${total} each`);
  await coordinator.close();
  return { total, seconds, models: resolved.value.models, problems: resolved.value.problems, latencies: clients.flatMap((c) => c.latencies) };
}

// 2: the raw ceiling, the same rows into a fresh store file in batches of 256.
function rawCeiling(models: { id: string }[], problems: { id: string; problem: string; answer: string | null }[]): number {
  const raw = openStore(join(mkdtempSync(join(tmpdir(), 'passk-bench-raw-')), 'passk.sqlite'));
  createRun(raw, { id: 'r', name: 'r', spec: {}, resolved: {}, seed: '0', verifier: 'math', benchmark: 'b', n: N }, 0);
  for (const m of models) addModel(raw, 'r', m as never);
  addProblems(raw, 'r', problems.map((p) => ({ id: p.id, benchmark: 'b', text: p.problem, gold: p.answer })));
  const text = 'x'.repeat(TEXT_BYTES);
  const started = performance.now();
  for (const m of models) {
    for (const p of problems) {
      for (let at = 0; at < N; at += 256) {
        const keys = Array.from({ length: Math.min(256, N - at) }, (_, i) => ({ runId: 'r', modelId: m.id, problemId: p.id, sampleIndex: at + i }));
        // As the coordinator stores a math worker's batch: samples and their verdicts in one transaction.
        raw.transaction(() => {
          recordSamples(raw, keys.map((k) => ({ ...k, text, tokens: 40, finish: 'stop' as const, logprob: -12.5, workerId: 'w', ep: 'cpu' })), 1);
          recordVerdicts(raw, keys.map((k) => ({ ...k, correct: k.sampleIndex % 3 === 0, extracted: '57', reason: 'equivalent: 57 = 57', verifier: 'math' as const })), 1);
        })();
      }
    }
  }
  const total = models.length * problems.length * N;
  raw.close();
  return total / ((performance.now() - started) / 1000);
}

// 4: scheduling cost per lease as workers grow; shards of 4 samples, so leasing dominates.
async function scaling() {
  const out: { workers: number; leases: number; cpuMicrosPerLease: number; p50: number; p99: number }[] = [];
  for (const workers of [8, 64, 256]) {
    const dir = mkdtempSync(join(tmpdir(), 'passk-bench-scale-'));
    const c = await startCoordinator({ dataDir: dir, port: 0, version: 'bench', log: () => {} });
    const small = await resolveExperiment(spec(64, 4, 50), process.cwd());
    if (!small.ok) throw new Error(small.error.join('\n'));
    const joined = await startClients(c.workerUrl, c.tokens.worker, 4, workers / 4);
    const cpu = process.cpuUsage();
    const r = startRun(c.scheduler, small.value);
    const finished = joined.go();
    await waitDone(c.db, r.id);
    const used = process.cpuUsage(cpu);
    const results = await finished;
    const leases = results.reduce((s, x) => s + x.leases, 0);
    const lat = results.flatMap((x) => x.latencies);
    out.push({ workers, leases, cpuMicrosPerLease: (used.user + used.system) / leases, p50: percentile(lat, 0.5), p99: percentile(lat, 0.99) });
    await c.close();
    log(`  ${workers} simulated workers: ${leases} leases, ${((used.user + used.system) / leases).toFixed(0)} µs coordinator CPU per lease (requests of idle workers included)`);
  }
  return out;
}

const e2e = values['only-scaling'] ? null : await endToEnd();
const ceiling = e2e ? rawCeiling(e2e.models, e2e.problems) : null;
const scale = values['no-scaling'] ? [] : await scaling();
const total = e2e?.total ?? 0;
const seconds = e2e?.seconds ?? 0;
const endToEndRate = e2e ? total / seconds : 0;
const latencies = e2e?.latencies ?? [0];
const scalingResults = scale;
const result = {
  samples: total, seconds: Number(seconds.toFixed(2)), samples_per_s_end_to_end: Math.round(endToEndRate), samples_per_s_raw_sqlite: Math.round(ceiling ?? 0),
  fraction_of_raw: ceiling ? Number((endToEndRate / ceiling).toFixed(3)) : 0,
  lease_latency_ms: { p50: Number(percentile(latencies, 0.5).toFixed(2)), p99: Number(percentile(latencies, 0.99).toFixed(2)) },
  scaling: scalingResults.map((s) => ({ ...s, cpuMicrosPerLease: Math.round(s.cpuMicrosPerLease), p50: Number(s.p50.toFixed(2)), p99: Number(s.p99.toFixed(2)) })),
};
if (values.json) process.stdout.write(JSON.stringify(result) + '\n');
else {
  process.stdout.write([
    `end to end (8 worker processes, real protocol, real store): ${result.samples_per_s_end_to_end.toLocaleString()} samples/s (${total.toLocaleString()} samples and verdicts in ${result.seconds} s)`,
    `raw SQLite ceiling (same rows, no network):               ${result.samples_per_s_raw_sqlite.toLocaleString()} samples/s`,
    `ratio end to end / raw:                                    ${result.fraction_of_raw}`,
    `lease latency: p50 ${result.lease_latency_ms.p50} ms, p99 ${result.lease_latency_ms.p99} ms`,
    ...result.scaling.map((s) => `${String(s.workers).padStart(3)} workers: ${s.cpuMicrosPerLease} µs coordinator CPU per lease, latency p50 ${s.p50} ms, p99 ${s.p99} ms (${s.leases} leases)`),
  ].join('\n') + '\n');
}
