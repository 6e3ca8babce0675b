import type { Worker as Thread } from 'node:worker_threads';
import type { Lease } from '../../src/core/protocol/worker-protocol.ts';
import type { Result } from '../../src/core/result.ts';
import { startThread } from '../../src/node/start-thread.ts';
import type { LeaseRunner, RunnerHost } from './lease-runner.ts';
import type { FromSlot, SlotInit, ToSlot } from './slot-messages.ts';


/**
 * A slot thread as the worker's main thread sees it. The thread is started again after it
 * dies (an out-of-memory in onnxruntime, say); the lease it held ends with the reason.
 */
const STOP_GRACE_MS = 30_000;

export class Slot implements LeaseRunner {
  private thread: Thread | null = null;
  private loadedModel: string | null = null;
  private current: { leaseId: number; progress: (done: number) => void; finish: (result: Result<{ tokens: number }>) => void } | null = null;

  constructor(private readonly init: SlotInit, private readonly host: RunnerHost) {}

  /** The model its engine holds, which lease requests name so shards of it come here. */
  loaded(): string | null {
    return this.loadedModel;
  }

  run(lease: Lease, progress: (done: number) => void): Promise<Result<{ tokens: number }>> {
    const thread = this.start();
    return new Promise((finish) => {
      this.current = { leaseId: lease.leaseId, progress, finish };
      this.post(thread, { type: 'lease', lease });
    });
  }

  cancel(leaseId: number): void {
    if (this.thread && this.current?.leaseId === leaseId) this.post(this.thread, { type: 'cancel', leaseId });
  }

  /**
   * Ending a thread while onnxruntime runs in it, or while it holds sessions, can abort the
   * whole process (`terminate called after throwing an instance of 'Napi::Error'`: the
   * addon's callback meets a dying environment). So the thread is asked to stop first: it
   * abandons its lease between decode steps, releases its sessions and answers `stopped`;
   * only a thread that does not answer within STOP_GRACE_MS is ended regardless.
   */
  terminate(): Promise<void> {
    this.stopping ??= this.stop();
    return this.stopping;
  }

  private stopping: Promise<void> | null = null;

  private async stop(): Promise<void> {
    const thread = this.thread;
    this.thread = null;
    if (!thread) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, STOP_GRACE_MS);
      const done = () => { clearTimeout(timer); resolve(); };
      thread.on('message', (message: FromSlot) => { if (message.type === 'stopped') done(); });
      thread.once('exit', done);
      this.post(thread, { type: 'stop' });
    });
    await thread.terminate();
  }

  private post(thread: Thread, message: ToSlot): void {
    thread.postMessage(message);
  }

  private start(): Thread {
    if (this.thread) return this.thread;
    const thread = startThread(import.meta.url, 'slot-thread', 'slot-thread', this.init);
    this.thread = thread;
    thread.on('message', (message: FromSlot) => void this.receive(thread, message));
    const died = (why: string) => {
      if (this.thread === thread) this.thread = null;
      this.loadedModel = null;
      const current = this.current;
      this.current = null;
      current?.finish({ ok: false, error: `the slot's thread died: ${why}` });
    };
    thread.on('error', (error) => died(error.stack ?? error.message));
    thread.on('exit', (code) => died(`exit code ${code}`));
    return thread;
  }

  private async receive(thread: Thread, message: FromSlot): Promise<void> {
    switch (message.type) {
      case 'send':
        this.post(thread, { type: 'sent', id: message.id, result: await this.host.send(message.name, message.payload) });
        break;
      case 'ensure':
        this.post(thread, { type: 'model', id: message.id, result: await this.host.ensure(message.model) });
        break;
      case 'progress':
        if (this.current?.leaseId === message.leaseId) this.current.progress(message.done);
        break;
      case 'tokens':
        this.host.onTokens(message.count);
        break;
      case 'loaded':
        this.loadedModel = message.sha256;
        break;
      case 'finished': {
        const current = this.current;
        this.current = null;
        if (current?.leaseId === message.leaseId) current.finish(message.result);
        break;
      }
    }
  }
}
