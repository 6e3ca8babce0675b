import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/core/benchmarks/mulberry32.ts';
import { bundledModelDir } from '../src/node/resources.ts';
import { connect, freePort, passkRunJson, startCoordinator, startWorker, tempDir, waitForRun, type LabProcess } from './support/lab.ts';

// Two models, six problems, 32 samples each, in shards of 8: 48 sample shards and their
// verifications, a few seconds of work for one worker on two cores.
const FLAGS = ['--model', `base=${bundledModelDir('base')}`, '--model', `rl=${bundledModelDir('rl')}`, '--limit', '6', '--n', '32', '--max-new-tokens', '48', '--shard-size', '8', '--seed', '11'];
const SPEC = {
  benchmark: { bundled: 'chain-arithmetic' }, limit: 6, shardSize: 8,
  models: [{ folder: bundledModelDir('base'), role: 'base' }, { folder: bundledModelDir('rl'), role: 'rl' }],
  sampling: { n: 32, maxNewTokens: 48, seed: '11' },
};
const TOTAL = 2 * 6 * 32;

let reference: string | null = null;
/** The digest of the run drawn by one local worker: what every other split of the work must reproduce. */
function referenceDigest(): string {
  if (reference === null) {
    const one = passkRunJson([...FLAGS, '--local-workers', '1', '--slots', '1', '--data-dir', tempDir('ref')]);
    expect(one.status, one.stderr).toBe(0);
    expect(one.json?.samples).toBe(TOTAL);
    reference = one.json!.samplesDigest;
  }
  return reference;
}

function countRows(dataDir: string): { samples: number; verdicts: number } {
  const db = new Database(join(dataDir, 'passk.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT (SELECT COUNT(*) FROM samples) AS samples, (SELECT COUNT(*) FROM verdicts) AS verdicts').get() as { samples: number; verdicts: number };
  } finally {
    db.close();
  }
}

describe('distributed runs (real coordinator and worker processes)', () => {
  it('draws the same samples with one worker or three', () => {
    const three = passkRunJson([...FLAGS, '--local-workers', '3', '--slots', '1', '--data-dir', tempDir('three')]);
    expect(three.status, three.stderr).toBe(0);
    expect(three.json).toMatchObject({ status: 'done', samples: TOTAL });
    expect(three.json!.samplesDigest).toBe(referenceDigest());
  }, 240_000);

  it('loses and doubles nothing when workers are SIGKILLed mid-run and one comes back', async () => {
    const dataDir = tempDir('kill-workers');
    const coordinator = await startCoordinator(dataDir, await freePort(), ['--lease-seconds', '2']);
    const workers: LabProcess[] = ['w1', 'w2', 'w3'].map((name) => startWorker(coordinator, name));
    const client = await connect(coordinator);
    try {
      const created = await client.request('run:create', { spec: SPEC });
      expect(created.ok, created.ok ? '' : created.error).toBe(true);
      const runId = created.ok ? created.value.id : '';
      // Kill points drawn from a seed: fractions of the samples drawn at which w1, then w2, die.
      const random = mulberry32(20261201);
      const killAt = [0.15 + 0.3 * random(), 0.5 + 0.3 * random()];
      let killed = 0;
      const final = await waitForRun(client, runId, 180_000, async (p) => {
        const sampled = p.models.reduce((s, m) => s + m.sampled, 0) / TOTAL;
        if (killed < 2 && sampled >= killAt[killed]) {
          await workers[killed].kill('SIGKILL');
          if (killed === 0) workers.push(startWorker(coordinator, 'w1-again'));
          killed++;
        }
      });
      expect(killed).toBe(2);
      expect(final.status).toBe('done');
      const report = await client.request('run:report', { runId });
      expect(report.ok && report.value.samplesDigest).toBe(referenceDigest());
      expect(countRows(dataDir)).toEqual({ samples: TOTAL, verdicts: TOTAL });
    } finally {
      client.close();
      await Promise.all(workers.map((w) => w.kill('SIGTERM')));
      await coordinator.kill('SIGTERM');
    }
  }, 240_000);

  it('resumes a run when the coordinator is SIGKILLed and restarted on its data directory', async () => {
    const dataDir = tempDir('kill-coordinator');
    const port = await freePort();
    let coordinator = await startCoordinator(dataDir, port, ['--lease-seconds', '2']);
    const workers = ['w1', 'w2'].map((name) => startWorker(coordinator, name));
    let client = await connect(coordinator);
    try {
      const created = await client.request('run:create', { spec: SPEC });
      const runId = created.ok ? created.value.id : '';
      expect(runId).not.toBe('');
      await expect(waitForRun(client, runId, 60_000, async (p) => {
        if (p.models.reduce((s, m) => s + m.sampled, 0) >= TOTAL / 3) throw new Error('kill now');
      })).rejects.toThrow('kill now');
      client.close();
      await coordinator.kill('SIGKILL');
      const before = countRows(dataDir);
      expect(before.samples).toBeLessThan(TOTAL);

      coordinator = await startCoordinator(dataDir, port, ['--lease-seconds', '2']);
      client = await connect(coordinator);
      const final = await waitForRun(client, runId, 180_000);
      expect(final.status).toBe('done');
      const report = await client.request('run:report', { runId });
      expect(report.ok && report.value.samplesDigest).toBe(referenceDigest());
      expect(countRows(dataDir)).toEqual({ samples: TOTAL, verdicts: TOTAL });
    } finally {
      client.close();
      await Promise.all(workers.map((w) => w.kill('SIGTERM')));
      await coordinator.kill('SIGTERM');
    }
  }, 240_000);
});

