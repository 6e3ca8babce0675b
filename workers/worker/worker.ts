import { availableParallelism, hostname } from 'node:os';
import { io, type Socket } from 'socket.io-client';
import { sendRequest, type RequestResult } from '../../src/core/protocol/request-client.ts';
import { describeZodError, type RequestOf, type ResponseOf } from '../../src/core/protocol/requests.ts';
import {
  PROTOCOL_VERSION, refusalSchema, WORKER_NAMESPACE, workerIdentitySchema, workerPushes, workerRequests, type Lease, type ShardKind, type WorkerHello,
  type WorkerIdentity, type WorkerRequests,
} from '../../src/core/protocol/worker-protocol.ts';
import { detectCapabilities } from './capabilities.ts';
import type { LeaseRunner, RunnerHost, WorkerBackend } from './lease-runner.ts';
import { ModelCache } from './model-cache.ts';
import { describeLease } from './shard-kinds/index.ts';

export interface WorkerOptions {
  /** ws(s):// or http(s):// address of the coordinator. */
  url: string;
  token: string;
  name: string;
  /** The onnx engine (onnx-backend.ts) or an inference server (workers/openai). */
  backend: WorkerBackend;
  cacheDir: string;
  /** A CA certificate for a coordinator with a self-signed TLS certificate. */
  ca?: Buffer;
  version: string;
  log: (line: string) => void;
  /** One status line a second; `busy` when it holds leases. */
  status?: (line: string, busy: boolean) => void;
}

interface ActiveLease {
  lease: Lease;
  done: number;
  cancelled: boolean;
  runner: LeaseRunner;
}

/** Why a worker stopped for good: the coordinator refused it (token, version), which no retry fixes. */
export class WorkerRefused extends Error {}

const REQUEST_MS = 60_000;

/**
 * A worker: asks for leases on each lane its backend gives (slot threads of the onnx engine,
 * or clients of an inference server, plus one lane for verification, which is quick and keeps
 * verdicts flowing while the others sample), runs them, sends their results in batches and
 * waits for each acknowledgement, resending across reconnects until the coordinator has it. Survives the coordinator going away (socket.io reconnects with
 * backoff); stops only when drained or refused.
 */
export class Worker {
  /** Given by the coordinator at first join and presented on every reconnect (memory only: a restarted worker is a new one). */
  private identity: WorkerIdentity | null = null;
  private socket: Socket | null = null;
  private readonly active = new Map<number, ActiveLease>();
  private readonly cache: ModelCache;
  private draining = false;
  private stopped = false;
  private wake: (() => void)[] = [];
  private refused: WorkerRefused | null = null;
  private tokens = 0;
  private readonly runners: LeaseRunner[] = [];

  constructor(readonly options: WorkerOptions) {
    const base = options.url.replace(/^ws(s?):/, 'http$1:');
    this.cache = new ModelCache(options.cacheDir, { baseUrl: base, token: options.token, ca: options.ca }, options.log);
  }

  private hello(): WorkerHello {
    const o = this.options;
    return {
      protocol: PROTOCOL_VERSION, token: o.token,
      ...(this.identity ? { identity: this.identity } : {}),
      worker: { name: o.name, host: hostname(), version: o.version, capabilities: detectCapabilities({ slots: o.backend.slots, models: this.cache.held(), ep: o.backend.ep, server: o.backend.server }) },
    };
  }

  /** Runs until drained (0) or refused by the coordinator (throws WorkerRefused). */
  async run(): Promise<void> {
    const o = this.options;
    const socket = io(`${o.url.replace(/^http(s?):/, 'ws$1:')}${WORKER_NAMESPACE}`, {
      auth: (cb) => cb(this.hello()),
      // The token in the upgrade too: a socket without it may send only small messages (the coordinator's connection gate).
      extraHeaders: { Authorization: `Bearer ${o.token}` },
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 10_000,
      ...(o.ca ? { ca: o.ca.toString('utf8') } : {}),
    });
    this.socket = socket;
    socket.on('connect', () => { o.log(`joined ${o.url} as ${o.name}`); this.notify(); });
    socket.on('disconnect', (reason) => o.log(`disconnected from the coordinator (${reason}); reconnecting`));
    socket.on('connect_error', (error: Error & { data?: unknown }) => {
      const refusal = refusalSchema.safeParse(error.data);
      if (refusal.success) {
        this.refused = new WorkerRefused(`the coordinator refused this worker: ${refusal.data.message}`);
        this.draining = true;
        this.stopped = true;
        socket.close();
        this.notify();
      }
    });
    socket.on('worker:identity', (payload: unknown) => {
      const identity = workerIdentitySchema.safeParse(payload);
      if (identity.success) this.identity = identity.data;
    });
    socket.on('work:available', () => this.notify());
    socket.on('lease:cancel', (payload: unknown) => {
      const parsed = workerPushes['lease:cancel'].safeParse(payload);
      if (parsed.success) for (const id of parsed.data.leaseIds) this.cancel(id);
      else o.log(`a lease:cancel from the coordinator that does not parse: ${describeZodError(parsed.error)}`);
    });
    const heartbeat = setInterval(() => void this.beat(), 2000);
    const status = setInterval(() => this.reportStatus(), 1000);
    const host: RunnerHost = {
      send: (name, payload) => this.request(name, payload),
      ensure: (model) => this.cache.ensure(model),
      onTokens: (count) => { this.tokens += count; },
    };
    const lanes = o.backend.lanes(host).map(({ kinds, runner }) => {
      this.runners.push(runner);
      return this.lane(kinds, runner);
    });
    try {
      await Promise.all(lanes);
    } finally {
      clearInterval(heartbeat);
      clearInterval(status);
      socket.close();
      await Promise.all(this.runners.map((runner) => runner.terminate()));
    }
    if (this.refused) throw this.refused;
  }

