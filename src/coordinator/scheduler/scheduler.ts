import { updateRate } from '../../core/planner/plan-shards.ts';
import { SHARD_KINDS, type Capabilities, type Lease, type ShardKind, type WorkerHello } from '../../core/protocol/worker-protocol.ts';
import type { Result } from '../../core/result.ts';
import { activeLeases, activeLeasesPerShardKey, createLease, endLease, expireLeases, extendLeases, getLease, type LeaseWithShard } from '../store/leases.ts';
import { listModels, type RunModel } from '../store/models.ts';
import type { Store } from '../store/open-store.ts';
import { getRun, listRuns, setRunStatus, type Run } from '../store/runs.ts';
import {
  completeShard, countFailedShards, enqueueShards, failShard, firstQueuedShard, getShard, hasOpenShards, hasQueuedShards, listShards, queuedShardKeys,
  reopenShard, requeueShard, takeShard, unfinishedShardsWithin, type ShardRow,
} from '../store/shards.ts';
import { forgetGoneWorkers, recordWorkerSeen, touchWorker } from '../store/workers.ts';
import { addQuarantine, discardWorkerResults, listQuarantines } from '../store/quarantines.ts';
import { recordRunEvent } from '../store/run-events.ts';
import { buildLease } from './build-lease.ts';
import { RunMeter } from './run-meter.ts';
import { SHARD_KIND_ORDER, shardKind } from './shard-kinds/index.ts';
import { schedulingSpec } from './shard-kinds/lease-parts.ts';
import type { ShardModels } from './shard-kinds/shard-kind.ts';
import { JudgeBudget } from './shard-kinds/judge-again.ts';
import { FIRST_PROBE_LEASE_ID, judgeProbe, makeCodeProbe, type CodeProbe } from './code-probe.ts';

export interface SchedulerOptions {
  /** A lease not heartbeaten for this long goes back to the queue. */
  leaseTtlMs: number;
  /** Leases of one shard that may end without a result before it is failed. */
  maxAttempts: number;
  /** A lease running this long, with nothing left to queue, may be doubled onto an idle worker. */
  speculateAfterMs: number;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = { leaseTtlMs: 30_000, maxAttempts: 4, speculateAfterMs: 5_000 };

/** A connected worker as the scheduler sees it. */
/** How long a worker that left stays listed (as gone) before it is forgotten. */
export const FORGET_WORKERS_AFTER_MS = 10 * 60_000;

/** A worker as it joined: what its hello said, and the id the coordinator gave it (worker-identity.ts). */
export type JoinedWorker = WorkerHello['worker'] & { id: string };

export interface WorkerState {
  hello: JoinedWorker;
  /** Models it holds (its cache at hello, plus every model it was leased since). */
  models: Set<string>;
  /** Samples per second on each model (by sha256), from its finished sample leases. */
  rates: Map<string, number>;
  connectedAt: number;
  lastSeen: number;
  connected: boolean;
  /** Its code sandbox as the coordinator has seen it: proven by a probe (when), failed one (why), or a probe out now. */
  sandbox: { provenAt: number | null; failed: string | null; probing: number | null };
}

/** A worker whose sandbox passed a probe is probed again after this long, before its next code verify lease. */
export const REPROBE_AFTER_MS = 10 * 60_000;

export type SchedulerEvent =
  | { type: 'run'; runId: string }
  | { type: 'workers' }
  | { type: 'work' }
  | { type: 'cancel'; workerId: string; leaseIds: number[] };

/**
 * Hands out shards and takes results; every decision is made against the store inside one
 * synchronous call, so two workers asking at once are served one after the other and never
 * get the same shard (but for a deliberate speculative copy). The store is the truth: the
 * scheduler's memory (connected workers, their speeds, live counts) is rebuilt from it or
 * from the workers after a restart.
 */
export class Scheduler {
  readonly workers = new Map<string, WorkerState>();
  /** Workers told "nothing now": the ones to wake when work comes (a broadcast to hundreds of busy workers costs more than the leases). */
  private readonly idle = new Set<string>();
  readonly meter: RunMeter;
  /** Re-judging math on the coordinator: all of it while it keeps up (judge-again.ts). */
  readonly judgeBudget = new JudgeBudget();
  private readonly models = new Map<string, RunModel[]>();
  private readonly listeners = new Set<(event: SchedulerEvent) => void>();
  /** Workers quarantined per run (the store's quarantines, read once per run). */
  private readonly quarantined = new Map<string, Set<string>>();
  /** Sandbox probes out now, by their lease id (never a lease row's: code-probe.ts). */
  private readonly probes = new Map<number, { probe: CodeProbe; workerId: string; runId: string; verdicts: { index: number; correct: boolean }[] }>();
  private nextProbeId = FIRST_PROBE_LEASE_ID;

