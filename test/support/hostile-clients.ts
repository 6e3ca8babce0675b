// Clients that do what a hostile peer on the network would, on loopback only: raw bytes over
// TCP, engine.io WebSockets without credentials, floods of connections and big messages.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { sendRequest } from '../../src/core/protocol/request-client.ts';
import { PROTOCOL_VERSION, workerRequests, type Capabilities, type Lease, type WorkerHello, type WorkerIdentity } from '../../src/core/protocol/worker-protocol.ts';

/** What came back for one raw exchange: the answer's status code, or `closed` when the peer hung up without one. */
export type Outcome = number | 'closed';

/**
 * Writes `bytes` on a fresh TCP connection, half-closes it (so nothing waits for more of a
 * body), and resolves with the status of the answer, hanging up as soon as the status line
 * is in. A coordinator that neither answers nor closes within `timeoutMs` is a failure.
 */
export function rawExchange(port: number, bytes: string | Buffer, timeoutMs = 5000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    let settled = false;
    const settle = (outcome: Outcome | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => settle(new Error(`no answer and no close within ${timeoutMs} ms to ${JSON.stringify(String(bytes).slice(0, 300))}`)), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      got += chunk.toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3}) /.exec(got);
      if (status) settle(Number(status[1]));
      else if (got.length >= 13) settle(new Error(`not an HTTP answer: ${JSON.stringify(got.slice(0, 100))}`));
    });
    // A reset after the coordinator closed is a close.
    socket.on('error', () => settle('closed'));
    socket.on('close', () => settle('closed'));
    socket.end(bytes);
  });
}

export const ENGINE_IO_WEBSOCKET = '/socket.io/?EIO=4&transport=websocket';

