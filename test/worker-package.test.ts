import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledModelDir } from '../src/node/resources.ts';
import { bwrapWorks } from '../workers/verify/code/index.ts';
import { connect, freePort, startCoordinator, startInOwnGroup, tempDir, waitForRun } from './support/lab.ts';

describe('adding a machine with the printed join command', () => {
  it('installs the worker from the coordinator into an empty directory with npm alone, and it takes shards', async () => {
    const coordinator = await startCoordinator(tempDir('join'), await freePort());
    const client = await connect(coordinator);
    const empty = tempDir('empty');
    const info = await client.request('coordinator:info', {});
    if (!info.ok) throw new Error(info.error);
    // Exactly what the coordinator printed, run by a shell in a folder with nothing in it. As
    // root (CI), in a mount namespace where this checkout is an empty tmpfs: like another
    // machine, the worker has neither the project's code nor its model folders.
    const command = info.value.joinCommand;
    expect(command).toMatch(/^npm exec --yes --ignore-scripts --package=http:\/\/127\.0\.0\.1:\d+\/worker\.tgz -- passk worker --join ws:\/\/127\.0\.0\.1:\d+ --token pkw_/);
    const apart = spawnSync('unshare', ['--mount', '--propagation', 'private', 'true']).status === 0;
    if (!apart) console.warn('worker-package test: cannot unshare a mount namespace here (not root?); the worker will see this checkout, so the model download is not exercised');
    // A name of this test's own, so the check below that nothing outlives it sees no other suite's worker.
    const name = `from-npm-${process.pid}`;
    const script = `${apart ? `mount -t tmpfs tmpfs ${JSON.stringify(process.cwd())} && ` : ''}cd ${JSON.stringify(empty)} && exec ${command} --name ${name}`;
    const worker = startInOwnGroup(apart ? 'unshare' : 'sh', apart ? ['--mount', '--propagation', 'private', 'sh', '-c', script] : ['-c', script], {
      cwd: empty, env: { ...process.env, PASSK_CACHE_DIR: join(empty, 'cache') },
    });
    try {
      const created = await client.request('run:create', { spec: {
        benchmark: { bundled: 'chain-arithmetic' }, limit: 2,
        models: [{ folder: bundledModelDir('rl'), role: 'rl' }], sampling: { n: 4, maxNewTokens: 32 },
      } });
      const final = await waitForRun(client, created.ok ? created.value.id : '', 240_000);
      expect(final.status, worker.log()).toBe('done');
      const workers = await client.request('workers:list', {});
      expect(workers.ok && workers.value.map((w) => w.name)).toContain(name);
      expect(worker.log()).toContain('joined ws://127.0.0.1');
      expect(readdirSync(empty).filter((f) => f !== 'cache')).toEqual([]);
      if (apart) {
        // It could not read the model folder, so it fetched the model by content address into its cache.
        expect(worker.log()).toContain("downloading rl/onnx/model.onnx (1.7 MB)");
        expect(readdirSync(join(empty, 'cache', 'models'))).toHaveLength(1);
      }
    } finally {
      client.close();
      await worker.kill('SIGTERM');
      await coordinator.kill('SIGTERM');
    }
    // Nothing of the worker outlives the test.
    expect(spawnSync('pgrep', ['-f', `passk worker .*--name ${name}( |$)`]).status).toBe(1);
  }, 300_000);
});

const sandbox = bwrapWorks();
if (!sandbox) console.warn("skipping the bundled CLI's sandboxed code verifier: bubblewrap or /usr/bin/python3 is missing, or bwrap cannot create namespaces here (apt-get install bubblewrap python3)");

describe('the bundled CLI', () => {
  // Built once, by whichever test comes first.
  let built: SpawnSyncReturns<string> | undefined;
  const build = () => (built ??= spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-cli.ts'], { encoding: 'utf8' }));
  const cli = (...args: string[]) => spawnSync(process.execPath, ['out/cli/passk.mjs', ...args], { encoding: 'utf8', input: '', timeout: 60_000 });

  it('builds and runs every command it carries', () => {
    expect(build().status, build().stderr).toBe(0);
    const help = cli('--help');
    expect(help.status).toBe(0);
    for (const command of ['run', 'coordinator', 'worker', 'stats', 'verify', 'sample', 'score', 'datasets', 'serve', 'slurm']) expect(help.stdout).toContain(`  ${command}`);
  }, 120_000);

  it.skipIf(!sandbox)('carries the code verifier, which starts its sandbox', () => {
    expect(build().status, build().stderr).toBe(0);
    const verify = cli('verify', '--kind', 'code', '--input', '-');
    expect(verify.stderr).not.toContain('not part of this build');
    expect(verify.status).toBe(0);
    expect(verify.stderr).toMatch(/code: 0\/0 correct/);
  }, 120_000);
});
