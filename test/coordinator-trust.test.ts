// Issue 24, the trust half: workers are identities the coordinator gives, math verdicts are
// the coordinator's own, a forging worker is quarantined and its work done again elsewhere.
// Loopback only; an in-process coordinator, hostile sockets, and a real worker process.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectUi, type UiClient } from '../cli/ui-client.ts';
import { startCoordinator, type Coordinator } from '../src/coordinator/coordinator.ts';
import { addModel } from '../src/coordinator/store/models.ts';
import { addProblems } from '../src/coordinator/store/problems.ts';
import { listQuarantines } from '../src/coordinator/store/quarantines.ts';
import { createRun as storeRun, setRunStatus } from '../src/coordinator/store/runs.ts';
import { recordSamples } from '../src/coordinator/store/samples.ts';
import { enqueueShards } from '../src/coordinator/store/shards.ts';
import { listRunEvents } from '../src/coordinator/store/run-events.ts';
import { countVerdicts, samplesDigest } from '../src/coordinator/store/samples.ts';
import { sendRequest } from '../src/core/protocol/request-client.ts';
import { workerRequests } from '../src/core/protocol/worker-protocol.ts';
import { bundledModelDir } from '../src/node/resources.ts';
import { bwrapWorks } from '../workers/verify/code/index.ts';
import { forgeResults, joinRawWorker, type RawWorker } from './support/hostile-clients.ts';
import { startWorker, tempDir, waitForRun } from './support/lab.ts';
import { newRun, runModel } from './support/store-fixtures.ts';

const sandbox = bwrapWorks();
if (!sandbox) console.warn('skipping the probe run by a real worker in its sandbox: bubblewrap or /usr/bin/python3 is missing (apt-get install bubblewrap python3)');

const SPEC = {
  benchmark: { bundled: 'chain-arithmetic' }, limit: 2,
  models: [{ folder: bundledModelDir('base'), role: 'base' }], sampling: { n: 4, maxNewTokens: 32 },
};

function joined(outcome: RawWorker | { refusal: unknown }): RawWorker {
  if (!('socket' in outcome)) throw new Error(`refused: ${JSON.stringify(outcome.refusal)}`);
  return outcome;
}

let cheaterOfCodeRun = '';

