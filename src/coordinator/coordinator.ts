import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Server } from 'socket.io';
import { MAX_MESSAGE_BYTES } from '../core/protocol/limits.ts';
import { UI_NAMESPACE, uiRequests } from '../core/protocol/ui-protocol.ts';
import { PROTOCOL_VERSION, WORKER_NAMESPACE, workerHelloSchema, workerRequests, type Refusal } from '../core/protocol/worker-protocol.ts';
import { describeZodError } from '../core/protocol/requests.ts';
import { loadAccessTokens, newToken, saveAccessTokens, tokenMatches, type AccessTokens } from './access-tokens.ts';
import { runProgress, workerRows } from './runs/run-service.ts';
import { DEFAULT_SCHEDULER_OPTIONS, Scheduler, type JoinedWorker, type SchedulerOptions } from './scheduler/scheduler.ts';
import { connectionGate, DEFAULT_CONNECTION_LIMITS, upgradeToken, type ConnectionLimits } from './server/connection-gate.ts';
import { ModelFiles, plain } from './server/model-files.ts';
import { serveRequests } from './server/serve-requests.ts';
import { uiAppHandlers } from './server/ui-app-handlers.ts';
import { webUi } from './server/web-ui.ts';
import { runRoom, uiHandlers, WORKERS_ROOM, type CoordinatorInfo } from './server/ui-handlers.ts';
import { workerHandlers } from './server/worker-handlers.ts';
import { admitWorker, type AdmittedWorker } from './server/worker-identity.ts';
import { openStore, type Store } from './store/open-store.ts';
import { getRun } from './store/runs.ts';

export interface CoordinatorOptions {
  dataDir: string;
  /** Default 127.0.0.1; 0.0.0.0 (or a LAN address) to accept lab machines. */
  host?: string;
  /** Default 7077; 0 picks a free port. */
  port?: number;
  /** PEM certificate and key: serve https:// and wss://. */
  tls?: { cert: Buffer; key: Buffer };
  scheduler?: Partial<SchedulerOptions>;
  /** The worker program as an npm tarball (served at /worker.tgz for the join command); null: not served. */
  workerPackage?: () => Promise<string | null>;
  version: string;
  log?: (line: string) => void;
  /** Serve the app's renderer from this folder (the built `out/renderer`) to browsers, signed in by the UI token. */
  webUiDir?: string;
  /** better-sqlite3's addon built for this runtime (the Electron shell passes its own build; see README). */
  sqliteBinding?: string;
  /** Sockets held at once (DEFAULT_CONNECTION_LIMITS where unset). */
  connectionLimits?: Partial<ConnectionLimits>;
}

