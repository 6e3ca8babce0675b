import type { Worker as Thread } from 'node:worker_threads';
import type { Result } from '../../src/core/result.ts';
import { startThread } from '../../src/node/start-thread.ts';
import type { GenerationParams } from '../engine/sample-request.ts';
import { CohortQueue, cohortKey } from './cohort-queue.ts';
import type { EngineInit, FromEngine, ToEngine } from './serve-messages.ts';
import type { Finish } from '../../src/core/sampling/generation-settings.ts';

/** One choice of one request, waiting for the engine. */
export interface RowRequest {
  key: bigint;
  /** Set for streaming responses: the ids of new tokens, as they come. */
  onTokens?: (ids: number[]) => void;
  done(result: Result<RowResult>): void;
  /** The client went away: drop the row if it has not started. */
  gone?: () => boolean;
}

export interface RowResult {
  ids: number[];
  logprobs: number[];
  /** Decoded, cut before a stop string (the engine's rule). */
  text: string;
  finish: Finish;
}

interface Group {
  promptIds: number[];
  params: GenerationParams;
  row: RowRequest;
}

type ScoreJob = { ids: number[]; top: number; done(result: Result<{ logprobs: number[]; top: { id: number; logprob: number }[][] | null }>): void };

/**
 * An idle engine waits until no request has come for QUIET_MS (at most GATHER_MS in all), so
 * a client's burst of n = 1 requests, which arrives over some milliseconds, becomes one
 * cohort. A few milliseconds against cohorts that decode for tenths of seconds.
 */
const QUIET_MS = 2;
const GATHER_MS = 25;

/**
 * One model's engine as the HTTP side sees it: rows queue by prompt and settings
 * (CohortQueue) and run as one cohort per group; scoring jobs (echo) take turns with them.
 * The engine runs one job at a time in its own thread.
 */
export class ServeEngine {
  private readonly cohorts = new CohortQueue<Group>();
  private readonly scores: ScoreJob[] = [];
  private running: { job: number; rows: RowRequest[]; answered: Set<number> } | { job: number; score: ScoreJob } | null = null;
  private nextJob = 1;
  private lastWasScore = false;
  private gathering: NodeJS.Timeout | null = null;
  private closed = false;
  /** Cohorts run and the rows they held (a burst of n = 1 requests batched shows as fewer cohorts than rows), and scoring jobs. */
  readonly stats = { cohorts: 0, rows: 0, scores: 0 };

  private constructor(private readonly thread: Thread, readonly ep: string, readonly decode: string, private readonly batch: number) {
    thread.on('message', (message: FromEngine) => this.receive(message));
    thread.on('error', (error) => this.fail(`the engine thread died: ${error.message}`));
    thread.on('exit', (code) => { if (!this.closed) this.fail(`the engine thread exited (${code})`); });
  }

  static open(init: EngineInit, batch: number): Promise<Result<ServeEngine>> {
    const thread = startThread(import.meta.url, 'engine-thread', 'serve-thread', init);
    return new Promise((resolve) => {
      const first = (message: FromEngine) => {
        thread.off('message', first);
        if (message.type === 'ready') resolve({ ok: true, value: new ServeEngine(thread, message.ep, message.decode, batch) });
        else {
          void thread.terminate();
          resolve({ ok: false, error: message.type === 'failed' ? message.error : `unexpected ${message.type} from the engine thread` });
        }
      };
      thread.on('message', first);
      thread.once('error', (error) => resolve({ ok: false, error: error.message }));
    });
  }

  generate(promptIds: number[], params: GenerationParams, rows: readonly RowRequest[]): void {
    this.cohorts.add(cohortKey(promptIds, params), rows.map((row) => ({ promptIds, params, row })));
    this.schedule();
  }

  score(ids: number[], top: number): Promise<Result<{ logprobs: number[]; top: { id: number; logprob: number }[][] | null }>> {
    return new Promise((done) => {
      this.scores.push({ ids, top, done });
      this.schedule();
    });
  }

  /** Rows waiting (not yet in the engine). */
  get waiting(): number {
    return this.cohorts.rows + this.scores.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.fail('the server is stopping');
    await this.thread.terminate();
  }

  private gatherStarted = 0;

  private schedule(): void {
    if (this.running !== null || this.closed) return;
    const now = performance.now();
    if (this.gathering === null) this.gatherStarted = now;
    else clearTimeout(this.gathering);
    const wait = Math.max(0, Math.min(QUIET_MS, this.gatherStarted + GATHER_MS - now));
    this.gathering = setTimeout(() => { this.gathering = null; this.dispatch(); }, wait);
  }

  private dispatch(): void {
    if (this.running !== null || this.closed) return;
    this.cohorts.remove((g) => g.row.gone?.() === true);
    const job = this.nextJob++;
    // Scores and cohorts take turns, so neither kind waits behind a stream of the other.
    if (this.scores.length > 0 && (this.lastWasScore === false || this.cohorts.rows === 0)) {
      const score = this.scores.shift()!;
      this.running = { job, score };
      this.lastWasScore = true;
      this.stats.scores++;
      this.post({ type: 'score', job, ids: score.ids, top: score.top });
      return;
    }
    const group = this.cohorts.take();
    if (group === null) return;
    const { promptIds, params } = group.rows[0];
    const rows = group.rows.map((g) => g.row);
    this.running = { job, rows, answered: new Set() };
    this.lastWasScore = false;
    this.stats.cohorts++;
    this.stats.rows += rows.length;
    this.post({ type: 'generate', job, promptIds, params, keys: rows.map((r) => r.key), stream: rows.map((r) => r.onTokens !== undefined), batch: this.batch });
  }

  private post(message: ToEngine): void {
    this.thread.postMessage(message);
  }

  private receive(message: FromEngine): void {
    const running = this.running;
    if (running === null || !('job' in message) || message.job !== running.job) return;
    if (message.type === 'tokens' && 'rows' in running) {
      for (const [row, ids] of message.rows) running.rows[row]?.onTokens?.(ids);
    } else if (message.type === 'row' && 'rows' in running) {
      running.answered.add(message.row);
      running.rows[message.row]?.done({ ok: true, value: { ids: message.ids, logprobs: message.logprobs, text: message.text, finish: message.finish } });
    } else if (message.type === 'scored' && 'score' in running) {
      running.score.done({ ok: true, value: { logprobs: message.logprobs, top: message.top } });
    } else if (message.type === 'done') {
      this.running = null;
      // Every row is answered once: the ones without a sample learn why the job ended.
      const error = message.error ?? 'the engine ended the job without a result';
      if ('rows' in running) running.rows.forEach((row, i) => { if (!running.answered.has(i)) row.done({ ok: false, error }); });
      else if (message.error !== null) running.score.done({ ok: false, error });
      this.schedule();
    }
  }

  private fail(error: string): void {
    const running = this.running;
    this.running = null;
    if (running && 'rows' in running) running.rows.forEach((row, i) => { if (!running.answered.has(i)) row.done({ ok: false, error }); });
    else if (running) running.score.done({ ok: false, error });
    for (let group = this.cohorts.take(); group !== null; group = this.cohorts.take()) for (const g of group.rows) g.row.done({ ok: false, error });
    for (const score of this.scores.splice(0)) score.done({ ok: false, error });
  }
}
