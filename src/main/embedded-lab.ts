import { availableParallelism } from 'node:os';
import { startCoordinator, type Coordinator } from '../coordinator/coordinator.ts';
import { startLocalWorkers, type LocalWorkers } from '../coordinator/local-workers.ts';

export interface EmbeddedLabOptions {
  dataDir: string;
  version: string;
  /** How to run `passk worker` here: in the app, Electron itself with ELECTRON_RUN_AS_NODE=1 on the bundled CLI. */
  worker: { execPath: string; entry: string; env?: NodeJS.ProcessEnv } | null;
  /** better-sqlite3 built for the running runtime (Electron's ABI differs from Node's). */
  sqliteBinding?: string;
  workerPackage?: () => Promise<string | null>;
  log?: (line: string) => void;
  /** Restarts of a local worker that keeps dying, before the app leaves it dead and says so. */
  maxRestarts?: number;
}

export interface EmbeddedLab {
  coordinator: Coordinator;
  /** The local worker's last words, when it died and was not restarted (shown under Workers). */
  workerProblem(): string | null;
  /** The local worker's process id while it runs. */
  localWorkerPid(): number | null;
  stop(): Promise<void>;
}

/**
 * The app's own lab: a coordinator on the user's data directory, listening on loopback,
 * and one local `passk worker` that joins it over the same protocol a lab machine uses
 * (docs/architecture.md, "One path"). The worker is restarted if it dies, a few times, then left dead.
 */
export async function startEmbeddedLab(o: EmbeddedLabOptions): Promise<EmbeddedLab> {
  const log = o.log ?? ((line: string) => process.stderr.write(`passk-app: ${line}\n`));
  const coordinator = await startCoordinator({
    dataDir: o.dataDir, host: '127.0.0.1', port: 0, version: o.version, sqliteBinding: o.sqliteBinding, workerPackage: o.workerPackage, log,
  });
  const slots = Math.max(1, Math.min(4, availableParallelism() - 1));
  let workers: LocalWorkers | null = null;
  let stopping = false;
  let restarts = 0;
  let problem: string | null = null;
  const launch = () => {
    if (!o.worker) return;
    workers = startLocalWorkers({
      execPath: o.worker.execPath, entry: o.worker.entry, env: o.worker.env, workerUrl: coordinator.workerUrl, token: coordinator.tokens.worker,
      count: 1, slots, threads: 1, namePrefix: 'this-computer',
    });
    const current = workers;
    current.processes[0].once('exit', (code, signal) => {
      if (stopping) return;
      const tail = current.tails[0].slice(-5).join('\n');
      if (restarts >= (o.maxRestarts ?? 3)) {
        problem = `the local worker stopped (${signal ?? `exit ${code}`}) and was restarted ${restarts} times; its last words:\n${tail}`;
        log(problem);
        return;
      }
      restarts++;
      log(`the local worker stopped (${signal ?? `exit ${code}`}); restarting it`);
      setTimeout(() => { if (!stopping) launch(); }, 1000 * restarts).unref();
    });
  };
  launch();
  return {
    coordinator,
    workerProblem: () => problem,
    localWorkerPid: () => {
      const child = (workers as LocalWorkers | null)?.processes[0];
      return child && child.exitCode === null && child.signalCode === null ? child.pid ?? null : null;
    },
    async stop() {
      stopping = true;
      await workers?.stop();
      await coordinator.close();
    },
  };
}