export interface Coordinator {
  /** http(s)://host:port */
  url: string;
  /** ws(s)://host:port, what `passk worker --join` takes. */
  workerUrl: string;
  tokens: AccessTokens;
  /** The exact command that adds a machine as a worker (it changes when the workers' token is revoked). */
  readonly joinCommand: string;
  /** With `webUiDir`: the address that opens the app in a browser and signs it in. */
  readonly webUiUrl: string | null;
  scheduler: Scheduler;
  db: Store;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 7077;

/**
 * One process, one port: socket.io for workers (/worker) and people (/ui), HTTP for model
 * files and the worker package. SQLite in the data directory holds every run; on start,
 * leases of a previous life are expired and unfinished runs go on.
 */
export async function startCoordinator(options: CoordinatorOptions): Promise<Coordinator> {
  const log = options.log ?? ((line: string) => process.stderr.write(`coordinator: ${line}\n`));
  const tokens = await loadAccessTokens(options.dataDir);
  const db = openStore(join(options.dataDir, 'passk.sqlite'), undefined, options.sqliteBinding);
  const scheduler = new Scheduler(db, Date.now, { ...DEFAULT_SCHEDULER_OPTIONS, ...options.scheduler });
  const recovered = scheduler.recover();
  if (recovered > 0) log(`${recovered} lease${recovered > 1 ? 's' : ''} of a previous run of the coordinator went back to the queue`);
  const files = new ModelFiles(db);
  const secure = options.tls !== undefined;
  const web = options.webUiDir === undefined ? null : webUi({ dir: options.webUiDir, uiToken: () => tokens.ui, secure });

  /** Every HTTP request but socket.io's (engine.io takes /socket.io/ before this sees it). */
  const answer = (req: IncomingMessage, res: ServerResponse): void | Promise<void> => {
    const url = requestUrl(req.url);
    if (url === null) return plain(res, 400, 'bad request target: expected a path such as /healthz');
    const file = /^\/files\/([0-9a-f]{64})$/.exec(url.pathname);
    if (file && (req.method === 'GET' || req.method === 'HEAD')) {
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Bearer ') || !tokenMatches(auth.slice(7), tokens.worker)) return plain(res, 401, 'model files need the workers\' join token (Authorization: Bearer …)');
      return files.serve(req, res, file[1]);
    }
    if (url.pathname === '/worker.tgz' && req.method === 'GET') return serveWorkerPackage(res, options.workerPackage, log);
    // Lets a launcher (passk slurm submit) check a join token before it starts workers that would be refused.
    if (url.pathname === '/auth/worker') {
      const auth = req.headers.authorization ?? '';
      return auth.startsWith('Bearer ') && tokenMatches(auth.slice(7), tokens.worker) ? plain(res, 200, 'the join token is right') : plain(res, 401, 'wrong join token');
    }
    if (url.pathname === '/healthz') return plain(res, 200, `passk coordinator ${options.version}, protocol ${PROTOCOL_VERSION}`);
    if (web?.handle(req, res, url)) return;
    plain(res, 404, `not found: ${url.pathname.slice(0, 200)}`);
  };
  // No request may throw past here: a fault is answered 500 (or the connection closed) and logged.
  const route = (req: IncomingMessage, res: ServerResponse) => {
    const failed = (error: unknown) => {
      log(`request ${String(req.method).slice(0, 16)} ${JSON.stringify(String(req.url).slice(0, 200))} failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) plain(res, 500, `the coordinator failed to answer: ${(error as Error).message}`);
      else res.destroy();
    };
    // A client that goes away mid-request is not news (without a listener, the error would be thrown).
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    try {
      const pending = answer(req, res);
      if (pending) pending.catch(failed);
    } catch (error) {
      failed(error);
    }
  };
  const http: HttpServer = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, route)
    : createHttpServer(route);
  const given = options.connectionLimits ?? {};
  const limits: ConnectionLimits = {
    connections: given.connections ?? DEFAULT_CONNECTION_LIMITS.connections,
    anonymousConnections: given.anonymousConnections ?? DEFAULT_CONNECTION_LIMITS.anonymousConnections,
    anonymousPerAddress: given.anonymousPerAddress ?? DEFAULT_CONNECTION_LIMITS.anonymousPerAddress,
  };
  const credentialed = (req: IncomingMessage) => {
    const token = upgradeToken(req);
    if (token !== null) return tokenMatches(token, tokens.worker) || tokenMatches(token, tokens.ui);
    return web?.acceptsHandshake(req.headers) ?? false;
  };
  const gate = connectionGate(limits, credentialed);
  // WebSocket only (every client of this project uses it): long-polling would buffer request bodies before anyone is known.
  const io = new Server(http, {
    transports: ['websocket'], maxHttpBufferSize: MAX_MESSAGE_BYTES, serveClient: false, pingInterval: 10_000, pingTimeout: 20_000,
    // A socket that has joined no namespace this long is closed (the refused ones included).
    connectTimeout: 10_000,
    allowRequest: gate.allowRequest, wsEngine: gate.wsEngine,
  });
  // The default namespace serves nothing: it refuses everyone, so no socket lives there.
  io.use((_socket, next) => next(Object.assign(new Error('this coordinator serves /worker and /ui only'), { data: { code: 'bad-namespace', message: 'this coordinator serves /worker and /ui only' } })));

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? DEFAULT_PORT, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : options.port ?? DEFAULT_PORT;
  const publicHost = options.host === undefined || options.host === '127.0.0.1' || options.host === 'localhost' ? '127.0.0.1'
    : options.host === '0.0.0.0' || options.host === '::' ? hostname() : options.host;
  const url = `${secure ? 'https' : 'http'}://${publicHost}:${port}`;
  const workerUrl = `${secure ? 'wss' : 'ws'}://${publicHost}:${port}`;
  const joinCommandOf = (token: string) => `npm exec --yes --ignore-scripts --package=${url}/worker.tgz -- passk worker --join ${workerUrl} --token ${token}`;
  const info: CoordinatorInfo = { version: options.version, protocol: PROTOCOL_VERSION, workerUrl, joinCommand: joinCommandOf(tokens.worker), dataDir: options.dataDir };

  // Workers: hello checked before anything else; one live socket per worker id.
  const workers = io.of(WORKER_NAMESPACE);
  const socketOf = new Map<string, string>();
  workers.use((socket, next) => {
    const auth = socket.handshake.auth as Record<string, unknown>;
    const refuse = (code: Refusal['code'], message: string) => next(Object.assign(new Error(message), { data: { code, message } satisfies Refusal }));
    if (auth.protocol !== PROTOCOL_VERSION) {
      return refuse('bad-protocol', `this coordinator speaks protocol ${PROTOCOL_VERSION}, the worker ${String(auth.protocol)}: install the coordinator's version (its join command does)`);
    }
    if (typeof auth.token !== 'string' || !tokenMatches(auth.token, tokens.worker)) {
      return refuse('bad-token', 'wrong join token: use the token `passk coordinator` printed (the desktop app shows it under Workers)');
    }
    const hello = workerHelloSchema.safeParse(auth);
    if (!hello.success) return refuse('bad-hello', `malformed worker hello (${describeZodError(hello.error)})`);
    const admitted = admitWorker(db, hello.data.identity, hello.data.worker.name);
    if (!admitted.ok) {
      log(`refused a worker named ${JSON.stringify(hello.data.worker.name)} from ${socket.handshake.address}: ${admitted.error}`);
      return refuse('bad-identity', admitted.error);
    }
    socket.data.worker = { ...hello.data.worker, id: admitted.value.id } satisfies JoinedWorker;
    socket.data.admitted = admitted.value;
    next();
  });
  workers.on('connection', (socket) => {
    const hello = socket.data.worker as JoinedWorker;
    const admitted = socket.data.admitted as AdmittedWorker;
    // A worker that reconnects before its old socket is noticed gone: the new socket is the one it speaks on.
    socketOf.set(hello.id, socket.id);
    scheduler.workerJoined(hello, admitted.secretHash ?? undefined);
    if (admitted.issued) socket.emit('worker:identity', admitted.issued);
    log(`worker ${hello.name} (${hello.host}, ${hello.capabilities.eps.join('/')}, ${hello.capabilities.slots} slot${hello.capabilities.slots > 1 ? 's' : ''}) joined`);
    serveRequests(socket, workerRequests, workerHandlers(scheduler, hello.id), log);
    socket.on('disconnect', (reason) => {
      if (socketOf.get(hello.id) !== socket.id) return;
      socketOf.delete(hello.id);
      scheduler.workerLeft(hello.id);
      log(`worker ${hello.name} left (${reason})`);
    });
  });

  // People: the UI token; progress pushed to the rooms they subscribed to.
  const ui = io.of(UI_NAMESPACE);
  ui.use((socket, next) => {
    const token = (socket.handshake.auth as Record<string, unknown>).token;
    const byToken = typeof token === 'string' && tokenMatches(token, tokens.ui);
    if (!byToken && !web?.acceptsHandshake(socket.handshake.headers)) {
      return next(Object.assign(new Error('wrong UI token: use the one in tokens.json in the coordinator\'s data directory (passk coordinator prints it)'), { data: { code: 'bad-token', message: 'wrong UI token' } }));
    }
    next();
  });
  // Revoking: workers holding the old token are dropped and refused when they come back.
  const revokeWorkerToken = async () => {
    tokens.worker = newToken('pkw');
    await saveAccessTokens(options.dataDir, tokens);
    info.joinCommand = joinCommandOf(tokens.worker);
    workers.disconnectSockets(true);
    log('the workers\' join token was revoked; workers must join with the new command');
    return { joinCommand: info.joinCommand, workerUrl };
  };
  ui.on('connection', (socket) => {
    const session = { join: (room: string) => void socket.join(room), leave: (room: string) => void socket.leave(room) };
    serveRequests(socket, uiRequests, { ...uiHandlers(scheduler, info, session), ...uiAppHandlers(scheduler, { version: options.version, revokeWorkerToken }) }, log);
  });

  const throttled = new Map<string, NodeJS.Timeout>();
  const later = (key: string, ms: number, action: () => void) => {
    if (throttled.has(key)) return;
    throttled.set(key, setTimeout(() => { throttled.delete(key); action(); }, ms));
  };
  // Progress is computed only for rooms someone listens in: a lab run with no window open pays nothing for it.
  const listened = (room: string) => (ui.adapter.rooms.get(room)?.size ?? 0) > 0;
  scheduler.on((event) => {
    if (event.type === 'run') {
      if (!listened(runRoom(event.runId))) return;
      later(`run:${event.runId}`, 250, () => {
        const run = getRun(db, event.runId);
        if (run) ui.to(runRoom(run.id)).emit('run:progress', runProgress(scheduler, run));
      });
    } else if (event.type === 'workers') {
      if (!listened(WORKERS_ROOM)) return;
      later('workers', 250, () => ui.to(WORKERS_ROOM).emit('workers:update', workerRows(scheduler)));
    } else if (event.type === 'work') {
      later('work', 20, () => {
        for (const id of scheduler.takeIdle()) {
          const socket = socketOf.get(id);
          if (socket) workers.to(socket).emit('work:available', {});
        }
      });
    } else if (event.type === 'cancel') {
      const id = socketOf.get(event.workerId);
      if (id) workers.to(id).emit('lease:cancel', { leaseIds: event.leaseIds });
    }
  });
  const sweeper = setInterval(() => scheduler.sweep(), Math.max(100, Math.min(1000, scheduler.options.leaseTtlMs / 4)));
  const forgetter = setInterval(() => {
    const forgotten = scheduler.forgetGoneWorkers();
    if (forgotten > 0) scheduler.emit({ type: 'workers' });
  }, 60_000);

  return {
    url, workerUrl, tokens, scheduler, db,
    get joinCommand() { return info.joinCommand; },
    webUiUrl: web === null ? null : `${url}/?token=${encodeURIComponent(tokens.ui)}`,
    async close() {
      clearInterval(sweeper);
      clearInterval(forgetter);
      for (const timer of throttled.values()) clearTimeout(timer);
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      db.close();
    },
  };
}

/** The URL of an origin-form request target (`/path?query`); null for an absolute-form, `*` or unparsable one. */
export function requestUrl(target: string | undefined): URL | null {
  if (target === undefined || !target.startsWith('/')) return null;
  try {
    // Prefixed, not resolved against a base: `//x` stays a path and cannot name a host.
    return new URL(`http://coordinator${target}`);
  } catch {
    return null;
  }
}

async function serveWorkerPackage(res: ServerResponse, provide: CoordinatorOptions['workerPackage'], log: (line: string) => void): Promise<void> {
  let path: string | null = null;
  try {
    path = provide ? await provide() : null;
  } catch (error) {
    log(`the worker package could not be built: ${(error as Error).message}`);
    return plain(res, 500, `the worker package could not be built: ${(error as Error).message}`);
  }
  if (path === null) return plain(res, 404, 'this coordinator does not serve the worker package; install PassK Lab on the worker machine and run `passk worker --join …`');
  // Streamed: anyone may fetch it (npm exec has no token), so a request costs a read buffer, not the tarball.
  const { size } = await stat(path);
  res.writeHead(200, { 'Content-Type': 'application/gzip', 'Content-Length': String(size) });
  createReadStream(path).on('error', (error) => res.destroy(error)).pipe(res);
}
