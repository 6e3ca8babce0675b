import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledModelDir } from '../src/node/resources.ts';
import { connect, freePort, PASSK, passkRunJson, startCoordinator, tempDir, waitForRun, type CoordinatorProcess } from './support/lab.ts';
import { slurmUnavailable, startSlurmCluster, type SlurmCluster } from './support/slurm-cluster.ts';

// `passk slurm` against a real single-node Slurm (Debian's slurmctld, slurmd and munge, started
// here as root): a job array of two workers, installed on the "node" from the coordinator's
// worker package, finishes a run; scancel of one task mid-run loses nothing.
const FLAGS = ['--model', `base=${bundledModelDir('base')}`, '--model', `rl=${bundledModelDir('rl')}`, '--limit', '6', '--n', '32', '--max-new-tokens', '48', '--shard-size', '8', '--seed', '31'];
const SPEC = {
  benchmark: { bundled: 'chain-arithmetic' }, limit: 6, shardSize: 8,
  models: [{ folder: bundledModelDir('base'), role: 'base' }, { folder: bundledModelDir('rl'), role: 'rl' }],
  sampling: { n: 32, maxNewTokens: 48, seed: '31' },
};
const TOTAL = 2 * 6 * 32;

let cluster: SlurmCluster | null = null;
let unavailable = slurmUnavailable();

beforeAll(async () => {
  if (unavailable) return;
  const started = await startSlurmCluster();
  if (started.ok) cluster = started.value;
  else unavailable = started.error;
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

const slurm = (...args: string[]) => spawnSync(process.execPath, [...PASSK, 'slurm', ...args], { encoding: 'utf8', env: cluster!.env, timeout: 120_000 });

describe('passk slurm on a real single-node Slurm', () => {
  it('runs workers as a job array that finishes a run; scancel of one task mid-run loses nothing', async (ctx) => {
    if (unavailable) {
      console.warn(`slurm test skipped: ${unavailable}`);
      ctx.skip();
    }
    const reference = passkRunJson([...FLAGS, '--local-workers', '1', '--slots', '1', '--data-dir', tempDir('slurm-ref')]);
    expect(reference.status, reference.stderr).toBe(0);
    const dataDir = tempDir('slurm-run');
    const coordinator: CoordinatorProcess = await startCoordinator(dataDir, await freePort());
    const client = await connect(coordinator);
    const logs = tempDir('slurm-logs');
    let job = '';
    try {
      const submit = slurm('submit', '--coordinator', coordinator.workerUrl, '--token', coordinator.workerToken, '--workers', '2', '--cpus-per-worker', '1',
        '--time', '00:15:00', '--log-dir', logs, '--', '--slots', '1');
      expect(submit.status, submit.stderr).toBe(0);
      job = submit.stdout.trim();
      expect(job).toMatch(/^\d+$/);
      const names = [`slurm-${job}_0`, `slurm-${job}_1`];
      const taskLogs = () => readdirSync(logs).map((f) => `${f}:\n${readFileSync(join(logs, f), 'utf8').slice(-2000)}`).join('\n');

      // Both array tasks install the worker with npm from the coordinator and join it.
      const deadline = Date.now() + 240_000;
      for (;;) {
        const workers = await client.request('workers:list', {});
        const joined = workers.ok ? workers.value.filter((w) => w.state !== 'gone').map((w) => w.name) : [];
        if (names.every((n) => joined.includes(n))) break;
        if (Date.now() > deadline) throw new Error(`the array tasks did not join: ${joined.join(', ')}\n${slurm('status', job).stdout}\n${taskLogs()}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
      const running = slurm('status', job).stdout;
      for (const task of [0, 1]) expect(running).toMatch(new RegExp(`^${job}_${task}\\s+RUNNING\\s`, 'm'));

      const created = await client.request('run:create', { spec: SPEC });
      if (!created.ok) throw new Error(created.error);
      let cancelled = false;
      const final = await waitForRun(client, created.value.id, 240_000, async (p) => {
        const sampled = p.models.reduce((s, m) => s + m.sampled, 0);
        if (!cancelled && sampled >= TOTAL / 4) {
          cancelled = true;
          const cancel = slurm('cancel', `${job}_1`);
          expect(cancel.status, cancel.stderr).toBe(0);
        }
      });
      expect(cancelled).toBe(true);
      expect(final.status, taskLogs()).toBe('done');
      const report = await client.request('run:report', { runId: created.value.id });
      expect(report.ok && report.value.samplesDigest).toBe(reference.json!.samplesDigest);
      const db = new Database(join(dataDir, 'passk.sqlite'), { readonly: true });
      const rows = db.prepare('SELECT (SELECT COUNT(*) FROM samples) AS samples, (SELECT COUNT(*) FROM verdicts) AS verdicts, (SELECT COUNT(DISTINCT worker_id) FROM samples) AS workers').get();
      db.close();
      expect(rows).toEqual({ samples: TOTAL, verdicts: TOTAL, workers: 2 });

      const workers = await client.request('workers:list', {});
      const state = (name: string) => (workers.ok ? workers.value.find((w) => w.name === name)?.state : undefined);
      expect(state(names[1])).toBe('gone');
      expect(state(names[0])).not.toBe('gone');
      expect(readFileSync(join(logs, `passk-worker-${job}_1.log`), 'utf8')).toContain('handing the shards back');
      expect(slurm('status', job).stdout).not.toContain(`${job}_1 `);
    } finally {
      if (job) slurm('cancel', job);
      client.close();
      await coordinator.kill('SIGTERM');
    }
  }, 600_000);
});
