import type { ModelRef } from '../../src/core/protocol/worker-protocol.ts';
import type { Result } from '../../src/core/result.ts';
import type { EpChoice } from '../engine/execution-provider.ts';
import { openEngine, type Engine } from '../engine/open-engine.ts';
import type { CodePool } from '../verify/code/index.ts';
import type { SendResults } from './lease-runner.ts';


export interface LeaseContext {
  send: SendResults;
  /** The coordinator called the lease back (run paused or cancelled, or a duplicate won): stop sending. */
  cancelled(): boolean;
  progress(done: number): void;
  onTokens(count: number): void;
}

/** One engine per slot: kept while leases stay on its model, replaced (and released) when one comes for another. */
export class SlotEngine {
  private current: { sha256: string; engine: Engine } | null = null;

  constructor(
    /** A local folder with the model's files (ModelCache.ensure, in the worker's main thread). */
    private readonly ensure: (model: ModelRef) => Promise<Result<string>>,
    private readonly ep: EpChoice,
    private readonly threads: number | undefined,
  ) {}

  async get(model: ModelRef): Promise<Result<Engine>> {
    if (this.current?.sha256 === model.sha256) return { ok: true, value: this.current.engine };
    await this.release();
    const folder = await this.ensure(model);
    if (!folder.ok) return folder;
    const opened = await openEngine(folder.value, { ep: this.ep, threads: this.threads, dtype: model.dtype });
    if (!opened.ok) return { ok: false, error: `model ${model.id}: ${opened.error}` };
    this.current = { sha256: model.sha256, engine: opened.value };
    return opened;
  }

  /** The sha256 of the model loaded, which lease requests name so this slot keeps to it. */
  loaded(): string | null {
    return this.current?.sha256 ?? null;
  }

  async release(): Promise<void> {
    const current = this.current;
    this.current = null;
    if (current) await current.engine.release();
  }
}

export interface Runners {
  engine: SlotEngine;
  /** The code sandbox pool, made on first use; null where this worker has no sandbox. */
  codePool: () => CodePool | null;
  batch: number;
}