describe('workers leave cleanly, and runs can be submitted to a running coordinator', () => {
  it('drains on Ctrl-C (the shard in hand is finished), hands back on a second Ctrl-C; passk run --coordinator uses the lab', async () => {
    const dataDir = tempDir('drain');
    const coordinator = await startCoordinator(dataDir, await freePort());
    const client = await connect(coordinator);
    const leaseStates = () => {
      const db = new Database(join(dataDir, 'passk.sqlite'), { readonly: true });
      try {
        return db.prepare(`SELECT l.worker_id AS worker, l.state AS state, COUNT(*) AS n FROM leases l GROUP BY 1, 2`).all() as { worker: string; state: string; n: number }[];
      } finally {
        db.close();
      }
    };
    const holding = async (name: string) => {
      for (let i = 0; i < 600; i++) {
        const rows = await client.request('workers:list', {});
        const row = rows.ok ? rows.value.find((w) => w.name === name) : undefined;
        if (row && row.leases.some((l) => l.kind === 'sample')) return row.id;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`${name} never held a sample lease`);
    };
    try {
      const created = await client.request('run:create', { spec: { ...SPEC, sampling: { ...SPEC.sampling, n: 256 }, shardSize: 128 } });
      expect(created.ok).toBe(true);
      const once = startWorker(coordinator, 'once');
      const onceId = await holding('once');
      // In hand: the worker's own status line shows it sampling.
      while (!/once: sample /.test(once.log())) await new Promise((r) => setTimeout(r, 25));
      once.child.kill('SIGINT');
      await once.exited;
      expect(once.child.exitCode, once.log()).toBe(0);
      expect(once.log()).toContain('finishing the shards in hand');
      expect(leaseStates().filter((r) => r.worker === onceId).map((r) => r.state)).not.toContain('expired');
      expect(leaseStates().find((r) => r.worker === onceId && r.state === 'done'), JSON.stringify(leaseStates()) + once.log()).toBeDefined();

      const twice = startWorker(coordinator, 'twice');
      const twiceId = await holding('twice');
      while (!/twice: sample /.test(twice.log())) await new Promise((r) => setTimeout(r, 25));
      twice.child.kill('SIGINT');
      // Signals do not queue: the second must come after the first was taken.
      while (!twice.log().includes('finishing the shards in hand')) await new Promise((r) => setTimeout(r, 10));
      twice.child.kill('SIGINT');
      await twice.exited;
      expect(twice.log()).toContain('handing the shards back');
      expect(leaseStates().find((r) => r.worker === twiceId && r.state === 'released')).toBeDefined();
      if (created.ok) await client.request('run:control', { runId: created.value.id, action: 'cancel' });

      const worker = startWorker(coordinator, 'lab');
      try {
        const submitted = passkRunJson([...FLAGS, '--coordinator', coordinator.url, '--token', coordinator.uiToken]);
        expect(submitted.status, submitted.stderr).toBe(0);
        expect(submitted.stderr).toContain(`submitted to ${coordinator.url}`);
        expect(submitted.json!.samplesDigest).toBe(referenceDigest());
        const wrong = passkRunJson([...FLAGS, '--coordinator', coordinator.url, '--token', 'pku_wrong']);
        expect(wrong.status).toBe(2);
        expect(wrong.stderr).toContain('wrong UI token');
      } finally {
        await worker.kill('SIGTERM');
      }
    } finally {
      client.close();
      await coordinator.kill('SIGTERM');
    }
  }, 240_000);
});
