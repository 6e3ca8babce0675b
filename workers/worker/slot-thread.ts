import { parentPort, workerData } from 'node:worker_threads';
import type { ModelRef } from '../../src/core/protocol/worker-protocol.ts';
import type { Result } from '../../src/core/result.ts';
import { createCodePool, type CodePool } from '../verify/code/index.ts';
import { SlotEngine } from './run-lease.ts';
import { runLease } from './shard-kinds/index.ts';
import type { FromSlot, SlotInit, SlotRequest, ToSlot } from './slot-messages.ts';

// One slot: runs the leases its worker hands it, one at a time, on its own engine.
const port = parentPort!;
const init = workerData as SlotInit;
const post = (message: FromSlot) => port.postMessage(message);

let nextId = 1;
const waiting = new Map<number, (result: never) => void>();
const ask = <T>(message: SlotRequest): Promise<T> => new Promise((resolve) => {
  const id = nextId++;
  waiting.set(id, resolve as (result: never) => void);
  post({ ...message, id });
});

const engine = new SlotEngine((model: ModelRef) => ask<Result<string>>({ type: 'ensure', model }), init.ep, init.threads);
let pool: CodePool | null | undefined;
const codePool = (): CodePool | null => {
  if (pool === undefined) {
    try {
      pool = createCodePool({ sandbox: 'bwrap' });
    } catch {
      pool = null;
    }
  }
  return pool;
};
const cancelled = new Set<number>();
let current: { leaseId: number; done: Promise<void> } | null = null;

/** Ends cleanly: an onnxruntime run cannot be interrupted, so the thread may be ended only once none runs and its sessions are released. */
async function stop(): Promise<void> {
  if (current) {
    cancelled.add(current.leaseId);
    await current.done;
  }
  await engine.release();
  await pool?.close();
  post({ type: 'stopped' });
}

port.on('message', (message: ToSlot) => {
  if (message.type === 'sent' || message.type === 'model') {
    waiting.get(message.id)?.(message.result as never);
    waiting.delete(message.id);
  } else if (message.type === 'cancel') {
    cancelled.add(message.leaseId);
  } else if (message.type === 'stop') {
    void stop();
  } else {
    const { lease } = message;
    let tokens = 0;
    const flushTokens = setInterval(() => { if (tokens > 0) { post({ type: 'tokens', count: tokens }); tokens = 0; } }, 500);
    const done = runLease(lease, {
      send: (name, payload) => ask({ type: 'send', name, payload }),
      cancelled: () => cancelled.has(lease.leaseId),
      progress: (done) => post({ type: 'progress', leaseId: lease.leaseId, done }),
      onTokens: (count) => { tokens += count; },
    }, { engine, codePool, batch: init.batch })
      .catch((error: unknown) => ({ ok: false as const, error: (error as Error).stack ?? String(error) }))
      .then((result) => {
        clearInterval(flushTokens);
        if (tokens > 0) post({ type: 'tokens', count: tokens });
        cancelled.delete(lease.leaseId);
        post({ type: 'loaded', sha256: engine.loaded() });
        post({ type: 'finished', leaseId: lease.leaseId, result });
        if (current?.leaseId === lease.leaseId) current = null;
      });
    current = { leaseId: lease.leaseId, done };
  }
});
