import { describe, expect, it } from 'vitest';
import type { Capabilities, Lease, ServerInfo } from '../../core/protocol/worker-protocol.ts';
import { runModel, storeWithRun } from '../../../test/support/store-fixtures.ts';
import { workerHandlers } from '../server/worker-handlers.ts';
import { listSampleSources } from '../store/sample-sources.ts';
import { enqueueShards } from '../store/shards.ts';
import { setRunStatus } from '../store/runs.ts';
import { Scheduler, type JoinedWorker } from './scheduler.ts';

// Run r1 with an onnx model `base` and a model `rl` drawn from a server under the name "qwen-rl".
function setup(scoring: { answers: string; under: string }[] = []) {
  const rl = { ...runModel('rl', 'rl', 'b'.repeat(64)), dtype: 'served', served: { model: 'qwen-rl', endpoint: 'completions' as const } };
  const db = storeWithRun({ models: [runModel('base', 'base', 'a'.repeat(64)), rl], spec: { sampling: { n: 4 }, scoring } });
  const scheduler = new Scheduler(db, () => 10_000, { leaseTtlMs: 1000, maxAttempts: 2, speculateAfterMs: 500 });
  enqueueShards(db, ['base', 'rl'].map((modelId) => ({ runId: 'r1', kind: 'sample' as const, modelId, problemId: 'p1', start: 0, end: 4 })), 0);
  setRunStatus(db, 'r1', 'running', 10_000);
  const join = (id: string, server: Partial<ServerInfo> | null) => {
    const capabilities: Capabilities = {
      eps: ['cpu'], gpu: null, cores: 2, memoryMb: 1024, verify: ['math'], sandboxProblem: null, models: [], slots: 2,
      server: server === null ? null : { baseUrl: 'http://127.0.0.1:1/v1', model: 'qwen-rl', entry: {}, scoring: true, scoringProblem: null, concurrency: 8, ...server },
    };
    const hello: JoinedWorker = { id, name: id, host: 'test', version: '0', capabilities };
    scheduler.workerJoined(hello);
    return workerHandlers(scheduler, id);
  };
  return { db, scheduler, join };
}

function ok<T>(answer: { ok: true; value: T } | { ok: false; error: string } | Promise<unknown>): T {
  if (answer instanceof Promise) throw new Error('handler was async');
  if (!answer.ok) throw new Error(answer.error);
  return answer.value;
}

const samples = (lease: Lease) => Array.from({ length: lease.end - lease.start }, (_, k) => ({ index: lease.start + k, text: 't', tokens: 1, finish: 'stop' as const, logprob: -1 }));
const SERVER = { baseUrl: 'http://127.0.0.1:1/v1', model: 'qwen-rl', endpoint: 'completions' as const, fingerprint: null, request: { temperature: 0.6 } };

describe('served models', () => {
  it('go to workers of a server serving them under that name, and only there', () => {
    const { join } = setup();
    const onnx = join('onnx', null);
    const otherServer = join('other', { model: 'llama' });
    const server = join('server', {});
    const a = ok(onnx['lease:request']({ kinds: ['sample'] })).lease!;
    expect(a.kind === 'sample' && a.model.id).toBe('base');
    expect(ok(onnx['lease:request']({ kinds: ['sample'] })).lease).toBeNull();
    expect(ok(otherServer['lease:request']({ kinds: ['sample'] })).lease).toBeNull();
    const b = ok(server['lease:request']({ kinds: ['sample'] })).lease!;
    expect(b.kind === 'sample' && b.model).toMatchObject({ id: 'rl', served: { model: 'qwen-rl', endpoint: 'completions' } });
  });

  it('are stored with their server, and the run says it is not bitwise reproducible; a source that does not fit the model is refused', () => {
    const { db, join } = setup();
    const onnx = join('onnx', null);
    const server = join('server', {});
    const a = ok(onnx['lease:request']({ kinds: ['sample'] })).lease!;
    const b = ok(server['lease:request']({ kinds: ['sample'] })).lease!;
    expect(onnx['results:samples']({ leaseId: a.leaseId, ep: 'server', server: SERVER, samples: samples(a) })).toMatchObject({ ok: false, error: expect.stringMatching(/drawn by the onnx engine/) });
    expect(server['results:samples']({ leaseId: b.leaseId, ep: 'cpu', samples: samples(b) })).toMatchObject({ ok: false, error: expect.stringMatching(/served "qwen-rl"/) });
    expect(ok(onnx['results:samples']({ leaseId: a.leaseId, ep: 'cpu', samples: samples(a) })).stored).toBe(4);
    expect(ok(server['results:samples']({ leaseId: b.leaseId, ep: 'server', server: SERVER, samples: samples(b).slice(0, 3) })).stored).toBe(3);
    // A resend adds no sample, and so no count to its source.
    expect(ok(server['results:samples']({ leaseId: b.leaseId, ep: 'server', server: SERVER, samples: samples(b) })).stored).toBe(1);
    expect(listSampleSources(db, 'r1')).toEqual([
      { modelId: 'base', ep: 'cpu', samples: 4, server: null, workerId: null },
      { modelId: 'rl', ep: 'server', samples: 4, server: SERVER, workerId: 'server' },
    ]);
  });

  it('are scored only by workers whose server returns prompt log-probabilities', () => {
    const { join } = setup([{ answers: 'base', under: 'rl' }]);
    const onnx = join('onnx', null);
    const mute = join('mute', { scoring: false, scoringProblem: 'no echo' });
    const scorer = join('scorer', {});
    const a = ok(onnx['lease:request']({ kinds: ['sample'] })).lease!;
    ok(onnx['results:samples']({ leaseId: a.leaseId, ep: 'cpu', samples: samples(a) }));
    ok(onnx['lease:complete']({ leaseId: a.leaseId, tokens: 4, seconds: 1 }));
    expect(ok(onnx['lease:request']({ kinds: ['score'] })).lease).toBeNull();
    expect(ok(mute['lease:request']({ kinds: ['score'] })).lease).toBeNull();
    const score = ok(scorer['lease:request']({ kinds: ['score'] })).lease!;
    expect(score.kind === 'score' && [score.modelId, score.scorer.id, score.scorer.served?.model]).toEqual(['base', 'rl', 'qwen-rl']);
  });
});