  /** Finish the leases in hand, take no more, then stop. */
  drain(): void {
    this.draining = true;
    this.notify();
  }

  /** Hand every lease back at once (the coordinator queues them again) and stop. */
  async stopNow(): Promise<void> {
    this.draining = true;
    this.stopped = true;
    const socket = this.socket;
    const leases = [...this.active.keys()];
    for (const id of leases) this.cancel(id);
    if (socket?.connected) {
      await Promise.all(leases.map((leaseId) => sendRequest(socket, workerRequests, 'lease:release', { leaseId }, 2000)));
    }
    // Pending requests fail at once on disconnect; a runner mid-lease is stopped (a slot by ending its thread).
    socket?.disconnect();
    await Promise.all(this.runners.map((runner) => runner.terminate()));
    this.notify();
  }

  private notify(): void {
    const waiting = this.wake;
    this.wake = [];
    for (const resolve of waiting) resolve();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.wake = this.wake.filter((w) => w !== done); resolve(); }, ms);
      const done = () => { clearTimeout(timer); resolve(); };
      this.wake.push(done);
    });
  }

  private async connected(): Promise<boolean> {
    while (!this.socket?.connected) {
      if (this.stopped) return false;
      await this.sleep(1000);
    }
    return true;
  }

  /** A request, resent after timeouts and reconnects until the coordinator answers; a refusal is returned. */
  private async request<K extends keyof WorkerRequests & string>(name: K, payload: RequestOf<WorkerRequests, K>): Promise<RequestResult<ResponseOf<WorkerRequests, K>>> {
    for (;;) {
      if (!(await this.connected())) return { ok: false, error: `${name}: the worker is stopping`, timedOut: true };
      const answer = await sendRequest(this.socket!, workerRequests, name, payload, REQUEST_MS);
      if (answer.ok || !answer.timedOut || this.stopped) return answer;
      this.options.log(`${answer.error}; sending again`);
    }
  }

  private async lane(kinds: ShardKind[], runner: LeaseRunner): Promise<void> {
    while (!this.draining) {
      if (!(await this.connected())) return;
      const answer = await this.request('lease:request', { kinds, loaded: runner.loaded() });
      if (this.draining) {
        if (answer.ok && answer.value.lease) await this.request('lease:release', { leaseId: answer.value.lease.leaseId });
        return;
      }
      if (!answer.ok) {
        this.options.log(`asking for work: ${answer.error}`);
        await this.sleep(2000);
        continue;
      }
      if (answer.value.lease === null) {
        await this.sleep(answer.value.retryMs);
        continue;
      }
      await this.runOne(answer.value.lease, runner);
    }
  }

  private async runOne(lease: Lease, runner: LeaseRunner): Promise<void> {
    const state: ActiveLease = { lease, done: 0, cancelled: false, runner };
    this.active.set(lease.leaseId, state);
    const started = performance.now();
    const outcome = await runner.run(lease, (done) => { state.done = done; });
    this.active.delete(lease.leaseId);
    if (state.cancelled || this.stopped) return;
    const seconds = (performance.now() - started) / 1000;
    if (outcome.ok) {
      const done = await this.request('lease:complete', { leaseId: lease.leaseId, tokens: outcome.value.tokens, seconds });
      if (!done.ok) this.options.log(`lease ${lease.leaseId}: ${done.error}`);
      else if (done.value.missing > 0) this.options.log(`lease ${lease.leaseId}: the coordinator is missing ${done.value.missing} results; it will lease them again`);
    } else {
      this.options.log(`lease ${lease.leaseId} (${lease.kind} ${describeLease(lease)}) failed: ${outcome.error}`);
      await this.request('lease:fail', { leaseId: lease.leaseId, error: outcome.error.slice(0, 8000) });
    }
  }

  private cancel(leaseId: number): void {
    const state = this.active.get(leaseId);
    if (!state) return;
    state.cancelled = true;
    state.runner.cancel(leaseId);
  }

  private async beat(): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected || this.active.size === 0) return;
    const answer = await sendRequest(socket, workerRequests, 'lease:heartbeat', {
      leases: [...this.active.values()].map((a) => ({ leaseId: a.lease.leaseId, done: a.done })),
    }, 10_000);
    if (answer.ok) for (const id of answer.value.cancel) this.cancel(id);
  }

  private lastTokens = 0;
  private lastReport = 0;

  private reportStatus(): void {
    const now = performance.now();
    const rate = this.lastReport === 0 ? 0 : ((this.tokens - this.lastTokens) / (now - this.lastReport)) * 1000;
    this.lastTokens = this.tokens;
    this.lastReport = now;
    const leases = [...this.active.values()].map((a) => `${a.lease.kind} ${describeLease(a.lease)} ${a.done}/${a.lease.end - a.lease.start}`);
    this.options.status?.(`${this.options.name}: ${leases.length ? leases.join(', ') : this.draining ? 'draining' : 'idle'} · ${rate.toFixed(0)} tok/s`, leases.length > 0);
  }
}
