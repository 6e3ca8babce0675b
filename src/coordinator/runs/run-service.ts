import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { estimateSeconds, planSampleShards } from '../../core/planner/plan-shards.ts';
import { isRunOpen, type RunAction, type RunProgress, type RunReport, type RunSummary, type WorkerRow } from '../../core/protocol/ui-protocol.ts';
import { SHARD_KINDS } from '../../core/protocol/worker-protocol.ts';
import { computeStatsReport } from '../../core/stats/stats-report.ts';
import { experimentSpecSchema, type ExperimentSpec } from '../../core/spec/experiment-spec.ts';
import { FORGET_WORKERS_AFTER_MS, type Scheduler } from '../scheduler/scheduler.ts';
import { activeLeases } from '../store/leases.ts';
import { addModel } from '../store/models.ts';
import { addProblems, countProblems } from '../store/problems.ts';
import { createRun, freeRunName, getRun, setRunStatus, setSamplesDigest, type Run } from '../store/runs.ts';
import { listSampleSources } from '../store/sample-sources.ts';
import { countSamples, countVerdicts, samplesDigest } from '../store/samples.ts';
import { enqueueShards, failedShards, shardCounts } from '../store/shards.ts';
import type { ResolvedExperiment } from './resolve-experiment.ts';
import { runAttribution, runIncidents } from './run-trust.ts';

/** Stores a resolved experiment as a run with its first shards, and starts it. */
export function startRun(scheduler: Scheduler, resolved: ResolvedExperiment): Run {
  const { db } = scheduler;
  const now = scheduler.now();
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '').replace('T', '-');
  const id = `run-${stamp}-${randomBytes(3).toString('hex')}`;
  const { spec } = resolved;
  db.transaction(() => {
    const name = freeRunName(db, spec.name ?? `${resolved.benchmark.replace(/\.(jsonl|json|csv|parquet)(\.gz)?$/i, '')}-${stamp}`);
    createRun(db, {
      id, name, spec, seed: spec.sampling.seed, verifier: resolved.verifier, benchmark: resolved.benchmark, n: spec.sampling.n,
      resolved: {
        benchmark: resolved.benchmark, verifier: resolved.verifier, mathOptions: resolved.mathOptions, problems: resolved.problems.length,
        models: resolved.models.map(({ id: modelId, role, folder, dtype, sha256, prompt, settings, served }) => ({ id: modelId, role, folder, dtype, sha256, prompt, settings, served })),
      },
    }, now);
    for (const model of resolved.models) addModel(db, id, model);
    addProblems(db, id, resolved.problems.map((p) => ({
      id: p.id, benchmark: resolved.benchmark, text: p.problem, gold: resolved.verifier === 'math' ? p.answer : p.task, level: p.level, subject: p.subject,
    })));
    const shards = planSampleShards(resolved.models.map((m) => m.id), resolved.problems.map((p) => p.id), spec.sampling.n);
    enqueueShards(db, shards.map((s) => ({ ...s, runId: id })), now);
    setRunStatus(db, id, 'running', now);
  })();
  scheduler.emit({ type: 'work' });
  return getRun(db, id)!;
}

export function runSummary(scheduler: Scheduler, run: Run): RunSummary {
  return {
    id: run.id, name: run.name, status: run.status, benchmark: run.benchmark, n: run.n,
    problems: countProblems(scheduler.db, run.id),
    models: scheduler.runModels(run.id).map((m) => ({ id: m.id, role: m.role, label: m.label })),
    createdAt: run.createdAt, finishedAt: run.finishedAt,
  };
}

export function runProgress(scheduler: Scheduler, run: Run): RunProgress {
  const now = scheduler.now();
  const problems = countProblems(scheduler.db, run.id);
  const counts = scheduler.meter.modelCounts(run.id);
  const models = scheduler.runModels(run.id).map((m) => {
    const c = counts.get(m.id) ?? { sampled: 0, verified: 0, correct: 0 };
    return { modelId: m.id, role: m.role, total: problems * run.n, ...c };
  });
  const empty = () => ({ queued: 0, leased: 0, done: 0, failed: 0 });
  const shards = Object.fromEntries(SHARD_KINDS.map((k) => [k, empty()])) as RunProgress['shards'];
  for (const row of shardCounts(scheduler.db, run.id)) shards[row.kind][row.state] = row.shards;
  const rate = scheduler.meter.rate(run.id, now);
  const remaining = models.reduce((sum, m) => sum + (m.total - m.sampled) + (m.total - m.verified), 0) / 2;
  const finished = !isRunOpen(run.status);
  return {
    runId: run.id, status: run.status, models, shards,
    samplesPerSecond: rate.samplesPerSecond, tokensPerSecond: rate.tokensPerSecond,
    etaSeconds: finished ? 0 : estimateSeconds(remaining, rate.samplesPerSecond),
    failures: failedShards(scheduler.db, run.id).map((s) => ({
      shardId: s.id, kind: s.kind, modelId: s.modelId, problemId: s.problemId, start: s.start, end: s.end, attempts: s.attempts, error: s.error ?? '',
    })),
    incidents: runIncidents(scheduler.db, run.id),
    error: run.error,
  };
}