  constructor(readonly db: Store, readonly now: () => number = Date.now, readonly options: SchedulerOptions = DEFAULT_SCHEDULER_OPTIONS) {
    this.meter = new RunMeter(db);
  }

  on(listener: (event: SchedulerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: SchedulerEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** On start: every lease of a previous life is over (its worker will reconnect and ask again). */
  recover(): number {
    const now = this.now();
    const expired = expireLeases(this.db, Number.POSITIVE_INFINITY);
    const perRun = new Map<string, number>();
    for (const lease of expired) {
      requeueShard(this.db, lease.shardId);
      const runId = getShard(this.db, lease.shardId)?.runId;
      if (runId !== undefined) perRun.set(runId, (perRun.get(runId) ?? 0) + 1);
    }
    // The restart is part of each open run's history (`passk runs show`, the report, the Run screen).
    for (const run of listRuns(this.db, ['running', 'paused'])) {
      const leases = perRun.get(run.id) ?? 0;
      recordRunEvent(this.db, { runId: run.id, kind: 'coordinator-restart', count: leases,
        detail: `the coordinator started again on this data directory; ${leases} lease${leases === 1 ? '' : 's'} of its previous life went back to the queue` }, now);
    }
    for (const run of listRuns(this.db, ['running'])) this.finishIfDone(run.id);
    return expired.length;
  }

  /** Whether the worker was quarantined in the run (it then gets none of its leases and its results are refused). */
  isQuarantined(runId: string, workerId: string): boolean {
    let workers = this.quarantined.get(runId);
    if (!workers) this.quarantined.set(runId, (workers = new Set(listQuarantines(this.db, runId).map((q) => q.workerId))));
    return workers.has(workerId);
  }

  /**
   * A worker's results of a run were found false: it is quarantined there. Its leases of the
   * run are called back, everything it produced in the run is discarded (nothing of a worker
   * caught lying once is kept: its texts could be forged too), and the shards
   * that lose results are queued again for other workers. Said in the run's events.
   */
  quarantine(runId: string, workerId: string, reason: string, leaseId: number | null): boolean {
    const now = this.now();
    if (this.isQuarantined(runId, workerId)) return false;
    this.quarantined.get(runId)!.add(workerId);
    for (const lease of activeLeases(this.db, { workerId })) {
      if (lease.shard.runId !== runId) continue;
      this.endUnfinished(lease, 'released', null);
      this.emit({ type: 'cancel', workerId, leaseIds: [lease.id] });
    }
    const name = this.workers.get(workerId)?.hello.name ?? workerId;
    const reopened = this.db.transaction(() => {
      addQuarantine(this.db, { runId, workerId, reason, at: now });
      const discarded = discardWorkerResults(this.db, runId, workerId);
      let shards = 0;
      for (const shard of listShards(this.db, runId)) {
        if (shard.state !== 'done' || shardKind(shard.kind).countMissing(this.db, shard, shard.start, shard.end) === 0) continue;
        // A follow-up whose samples are gone waits: it is queued again when its sample shard is done again (enqueueShards).
        if (shard.kind !== 'sample' && shardKind('sample').countMissing(this.db, { ...shard, kind: 'sample' }, shard.start, shard.end) > 0) continue;
        if (reopenShard(this.db, shard.id)) shards++;
      }
      recordRunEvent(this.db, { runId, kind: 'quarantine', workerId, leaseId, count: discarded.samples,
        detail: `worker ${name} quarantined: ${reason}; discarded its ${discarded.samples} samples, ${discarded.verdicts} verdicts and ${discarded.scores} scores of the run and queued ${shards} shard${shards === 1 ? '' : 's'} again` }, now);
      return shards;
    })();
    this.meter.forget(runId);
    const run = getRun(this.db, runId);
    if (run && reopened > 0 && (run.status === 'done' || run.status === 'failed')) setRunStatus(this.db, runId, 'running', now);
    this.emit({ type: 'work' });
    this.emit({ type: 'run', runId });
    this.emit({ type: 'workers' });
    return true;
  }

  runModels(runId: string): RunModel[] {
    let models = this.models.get(runId);
    if (!models) this.models.set(runId, (models = listModels(this.db, runId)));
    return models;
  }

  /** `secretHash`: the hash of the secret it was just given (a new identity), kept so it can reconnect as itself. */
  workerJoined(hello: JoinedWorker, secretHash?: string): void {
    const now = this.now();
    const known = this.workers.get(hello.id);
    this.workers.set(hello.id, {
      hello, models: new Set([...hello.capabilities.models, ...(known?.models ?? [])]),
      rates: known?.rates ?? new Map(), connectedAt: now, lastSeen: now, connected: true,
      sandbox: known?.sandbox ?? { provenAt: null, failed: null, probing: null },
    });
    recordWorkerSeen(this.db, { id: hello.id, name: hello.name, host: hello.host, version: hello.version, capabilities: hello.capabilities, secretHash }, now);
    this.emit({ type: 'workers' });
  }

  /** Its leases keep their deadlines: a worker that comes back in time carries on, else they expire. */
  workerLeft(workerId: string): void {
    const worker = this.workers.get(workerId);
    if (!worker) return;
    worker.connected = false;
    worker.lastSeen = this.now();
    touchWorker(this.db, workerId, worker.lastSeen);
    this.emit({ type: 'workers' });
  }

  /**
   * Workers gone longer than FORGET_WORKERS_AFTER_MS leave memory (and `workers:list`), and
   * their rows leave the store unless some lease names them (attribution keeps those).
   */
  forgetGoneWorkers(): number {
    const before = this.now() - FORGET_WORKERS_AFTER_MS;
    for (const [id, worker] of this.workers) {
      if (!worker.connected && worker.lastSeen < before) {
        this.workers.delete(id);
        this.idle.delete(id);
      }
    }
    const connected = [...this.workers.values()].filter((w) => w.connected).map((w) => w.hello.id);
    return forgetGoneWorkers(this.db, before, connected);
  }

  /** The next lease for a worker with a free slot, or null when there is nothing it can do now. */
  requestLease(workerId: string, kinds: readonly ShardKind[] = SHARD_KINDS, loaded: string | null = null): Lease | null {
    const worker = this.workers.get(workerId);
    if (!worker) throw new Error(`worker ${workerId} is not connected`);
    const now = this.now();
    worker.lastSeen = now;
    const mine = activeLeases(this.db, { workerId });
    const onModels = mine.filter((l) => shardKind(l.shard.kind).slot === 'model').length;
    const light = mine.length - onModels;
    const { slots } = worker.hello.capabilities;
    const allowed = kinds.filter((k) => (shardKind(k).slot === 'light' ? light <= slots : onModels < slots));
    if (allowed.length === 0) return null;
    const probe = this.probeIfDue(worker, allowed);
    if (probe) return probe;
    for (const run of listRuns(this.db, ['running'])) {
      if (this.isQuarantined(run.id, workerId)) continue;
      const picked = this.pickShard(run, worker, allowed, loaded, mine);
      if (picked) return this.grant(run, worker, picked.shard, picked.size, now);
    }
    const copy = this.speculate(worker, allowed, mine, now);
    if (copy === null) this.idle.add(workerId);
    return copy;
  }

  /** Whether the worker's sandbox passed a probe, recently enough. */
  private sandboxProven(worker: WorkerState): boolean {
    const { provenAt, failed } = worker.sandbox;
    return failed === null && provenAt !== null && this.now() - provenAt < REPROBE_AFTER_MS;
  }

  /**
   * A worker that says it verifies code is given a sandbox probe (a verify lease whose right
   * verdicts the coordinator knows) before its first code verify lease, and again every
   * REPROBE_AFTER_MS: only when some running code run has verify shards queued. One that
   * failed a probe gets none again, nor any code verify shard, until it joins anew.
   */
  private probeIfDue(worker: WorkerState, kinds: readonly ShardKind[]): Lease | null {
    const { sandbox } = worker;
    if (!kinds.includes('verify') || !worker.hello.capabilities.verify.includes('code') || sandbox.failed !== null || sandbox.probing !== null || this.sandboxProven(worker)) return null;
    const run = listRuns(this.db, ['running']).find((r) => r.verifier === 'code' && hasQueuedShards(this.db, r.id, 'verify') && !this.isQuarantined(r.id, worker.hello.id));
    const model = run && this.runModels(run.id)[0];
    if (!run || !model) return null;
    const probe = makeCodeProbe(this.nextProbeId--, run.id, model.id, this.options.leaseTtlMs);
    this.probes.set(probe.lease.leaseId, { probe, workerId: worker.hello.id, runId: run.id, verdicts: [] });
    sandbox.probing = probe.lease.leaseId;
    return probe.lease;
  }

  /** Whether a lease id is a probe out now (its requests are answered by probeRequest, not the store). */
  isProbe(leaseId: number): boolean {
    return this.probes.has(leaseId);
  }

  /**
   * A request about a probe lease: its verdicts are kept, `complete` judges them, `fail`
   * fails it, `release` hands it back unjudged. A failed probe is a run event, and the
   * worker gets no code verify shards (its hello's claim notwithstanding).
   */
  probeRequest(workerId: string, leaseId: number, request: { verdicts: readonly { index: number; correct: boolean }[] } | { error: string } | 'complete' | 'release'): Result<{ missing: number }> {
    const out = this.probes.get(leaseId);
    if (!out) return { ok: false, error: `unknown lease ${leaseId}` };
    if (out.workerId !== workerId) return { ok: false, error: `lease ${leaseId} belongs to another worker` };
    const worker = this.workers.get(workerId);
    if (typeof request === 'object' && 'verdicts' in request) {
      out.verdicts.push(...request.verdicts);
      return { ok: true, value: { missing: 0 } };
    }
    this.probes.delete(leaseId);
    if (worker) worker.sandbox.probing = null;
    if (request === 'release' || !worker) return { ok: true, value: { missing: 0 } };
    const judged = request === 'complete' ? judgeProbe(out.probe, out.verdicts) : { passed: false as const, why: `it could not run the probe: ${request.error}` };
    if (judged.passed) {
      worker.sandbox.provenAt = this.now();
    } else {
      worker.sandbox.failed = judged.why;
      worker.sandbox.provenAt = null;
      recordRunEvent(this.db, { runId: out.runId, kind: 'probe-failed', workerId, leaseId: null,
        detail: `worker ${worker.hello.name} failed a code sandbox probe (${judged.why}); it gets no code verification` }, this.now());
      this.emit({ type: 'run', runId: out.runId });
    }
    this.emit({ type: 'work' });
    this.emit({ type: 'workers' });
    return { ok: true, value: { missing: judged.passed ? 0 : 2 } };
  }


  /** The workers waiting for work since they last asked, forgotten once told. */
  takeIdle(): string[] {
    const idle = [...this.idle];
    this.idle.clear();
    return idle;
  }

  /** The sha256 of the model a shard runs on (its kind's engine), or null for a kind with none. */
  private engineSha(runId: string, shard: ShardModels & { kind: ShardKind }): string | null {
    const id = shardKind(shard.kind).engineOf(shard);
    return id === null ? null : this.runModels(runId).find((m) => m.id === id)?.sha256 ?? null;
  }

  /** Whether the worker can run this shard: its kind's rule, given the model the shard runs on (which the run must have). */
  private workerCan(worker: WorkerState, run: Run, shard: ShardModels & { kind: ShardKind }): boolean {
    const kind = shardKind(shard.kind);
    const id = kind.engineOf(shard);
    const engine = id === null ? null : this.runModels(run.id).find((m) => m.id === id);
    return engine !== undefined && kind.workerCan(worker.hello.capabilities, run, engine, { codeSandbox: this.sandboxProven(worker) });
  }

  /**
   * Which shard: kinds in SHARD_KIND_ORDER (verification first: quick, and it fills the live
   * curves while sampling goes on); within a kind, shards of the model the asking slot has
   * loaded; then of a model in the worker's cache that none of its other slots is on; then of
   * the model with the fewest workers on it, so new workers spread over the models. A model
   * load costs seconds (the bundled trio) to minutes (a 7B model from the network): leases
   * keep to loaded models.
   */
  private pickShard(run: Run, worker: WorkerState, kinds: readonly ShardKind[], loaded: string | null, mine: readonly LeaseWithShard[]): { shard: ShardRow; size: number } | null {
    const models = this.runModels(run.id);
    const spec = schedulingSpec(run);
    const otherSlots = new Set(mine.map((l) => this.engineSha(run.id, l.shard)));
    let busy: Map<string, number> | null = null;
    const busyOn = (model: string | null): number => {
      if (busy === null) {
        busy = new Map();
        for (const row of activeLeasesPerShardKey(this.db, run.id)) {
          const id = shardKind(row.kind).engineOf(row);
          if (id === null) continue;
          const key = models.find((m) => m.id === id)?.sha256 ?? id;
          busy.set(key, (busy.get(key) ?? 0) + row.leases);
        }
      }
      return model === null ? 0 : busy.get(model) ?? 0;
    };
    for (const kind of SHARD_KIND_ORDER) {
      if (!kinds.includes(kind.kind)) continue;
      const candidates = queuedShardKeys(this.db, run.id, kind.kind)
        .filter((key) => models.some((m) => m.id === key.modelId) && this.workerCan(worker, run, { kind: kind.kind, ...key }))
        .map((key) => firstQueuedShard(this.db, run.id, kind.kind, key.modelId, key.scorerId))
        .filter((s): s is ShardRow => s !== undefined);
      if (candidates.length === 0) continue;
      const rank = (shard: ShardRow): number => {
        const model = this.engineSha(run.id, shard);
        if (model !== null && model === loaded) return 0;
        if (model !== null && worker.models.has(model) && !otherSlots.has(model)) return 1;
        return 2 + busyOn(model);
      };
      const shard = candidates.sort((a, b) => rank(a) - rank(b) || a.id - b.id)[0];
      const model = this.engineSha(run.id, shard);
      return { shard, size: kind.leaseSize(shard.end - shard.start, spec, model === null ? null : worker.rates.get(model) ?? null) };
    }
    return null;
  }

  private grant(run: Run, worker: WorkerState, shard: ShardRow, size: number, now: number): Lease | null {
    const taken = takeShard(this.db, shard.id, size, now);
    if (!taken) return null;
    return this.issue(run, worker, taken, now);
  }

  private issue(run: Run, worker: WorkerState, shard: ShardRow, now: number): Lease {
    const leaseId = createLease(this.db, shard, worker.hello.id, now, this.options.leaseTtlMs);
    const lease = getLease(this.db, leaseId)!;
    const engine = this.engineSha(run.id, lease.shard);
    if (engine !== null) worker.models.add(engine);
    this.emit({ type: 'run', runId: run.id });
    this.emit({ type: 'workers' });
    return buildLease(this.db, run, this.runModels(run.id), lease, this.options.leaseTtlMs);
  }

  /**
   * Nothing queued: near the end of a run, the lease running longest elsewhere is doubled
   * onto this idle worker, and the first to finish wins (results are idempotent, and sample
   * i is the same text on either worker).
   */
  private speculate(worker: WorkerState, kinds: readonly ShardKind[], mine: readonly LeaseWithShard[], now: number): Lease | null {
    const holding = new Set(mine.map((l) => l.shardId));
    const copies = new Map<number, number>();
    const active = activeLeases(this.db);
    for (const lease of active) copies.set(lease.shardId, (copies.get(lease.shardId) ?? 0) + 1);
    for (const lease of active) {
      if (lease.workerId === worker.hello.id || holding.has(lease.shardId) || copies.get(lease.shardId)! > 1) continue;
      if (!kinds.includes(lease.shard.kind) || now - lease.startedAt < this.options.speculateAfterMs) continue;
      const run = getRun(this.db, lease.shard.runId);
      if (!run || run.status !== 'running' || hasQueuedShards(this.db, run.id, lease.shard.kind) || this.isQuarantined(run.id, worker.hello.id)) continue;
      if (!this.workerCan(worker, run, lease.shard)) continue;
      return this.issue(run, worker, lease.shard, now);
    }
    return null;
  }

  heartbeat(workerId: string, leases: readonly { leaseId: number; done: number }[]): number[] {
    const now = this.now();
    const worker = this.workers.get(workerId);
    if (worker) worker.lastSeen = now;
    return extendLeases(this.db, workerId, leases, now, this.options.leaseTtlMs);
  }

  /** The lease a result belongs to: it must exist and be this worker's; it may have ended (a late result still counts). */
  lookupLease(workerId: string, leaseId: number, kind?: ShardKind): Result<LeaseWithShard> {
    const lease = getLease(this.db, leaseId);
    if (!lease) return { ok: false, error: `unknown lease ${leaseId}` };
    if (lease.workerId !== workerId) return { ok: false, error: `lease ${leaseId} belongs to another worker` };
    if (kind !== undefined && lease.shard.kind !== kind) return { ok: false, error: `lease ${leaseId} is a ${lease.shard.kind} lease, not ${kind}` };
    return { ok: true, value: lease };
  }

  /** Results came in: they prove the worker alive, so its lease lives on. */
  resultsStored(lease: LeaseWithShard): void {
    extendLeases(this.db, lease.workerId, [{ leaseId: lease.id, done: 0 }], this.now(), this.options.leaseTtlMs);
    this.emit({ type: 'run', runId: lease.shard.runId });
  }

  /**
   * Every result of the lease is stored (the caller checked): its shard is done, follow-ups
   * queue, duplicates stop. A lease that had expired may meanwhile have seen its shard split
   * and re-leased; it completes whatever unfinished shards its range covers.
   */
  completeLease(lease: LeaseWithShard, stats: { tokens: number; seconds: number }): void {
    const now = this.now();
    const { shard } = lease;
    const run = getRun(this.db, shard.runId);
    const spec = run ? schedulingSpec(run) : null;
    const finished: ShardRow[] = [];
    this.db.transaction(() => {
      endLease(this.db, lease.id, 'done', now, stats);
      for (const covered of unfinishedShardsWithin(this.db, shard, lease.start, lease.end)) {
        if (!completeShard(this.db, covered.id, now)) continue;
        finished.push(covered);
        if (spec === null) continue;
        // A follow-up whose results are stored already is recorded done, never queued: a math
        // sample shard's verdicts came with its samples, so its verify shard is.
        const next = shardKind(covered.kind).followUps(covered, spec).map((s) => ({ ...s, runId: shard.runId }));
        enqueueShards(this.db, next.map((s) => ({ ...s, done: shardKind(s.kind).countMissing(this.db, s, s.start, s.end) === 0 })), now);
      }
    })();
    const worker = this.workers.get(lease.workerId);
    const engine = this.engineSha(shard.runId, shard);
    if (worker && engine !== null && shardKind(shard.kind).measuresSpeed) {
      const rate = updateRate(worker.rates.get(engine) ?? null, lease.end - lease.start, stats.seconds);
      if (rate !== null) worker.rates.set(engine, rate);
    }
    for (const done of finished) {
      for (const other of activeLeases(this.db, { shardId: done.id })) {
        endLease(this.db, other.id, 'cancelled', now);
        this.emit({ type: 'cancel', workerId: other.workerId, leaseIds: [other.id] });
      }
    }
    this.finishIfDone(shard.runId);
    this.emit({ type: 'work' });
    this.emit({ type: 'run', runId: shard.runId });
    this.emit({ type: 'workers' });
  }

  /** The worker gave up on a lease (or it expired): the shard is queued again until its attempts run out. */
  endUnfinished(lease: LeaseWithShard, state: 'failed' | 'expired' | 'released', error: string | null): void {
    const now = this.now();
    if (state !== 'expired' && !endLease(this.db, lease.id, state, now)) return;
    const shard = lease.shard;
    if (activeLeases(this.db, { shardId: shard.id }).length === 0) {
      const attempts = getShard(this.db, shard.id);
      if (attempts?.state === 'leased') {
        if (state !== 'released' && attempts.attempts >= this.options.maxAttempts) {
          const why = error ?? `its lease expired (worker ${lease.workerId} stopped answering)`;
          failShard(this.db, shard.id, `${attempts.attempts} attempts; the last: ${why}`, now);
          this.finishIfDone(shard.runId);
        } else {
          requeueShard(this.db, shard.id, state === 'released');
        }
      }
    }
    this.emit({ type: 'work' });
    this.emit({ type: 'run', runId: shard.runId });
    this.emit({ type: 'workers' });
  }

  /** Leases whose deadline passed go back to the queue; called on a timer. */
  sweep(): number {
    const now = this.now();
    const expired = expireLeases(this.db, now);
    for (const row of expired) {
      const lease = getLease(this.db, row.id);
      if (!lease) continue;
      recordRunEvent(this.db, { runId: lease.shard.runId, kind: 'lease-expired', workerId: lease.workerId, leaseId: lease.id,
        detail: `${lease.shard.kind} ${lease.shard.modelId}/${lease.shard.problemId} [${lease.start},${lease.end}): no heartbeat for ${Math.round(this.options.leaseTtlMs / 1000)} s` }, now);
      this.endUnfinished(lease, 'expired', null);
    }
    return expired.length;
  }

  /** A run ends when no shard of it is queued or leased: done, or failed when some shard failed. */
  finishIfDone(runId: string): void {
    const run = getRun(this.db, runId);
    if (!run || run.status !== 'running' || hasOpenShards(this.db, runId)) return;
    const failed = countFailedShards(this.db, runId);
    setRunStatus(this.db, runId, failed > 0 ? 'failed' : 'done', this.now(),
      failed > 0 ? `${failed} shard${failed > 1 ? 's' : ''} failed after every attempt; \`passk runs show ${run.name}\` lists them with their errors` : null);
    this.emit({ type: 'run', runId });
  }

  /** Pause or cancel: stop handing out its shards and call back its leases (queued again, no attempt spent). */
  stopLeases(runId: string): void {
    const now = this.now();
    for (const lease of activeLeases(this.db)) {
      if (lease.shard.runId !== runId) continue;
      endLease(this.db, lease.id, 'cancelled', now);
      requeueShard(this.db, lease.shardId, true);
      this.emit({ type: 'cancel', workerId: lease.workerId, leaseIds: [lease.id] });
    }
  }

  /** A deleted run's cached models and counts go too. */
  forgetRun(runId: string): void {
    this.models.delete(runId);
    this.quarantined.delete(runId);
    this.meter.forget(runId);
  }

  capabilitiesOf(workerId: string): Capabilities | undefined {
    return this.workers.get(workerId)?.hello.capabilities;
  }
}