/** An engine.io WebSocket with no credential; resolves once open (or with the reason it was refused). */
export function anonymousSocket(port: number, headers: Record<string, string> = {}): Promise<{ ws: WebSocket } | { refused: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${ENGINE_IO_WEBSOCKET}`, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => { body += chunk; }).on('end', () => resolve({ refused: `${res.statusCode} ${body}` }));
    });
    ws.once('error', (error) => resolve({ refused: error.message }));
  });
}

/** Resolves when the socket is closed (with its close code), or with null if it is still open after `ms`. */
export function closedWithin(ws: WebSocket, ms: number): Promise<number | null> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve(-1);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    ws.once('close', (code) => { clearTimeout(timer); resolve(code); });
  });
}

/**
 * The flood of issue 24: `clients` anonymous sockets each join the default namespace and
 * send one `bytes`-long event, while `held` more connections are opened and kept. Returns
 * how many of the held ones the coordinator accepted, and how many big senders it let stay.
 */
export async function flood(port: number, options: { clients: number; bytes: number; held: number; waitMs: number }): Promise<{ heldOpen: number; sendersOpen: number; sockets: WebSocket[] }> {
  const sockets: WebSocket[] = [];
  const big = `42["flood","${'x'.repeat(options.bytes)}"]`;
  const senders = await Promise.all(Array.from({ length: options.clients }, async () => {
    const opened = await anonymousSocket(port);
    if (!('ws' in opened)) return null;
    sockets.push(opened.ws);
    opened.ws.on('error', () => undefined);
    opened.ws.send('40');
    opened.ws.send(big);
    return opened.ws;
  }));
  const held = await Promise.all(Array.from({ length: options.held }, async () => {
    const opened = await anonymousSocket(port);
    if (!('ws' in opened)) return null;
    sockets.push(opened.ws);
    opened.ws.on('error', () => undefined);
    return opened.ws;
  }));
  await new Promise((r) => setTimeout(r, options.waitMs));
  const open = (ws: WebSocket | null) => ws !== null && ws.readyState === WebSocket.OPEN;
  return { heldOpen: held.filter(open).length, sendersOpen: senders.filter(open).length, sockets };
}

/** A process's resident memory in MB (Linux). */
export function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!kb) throw new Error(`/proc/${pid}/status has no VmRSS`);
  return Number(kb[1]) / 1024;
}

/** A worker socket as a hostile holder of the join token would open one: its own hello, an identity it may claim, no worker program. */
export interface RawWorker {
  socket: ClientSocket;
  /** The identity the coordinator gave (resolves once `worker:identity` came; never for a socket that claimed one). */
  identity: Promise<WorkerIdentity>;
}

export const HOSTILE_CAPABILITIES: Capabilities = { eps: ['cpu'], gpu: null, cores: 1, memoryMb: 1, verify: ['math'], sandboxProblem: null, models: [], slots: 1, server: null };

/** Joins /worker with the token; resolves with the socket, or with the refusal the coordinator gave. */
export function joinRawWorker(url: string, token: string, options: { name?: string; identity?: WorkerIdentity; capabilities?: Partial<Capabilities> } = {}): Promise<RawWorker | { refusal: { code: string; message: string } }> {
  const hello = {
    protocol: PROTOCOL_VERSION, token, ...(options.identity ? { identity: options.identity } : {}),
    worker: { name: options.name ?? 'hostile', host: 'test', version: 'test', capabilities: { ...HOSTILE_CAPABILITIES, ...options.capabilities } },
  } satisfies WorkerHello;
  const socket = io(`${url.replace(/^ws/, 'http')}/worker`, { auth: hello, transports: ['websocket'], reconnection: false, extraHeaders: { Authorization: `Bearer ${token}` } });
  const identity = new Promise<WorkerIdentity>((resolve) => socket.once('worker:identity', (payload: WorkerIdentity) => resolve(payload)));
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket, identity }));
    socket.once('connect_error', (error: Error & { data?: { code: string; message: string } }) => {
      socket.close();
      resolve({ refusal: error.data ?? { code: 'none', message: error.message } });
    });
  });
}

/**
 * The forger of issue 24: leases up to `leases` shards and answers each with texts that hold
 * no answer at all, every one with an inline verdict `correct: true` (and `correct: true`
 * verdicts for verify leases), then completes the lease. Returns what the coordinator
 * answered to each batch, so a test can see it refused.
 */
export async function forgeResults(socket: ClientSocket, leases: number): Promise<{ leased: Lease[]; answers: { ok: boolean; error?: string }[] }> {
  const leased: Lease[] = [];
  const answers: { ok: boolean; error?: string }[] = [];
  for (let i = 0; i < leases; i++) {
    const asked = await sendRequest(socket, workerRequests, 'lease:request', {}, 10_000);
    if (!asked.ok || asked.value.lease === null) break;
    const lease = asked.value.lease;
    leased.push(lease);
    const indices = Array.from({ length: lease.end - lease.start }, (_, k) => lease.start + k);
    const verdict = { correct: true, extracted: null, reason: 'trust me' };
    const sent = lease.kind === 'verify'
      ? await sendRequest(socket, workerRequests, 'results:verdicts', { leaseId: lease.leaseId, verdicts: indices.map((index) => ({ index, ...verdict })) }, 10_000)
      : lease.kind === 'sample'
        ? await sendRequest(socket, workerRequests, 'results:samples', {
          leaseId: lease.leaseId, ep: 'cpu',
          samples: indices.map((index) => ({ index, text: 'I have thought about it carefully.', tokens: 7, finish: 'stop' as const, logprob: -1, ...(lease.inlineVerify ? { verdict } : {}) })),
        }, 10_000)
        : await sendRequest(socket, workerRequests, 'results:scores', { leaseId: lease.leaseId, scores: indices.map((index) => ({ index, tokens: 1, logprob: 0 })) }, 10_000);
    answers.push(sent.ok ? { ok: true } : { ok: false, error: sent.error });
    await sendRequest(socket, workerRequests, 'lease:complete', { leaseId: lease.leaseId, tokens: 7, seconds: 0.01 }, 10_000);
  }
  return { leased, answers };
}