describe('a lab that trusts no claim', () => {
  let coordinator: Coordinator;
  let ui: UiClient;
  const dataDir = tempDir('trust');
  const sockets: RawWorker[] = [];
  beforeAll(async () => {
    coordinator = await startCoordinator({ dataDir, port: 0, version: 'test', log: () => undefined, scheduler: { leaseTtlMs: 5000 } });
    ui = await connectUi(coordinator.url, coordinator.tokens.ui);
  });
  afterAll(async () => {
    for (const s of sockets) s.socket.close();
    ui?.close();
    await coordinator?.close();
  });
  const join = async (options: Parameters<typeof joinRawWorker>[2] = {}) => {
    const worker = joined(await joinRawWorker(coordinator.workerUrl, coordinator.tokens.worker, options));
    sockets.push(worker);
    return worker;
  };
  const createRun = async () => {
    const created = await ui.request('run:create', { spec: SPEC });
    if (!created.ok) throw new Error(created.error);
    return created.value;
  };

  it('gives each worker its identity; a socket presenting another worker\'s id cannot join as it, nor end, store for or release its lease', async () => {
    const honest = await join({ name: 'honest' });
    const { id, secret } = await honest.identity;
    expect(id).toMatch(/^honest-[0-9a-f]{8}$/);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const refused = await joinRawWorker(coordinator.workerUrl, coordinator.tokens.worker, { name: 'honest', identity: { id, secret: 'not-the-secret-of-that-worker' } });
    expect(refused).toMatchObject({ refusal: { code: 'bad-identity', message: expect.stringContaining(`worker id ${id} belongs to another worker`) } });
    // The real worker is still there, not shown as gone.
    expect(coordinator.scheduler.workers.get(id)?.connected).toBe(true);

    const run = await createRun();
    const asked = await sendRequest(honest.socket, workerRequests, 'lease:request', { kinds: ['sample'] }, 10_000);
    if (!asked.ok || asked.value.lease === null) throw new Error(`no lease: ${JSON.stringify(asked)}`);
    const lease = asked.value.lease;
    // A second socket with the same name is another worker, with another id: nothing of the lease is its to touch.
    const spoof = await join({ name: 'honest' });
    expect((await spoof.identity).id).not.toBe(id);
    const theirs = `lease ${lease.leaseId} belongs to another worker`;
    const samples = [{ index: lease.start, text: 'no answer here', tokens: 3, finish: 'stop' as const, logprob: -1 }];
    expect(await sendRequest(spoof.socket, workerRequests, 'results:samples', { leaseId: lease.leaseId, ep: 'cpu', samples }, 10_000)).toMatchObject({ ok: false, error: theirs });
    expect(await sendRequest(spoof.socket, workerRequests, 'lease:complete', { leaseId: lease.leaseId, tokens: 1, seconds: 1 }, 10_000)).toMatchObject({ ok: false, error: theirs });
    expect(await sendRequest(spoof.socket, workerRequests, 'lease:fail', { leaseId: lease.leaseId, error: 'x' }, 10_000)).toMatchObject({ ok: false, error: theirs });
    expect(await sendRequest(spoof.socket, workerRequests, 'lease:release', { leaseId: lease.leaseId }, 10_000)).toMatchObject({ ok: false, error: theirs });
    expect(coordinator.db.prepare(`SELECT state, worker_id AS worker FROM leases WHERE id = ?`).get(lease.leaseId)).toEqual({ state: 'active', worker: id });

    // The worker itself reconnects with its identity within the lease's time and carries on with it.
    honest.socket.close();
    const back = await join({ name: 'honest', identity: { id, secret } });
    const all = Array.from({ length: lease.end - lease.start }, (_, k) => ({ index: lease.start + k, text: `sample ${k}`, tokens: 3, finish: 'stop' as const, logprob: -1 }));
    expect(await sendRequest(back.socket, workerRequests, 'results:samples', { leaseId: lease.leaseId, ep: 'cpu', samples: all }, 10_000)).toMatchObject({ ok: true });
    expect(await sendRequest(back.socket, workerRequests, 'lease:complete', { leaseId: lease.leaseId, tokens: 3, seconds: 1 }, 10_000)).toEqual({ ok: true, value: { missing: 0 } });
    expect(coordinator.db.prepare(`SELECT COUNT(*) AS n, MIN(worker_id) AS worker, MIN(lease_id) AS lease FROM samples WHERE run_id = ?`).get(run.id))
      .toEqual({ n: lease.end - lease.start, worker: id, lease: lease.leaseId });
    await ui.request('run:control', { runId: run.id, action: 'cancel' });
  }, 60_000);

  it('a join-token holder that forges texts and verdicts changes no pass@k: it is quarantined, its work done again, and the run says who and why', async () => {
    const forged = await createRun();
    const forger = await join({ name: 'forger' });
    const forgerId = (await forger.identity).id;
    const first = await forgeResults(forger.socket, 3);
    expect(first.leased.length).toBeGreaterThan(0);
    expect(first.answers[0]).toMatchObject({ ok: false, error: expect.stringContaining(`this worker is quarantined in run ${forged.name}`) });
    // No more leases of that run for it, and nothing of it is kept.
    expect((await forgeResults(forger.socket, 1)).leased).toEqual([]);
    expect(coordinator.db.prepare(`SELECT COUNT(*) AS n FROM samples WHERE run_id = ?`).get(forged.id)).toEqual({ n: 0 });

    const worker = startWorker({ workerUrl: coordinator.workerUrl, workerToken: coordinator.tokens.worker }, 'honest-process');
    try {
      expect(await waitForRun(ui, forged.id, 150_000)).toMatchObject({ status: 'done' });
      const reference = await createRun();
      expect(await waitForRun(ui, reference.id, 150_000)).toMatchObject({ status: 'done' });
      // Same seed, same spec: the same samples and verdicts as a run the forger never touched, so the same pass@k.
      expect(countVerdicts(coordinator.db, forged.id)).toEqual(countVerdicts(coordinator.db, reference.id));
      expect(samplesDigest(coordinator.db, forged.id)).toEqual(samplesDigest(coordinator.db, reference.id));
      expect(coordinator.db.prepare(`SELECT COUNT(*) AS n FROM samples WHERE run_id = ? AND worker_id = ?`).get(forged.id, forgerId)).toEqual({ n: 0 });
    } finally {
      await worker.kill('SIGTERM');
    }
    expect(listQuarantines(coordinator.db, forged.id)).toEqual([expect.objectContaining({ workerId: forgerId, reason: expect.stringMatching(/verdicts? of lease \d+ .* disagreed with the coordinator's \(sample \d+: the worker said correct, the coordinator found it wrong\)/) })]);
    expect(listRunEvents(coordinator.db, forged.id, ['disagreement', 'quarantine']).map((e) => [e.kind, e.workerId])).toEqual([['disagreement', forgerId], ['quarantine', forgerId]]);
    // And `passk runs show` says it, reading the data directory.
    const shown = spawnSync(process.execPath, ['bin/passk.js', 'runs', 'show', forged.name, '--data-dir', dataDir], { encoding: 'utf8', timeout: 60_000 });
    expect(shown.stdout).toContain(`quarantined: forger (${forgerId}): `);
    expect(shown.stdout).toMatch(/disagreed with the coordinator's/);
  }, 400_000);

  it('gives code verify shards only to workers whose sandbox passed a probe: a client that judges everything correct gets none', async () => {
    const { db } = coordinator;
    const runId = 'code-run';
    const now = Date.now();
    storeRun(db, newRun(runId, { verifier: 'code', n: 2 }), now);
    addModel(db, runId, runModel('base', 'base', 'a'.repeat(64)));
    addProblems(db, runId, [{ id: 'add', benchmark: 'mbpp', text: 'Write add(a, b).', gold: { test_list: ['assert add(1, 2) == 3'] }, level: null, subject: null }]);
    recordSamples(db, ['def add(a, b):\n    return a + b\n', 'raise SystemExit(1)\n'].map((text, sampleIndex) => ({
      runId, modelId: 'base', problemId: 'add', sampleIndex, text, tokens: 5, finish: 'stop' as const, logprob: -1, workerId: null,
    })), now);
    enqueueShards(db, [{ runId, kind: 'verify', modelId: 'base', problemId: 'add', start: 0, end: 2 }], now);
    setRunStatus(db, runId, 'running', now);

    const cheater = await join({ name: 'no-sandbox', capabilities: { verify: ['math', 'code'] } });
    const cheaterId = (await cheater.identity).id;
    const probe = await sendRequest(cheater.socket, workerRequests, 'lease:request', { kinds: ['verify'] }, 10_000);
    if (!probe.ok || probe.value.lease?.kind !== 'verify') throw new Error(`no probe: ${JSON.stringify(probe)}`);
    const lease = probe.value.lease;
    // It looks like any code verify lease of the run, but no shard of the run is behind it.
    expect(lease).toMatchObject({ runId, verifier: 'code', start: 0, end: 2 });
    expect(lease.leaseId).toBeGreaterThan(2 ** 52);
    expect(await sendRequest(cheater.socket, workerRequests, 'results:verdicts', { leaseId: lease.leaseId, verdicts: lease.samples.map((s) => ({ index: s.index, correct: true, extracted: null, reason: 'ran fine' })) }, 10_000))
      .toMatchObject({ ok: true });
    expect(await sendRequest(cheater.socket, workerRequests, 'lease:complete', { leaseId: lease.leaseId, tokens: 0, seconds: 0.1 }, 10_000)).toEqual({ ok: true, value: { missing: 2 } });
    expect(await sendRequest(cheater.socket, workerRequests, 'lease:request', { kinds: ['verify'] }, 10_000)).toMatchObject({ ok: true, value: { lease: null } });
    expect(db.prepare(`SELECT state FROM shards WHERE run_id = ?`).all(runId)).toEqual([{ state: 'queued' }]);
    expect(listRunEvents(db, runId, ['probe-failed'])).toEqual([expect.objectContaining({ workerId: cheaterId, detail: expect.stringContaining('judged the probe\'s wrong completion (a program that must fail) correct') })]);
    cheaterOfCodeRun = cheaterId;
  }, 180_000);

  // The run the test above left queued, with the client that failed its probe still connected.
  it.skipIf(!sandbox)('a real worker runs the probe in its sandbox like any verify lease, passes, and then verifies the run', async () => {
    const { db } = coordinator;
    const runId = 'code-run';
    const cheaterId = cheaterOfCodeRun;
    expect(cheaterId).not.toBe('');
    const worker = startWorker({ workerUrl: coordinator.workerUrl, workerToken: coordinator.tokens.worker }, 'sandboxed');
    try {
      expect(await waitForRun(ui, runId, 120_000)).toMatchObject({ status: 'done' });
    } finally {
      await worker.kill('SIGTERM');
    }
    expect(db.prepare(`SELECT sample_index AS i, correct, judge, worker_id = ? AS cheater, lease_id IS NOT NULL AS leased FROM verdicts WHERE run_id = ? ORDER BY 1`).all(cheaterId, runId))
      .toEqual([{ i: 0, correct: 1, judge: 'worker', cheater: 0, leased: 1 }, { i: 1, correct: 0, judge: 'worker', cheater: 0, leased: 1 }]);
    expect(listRunEvents(db, runId, ['probe-failed'])).toHaveLength(1);
  }, 180_000);
});