/** pass@k and the rest from the run's verdicts (src/core/stats), and the digest of its samples. */
export function runReport(scheduler: Scheduler, run: Run): RunReport {
  const counts = countVerdicts(scheduler.db, run.id);
  const { ks } = reportSpec(run);
  const report = counts.length > 0 ? computeStatsReport(counts, ks ? { ks } : {}) : { ok: false as const, error: 'no verdicts yet' };
  const { digest, samples } = digestOf(scheduler, run);
  const sources = listSampleSources(scheduler.db, run.id);
  return {
    runId: run.id, status: run.status,
    report: report.ok ? report.value : null,
    reportError: report.ok ? null : report.error,
    samplesDigest: digest, samples,
    seconds: run.startedAt === null ? null : ((run.finishedAt ?? scheduler.now()) - run.startedAt) / 1000,
    sources, reproducible: !sources.some((s) => s.ep === 'server'),
    incidents: runIncidents(scheduler.db, run.id),
    workers: runAttribution(scheduler.db, run.id),
  };
}

const reportSpecSchema = z.object({ ks: experimentSpecSchema.shape.ks, scoring: experimentSpecSchema.shape.scoring });

/**
 * What reports read of the run's stored spec: its k grid and scoring pairs. A run imported from
 * another tool stores that tool's description, not a spec: it reads as no grid and no pairs.
 */
export function reportSpec(run: Run): Pick<ExperimentSpec, 'ks' | 'scoring'> {
  const parsed = reportSpecSchema.safeParse(run.spec);
  return parsed.success ? parsed.data : { scoring: [] };
}

/** The samples digest, kept once a run is finished: computing it reads every sample's text. */
export function digestOf(scheduler: Scheduler, run: Run): { digest: string; samples: number } {
  const finished = !isRunOpen(run.status);
  if (finished && run.samplesDigest !== null) {
    return { digest: run.samplesDigest, samples: countSamples(scheduler.db, run.id) };
  }
  const computed = samplesDigest(scheduler.db, run.id);
  if (finished) setSamplesDigest(scheduler.db, run.id, computed.digest);
  return computed;
}

export function controlRun(scheduler: Scheduler, run: Run, action: RunAction): Run {
  const now = scheduler.now();
  if (!isRunOpen(run.status)) throw new Error(`run ${run.name} is ${run.status}; only a running or paused run can be paused, resumed or cancelled`);
  if (action === 'resume') {
    setRunStatus(scheduler.db, run.id, 'running', now);
    scheduler.finishIfDone(run.id);
    scheduler.emit({ type: 'work' });
  } else {
    setRunStatus(scheduler.db, run.id, action === 'pause' ? 'paused' : 'cancelled', now);
    scheduler.stopLeases(run.id);
  }
  scheduler.emit({ type: 'run', runId: run.id });
  return getRun(scheduler.db, run.id)!;
}

/** Connected workers, and those seen in the last ten minutes, with what each is doing. */
export function workerRows(scheduler: Scheduler): WorkerRow[] {
  const now = scheduler.now();
  const leases = activeLeases(scheduler.db);
  return [...scheduler.workers.values()]
    .filter((w) => w.connected || now - w.lastSeen < FORGET_WORKERS_AFTER_MS)
    .map((w) => {
      const mine = leases.filter((l) => l.workerId === w.hello.id);
      const rates = [...w.rates.values()];
      return {
        id: w.hello.id, name: w.hello.name, host: w.hello.host, version: w.hello.version,
        state: !w.connected ? 'gone' as const : mine.length > 0 ? 'busy' as const : 'idle' as const,
        capabilities: { ...w.hello.capabilities, models: [...w.models] },
        leases: mine.map((l) => ({
          leaseId: l.id, kind: l.shard.kind, runId: l.shard.runId, modelId: l.shard.modelId, problemId: l.shard.problemId,
          start: l.start, end: l.end, done: l.done,
        })),
        samplesPerSecond: rates.length > 0 ? rates.reduce((a, b) => a + b, 0) / rates.length : null,
        connectedAt: w.connectedAt, lastSeen: w.lastSeen,
      };
    });
}
