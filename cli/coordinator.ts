import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_PORT, startCoordinator } from '../src/coordinator/coordinator.ts';
import { DEFAULT_CONNECTION_LIMITS } from '../src/coordinator/server/connection-gate.ts';
import { AccessTokensError } from '../src/coordinator/access-tokens.ts';
import { listRuns } from '../src/coordinator/store/runs.ts';
import { defaultDataDir } from '../src/node/app-dirs.ts';
import { WEB_UI_DIR } from '../src/node/resources.ts';
import { UsageError, type Command } from './command.ts';
import { flag, num, readPemOption, str } from './options.ts';
import { guardProcess } from './process-guard.ts';
import { VERSION } from './version.ts';
import { workerPackage } from './worker-package.ts';

const usage = `passk coordinator [--port P] [--host H] [--data-dir D] [--tls-cert F --tls-key F] [--ui]

Runs the coordinator of a lab: it keeps every run in one SQLite database in the data
directory, leases shards to the workers that join it, and serves them the model files and
the worker program. It prints the command that adds a machine as a worker. Runs left
unfinished (by a crash, or a \`passk run\` stopped with Ctrl-C) go on from where they were.

  --port P           default ${DEFAULT_PORT}
  --host H           address to listen on (default 127.0.0.1: this machine only;
                     0.0.0.0 to let other machines join)
  --data-dir D       default ${defaultDataDir()} (or PASSK_DATA_DIR)
  --tls-cert F, --tls-key F
                     serve wss:// and https:// with this certificate and key (PEM)
  --lease-seconds S  a worker silent this long loses its shard to the queue (default 30)
  --max-connections N
                     sockets held at once, all kinds (default ${DEFAULT_CONNECTION_LIMITS.connections})
  --max-anonymous-connections N, --max-anonymous-per-address N
                     sockets without a token or session, in all and from one address
                     (default ${DEFAULT_CONNECTION_LIMITS.anonymousConnections} and ${DEFAULT_CONNECTION_LIMITS.anonymousPerAddress}): they can only be refused, so they get few places
  --ui               also serve the desktop app to browsers at the coordinator's address
                     (built by \`npm run build\`); it prints a link that signs the browser in
                     with the UI token`;

export const coordinatorCommand: Command = {
  summary: 'run a lab coordinator: runs in SQLite, shards leased to the workers that join',
  usage,
  options: {
    port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' },
    'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'lease-seconds': { type: 'string' }, ui: { type: 'boolean' },
    'max-connections': { type: 'string' }, 'max-anonymous-connections': { type: 'string' }, 'max-anonymous-per-address': { type: 'string' },
  },
  async run(values) {
    const certFile = str(values, 'tls-cert');
    const keyFile = str(values, 'tls-key');
    if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
    const tls = certFile && keyFile ? { cert: await readPemOption(certFile, '--tls-cert'), key: await readPemOption(keyFile, '--tls-key') } : undefined;
    const dataDir = resolve(str(values, 'data-dir') ?? defaultDataDir());
    const leaseSeconds = num(values, 'lease-seconds', false, 1);
    const ui = flag(values, 'ui');
    if (ui && !existsSync(join(WEB_UI_DIR, 'index.html'))) throw new UsageError(`--ui: the app is not built (${WEB_UI_DIR} holds no index.html); run \`npm run build\` first`);
    let coordinator;
    try {
      coordinator = await startCoordinator({
        dataDir, host: str(values, 'host') ?? '127.0.0.1', port: num(values, 'port', true, 0) ?? DEFAULT_PORT,
        tls,
        scheduler: leaseSeconds === undefined ? undefined : { leaseTtlMs: leaseSeconds * 1000 },
        workerPackage, version: VERSION, webUiDir: ui ? WEB_UI_DIR : undefined,
        connectionLimits: {
          connections: num(values, 'max-connections', true, 1),
          anonymousConnections: num(values, 'max-anonymous-connections', true, 0),
          anonymousPerAddress: num(values, 'max-anonymous-per-address', true, 0),
        },
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new UsageError(`port ${num(values, 'port', true) ?? DEFAULT_PORT} is taken (another coordinator?); choose one with --port`);
      if (code === 'ENOENT' || code === 'EACCES' || error instanceof AccessTokensError) throw new UsageError((error as Error).message);
      throw error;
    }
    const open = listRuns(coordinator.db, ['running', 'paused']);
    process.stdout.write([
      `passk coordinator ${VERSION} on ${coordinator.url} (data: ${dataDir})`,
      open.length > 0 ? `resuming ${open.length} unfinished run${open.length > 1 ? 's' : ''}: ${open.map((r) => r.name).join(', ')}` : 'no unfinished runs',
      '',
      'Add a worker (run on any machine that reaches this one):',
      `  ${coordinator.joinCommand}`,
      'or, where PassK Lab is installed:',
      `  passk worker --join ${coordinator.workerUrl} --token ${coordinator.tokens.worker}`,
      '',
      'Submit a run:',
      `  passk run SPEC --coordinator ${coordinator.url} --token ${coordinator.tokens.ui}`,
      '',
      ...(coordinator.webUiUrl ? ['Open the app in a browser (the link signs it in; keep it private):', `  ${coordinator.webUiUrl}`, ''] : []),
    ].join('\n'));
    const unguard = guardProcess((line) => process.stderr.write(`coordinator: ${line}\n`));
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    process.stderr.write('passk coordinator: stopping (runs in progress go on at the next start)\n');
    await coordinator.close();
    unguard();
    return 0;
  },
};
