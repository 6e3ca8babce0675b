import { spawn, type ChildProcess } from 'node:child_process';

/**
 * `passk worker` processes on this machine joining a coordinator over loopback: what
 * `passk run` and the desktop app start, the same path a lab machine takes.
 */
export interface LocalWorkerOptions {
  /** The program that runs the CLI: Node, or Electron with ELECTRON_RUN_AS_NODE in `env`. */
  execPath: string;
  execArgs?: string[];
  /** The CLI's entry (bin/passk.js, or the bundled out/cli/passk.mjs). */
  entry: string;
  workerUrl: string;
  token: string;
  count: number;
  slots: number;
  threads: number;
  /** Further `passk worker` flags (--ep, --batch). */
  extra?: string[];
  env?: NodeJS.ProcessEnv;
  /** Names are `${namePrefix}-1`, `-2`, …; default "local". */
  namePrefix?: string;
}

export interface LocalWorkers {
  processes: ChildProcess[];
  /** Last lines each wrote to stderr, shown when one dies. */
  tails: string[][];
  stop(): Promise<void>;
}

export function startLocalWorkers(o: LocalWorkerOptions): LocalWorkers {
  const tails: string[][] = [];
  const processes = Array.from({ length: o.count }, (_, i) => {
    const child = spawn(o.execPath, [...(o.execArgs ?? []), o.entry, 'worker', '--join', o.workerUrl, '--name', `${o.namePrefix ?? 'local'}-${i + 1}`,
      '--slots', String(o.slots), '--threads', String(o.threads), ...(o.extra ?? [])], {
      // The token goes by environment, not argv, so `ps` on a shared machine does not show it.
      env: { ...process.env, ...o.env, PASSK_TOKEN: o.token },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const tail: string[] = [];
    tails.push(tail);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) tail.push(line.replace(/\r?\x1b\[K/g, ''));
      tail.splice(0, Math.max(0, tail.length - 20));
    });
    return child;
  });
  return {
    processes, tails,
    async stop() {
      await Promise.all(processes.map((child) => new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      })));
    },
  };
}
