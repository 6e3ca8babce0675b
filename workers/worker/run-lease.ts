import type { Lease, ModelRef, SampleLease, ScoreLease, VerifyLease } from '../../src/core/protocol/worker-protocol.ts';
import type { Result } from '../../src/core/result.ts';
import { judgeMath } from '../../src/core/verify/math/index.ts';
import { toCodeTask } from '../../src/core/verify/code/code-task.ts';
import type { EpChoice } from '../engine/execution-provider.ts';
import { openEngine, type Engine } from '../engine/open-engine.ts';
import { runSampleJob } from '../engine/sample-job.ts';
import type { CodePool } from '../verify/code/index.ts';
import { Batcher } from './result-batcher.ts';

/** How a lease's results reach the coordinator: each batch resent until acknowledged, or refused with a reason. */
export type SendResults = (
  name: 'results:samples' | 'results:verdicts' | 'results:scores', payload: Record<string, unknown>,
) => Promise<Result<{ stored: number }>>;

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

/** Runs one lease to its end; returns the tokens drawn, or why it could not. */
export async function runLease(lease: Lease, context: LeaseContext, runners: Runners): Promise<Result<{ tokens: number }>> {
  if (lease.kind === 'sample') return runSampleLease(lease, context, runners);
  if (lease.kind === 'verify') return runVerifyLease(lease, context, runners);
  return runScoreLease(lease, context, runners);
}

async function runSampleLease(lease: SampleLease, context: LeaseContext, runners: Runners): Promise<Result<{ tokens: number }>> {
  const opened = await runners.engine.get(lease.model);
  if (!opened.ok) return opened;
  const engine = opened.value;
  if (lease.prompt.format === 'chat' && engine.codec.chatTemplateProblem !== undefined) return { ok: false, error: `model ${lease.model.id}: ${engine.codec.chatTemplateProblem}` };
  const ep = engine.decoder.ep;
  let tokens = 0;
  let done = 0;
  type Verdict = { correct: boolean; extracted: string | null; reason: string; fallback?: boolean };
  const batcher = new Batcher<{ index: number; text: string; tokens: number; finish: 'stop' | 'length'; logprob: number; verdict?: Verdict }>(
    (samples) => context.send('results:samples', { leaseId: lease.leaseId, ep, samples }),
  );
  // Math is judged here as each sample is drawn (this slot's thread), and its verdict rides with it.
  const judge = lease.inlineVerify;
  const verdictOf = (text: string): Verdict | undefined => {
    if (judge === null) return undefined;
    const v = judgeMath(judge.gold, text, judge.mathOptions, lease.problem.text);
    return { correct: v.correct, extracted: clip(v.extracted), reason: clip(v.reason) ?? '', ...(v.fallback ? { fallback: true } : {}) };
  };
  try {
    await runSampleJob(engine, {
      seed: lease.seed, modelId: lease.model.id, problemId: lease.problem.id, problem: lease.problem.text,
      promptFormat: lease.prompt.format, template: lease.prompt.template ?? undefined,
      start: lease.start, end: lease.end, settings: lease.settings, stop: lease.settings.stop,
      batch: Math.min(runners.batch, lease.end - lease.start),
    }, {
      onTokens: (count) => {
        tokens += count;
        context.onTokens(count);
        // A lease called back (or a worker stopping) is left between two decode steps, not run to its end.
        if (context.cancelled()) throw new LeaseAbandoned(lease.leaseId);
      },
      onSample: (sample) => {
        context.progress(++done);
        if (context.cancelled()) return;
        const verdict = verdictOf(sample.text);
        batcher.add({ index: sample.index, text: sample.text, tokens: sample.tokenIds.length, finish: sample.finish, logprob: sample.logprob, ...(verdict ? { verdict } : {}) });
      },
    });
  } catch (error) {
    if (error instanceof LeaseAbandoned) return { ok: false, error: error.message };
    throw error;
  }
  const sent = await batcher.finish();
  return sent.ok ? { ok: true, value: { tokens } } : sent;
}

async function runVerifyLease(lease: VerifyLease, context: LeaseContext, runners: Runners): Promise<Result<{ tokens: number }>> {
  if (lease.samples.length !== lease.end - lease.start) {
    return { ok: false, error: `verify lease ${lease.leaseId}: ${lease.end - lease.start - lease.samples.length} of its samples are not stored` };
  }
  const batcher = new Batcher<{ index: number; correct: boolean; extracted: string | null; reason: string; fallback?: boolean }>(
    (verdicts) => context.send('results:verdicts', { leaseId: lease.leaseId, verdicts }),
  );
  if (lease.verifier === 'math') {
    if (lease.gold === null) return { ok: false, error: `problem ${lease.problem.id} has no gold answer` };
    for (const [i, sample] of lease.samples.entries()) {
      if (context.cancelled()) break;
      const v = judgeMath(lease.gold, sample.text, lease.mathOptions ?? undefined, lease.problem.text);
      batcher.add({ index: sample.index, correct: v.correct, extracted: clip(v.extracted), reason: clip(v.reason) ?? '', ...(v.fallback ? { fallback: true } : {}) });
      context.progress(i + 1);
    }
  } else {
    const pool = runners.codePool();
    if (pool === null) return { ok: false, error: 'this worker has no working code sandbox (bubblewrap)' };
    const task = toCodeTask(lease.task);
    if (!task.ok) return { ok: false, error: `problem ${lease.problem.id}: ${task.error}` };
    let finished = 0;
    await Promise.all(lease.samples.map(async (sample) => {
      const v = await pool.verify(task.value, sample.text);
      if (context.cancelled()) return;
      batcher.add({ index: sample.index, correct: v.correct, extracted: clip(v.extracted), reason: clip(v.reason) ?? '' });
      context.progress(++finished);
    }));
  }
  const sent = await batcher.finish();
  return sent.ok ? { ok: true, value: { tokens: 0 } } : sent;
}

async function runScoreLease(lease: ScoreLease, context: LeaseContext, runners: Runners): Promise<Result<{ tokens: number }>> {
  const opened = await runners.engine.get(lease.scorer);
  if (!opened.ok) return opened;
  const { codec, scorer } = opened.value;
  if (lease.prompt.format === 'chat' && codec.chatTemplateProblem !== undefined) return { ok: false, error: `model ${lease.scorer.id}: ${codec.chatTemplateProblem}` };
  const promptIds = codec.encode(codec.formatPrompt(lease.problem.text, lease.prompt.format, lease.prompt.template ?? undefined));
  const batcher = new Batcher<{ index: number; tokens: number; logprob: number }>(
    (scores) => context.send('results:scores', { leaseId: lease.leaseId, scores }),
  );
  let tokens = 0;
  for (const [i, sample] of lease.samples.entries()) {
    if (context.cancelled()) break;
    const ids = codec.encode(sample.text);
    const score = ids.length === 0 ? { logprob: 0 } : await scorer.score(promptIds, ids);
    tokens += ids.length;
    batcher.add({ index: sample.index, tokens: ids.length, logprob: score.logprob });
    context.progress(i + 1);
  }
  const sent = await batcher.finish();
  return sent.ok ? { ok: true, value: { tokens } } : sent;
}

class LeaseAbandoned extends Error {
  constructor(leaseId: number) {
    super(`lease ${leaseId} was called back; its sampling stopped`);
  }
}

/** Verdict texts are bounded on the wire (and a program's output can be anything). */
function clip(text: string | null): string | null {
  return text === null ? null : text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}
