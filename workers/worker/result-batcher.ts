import { MAX_BATCH_ROWS, RESULT_BATCH_BYTES } from '../../src/core/protocol/limits.ts';
import type { Result } from '../../src/core/result.ts';

/** Rows per results message: a few hundred keeps acknowledgements frequent without a message per sample. */
const BATCH_ROWS = 256;
const FLUSH_MS = 1000;

/**
 * Collects rows and sends them in order, one message in flight: a batch goes when it holds
 * BATCH_ROWS rows or RESULT_BATCH_BYTES of text, or FLUSH_MS after its first row.
 */
export class Batcher<T extends object> {
  private rows: T[] = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<Result<unknown>> = Promise.resolve({ ok: true, value: null });
  private failure: string | null = null;

  constructor(private readonly flushRows: (rows: T[]) => Promise<Result<unknown>>) {}

  add(row: T): void {
    this.rows.push(row);
    this.bytes += 'text' in row && typeof row.text === 'string' ? row.text.length : 64;
    if (this.rows.length >= Math.min(BATCH_ROWS, MAX_BATCH_ROWS) || this.bytes >= RESULT_BATCH_BYTES) this.flush();
    else if (this.timer === null) this.timer = setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    this.bytes = 0;
    this.chain = this.chain.then(async (previous) => {
      if (!previous.ok || this.failure !== null) return previous;
      const sent = await this.flushRows(rows);
      if (!sent.ok) this.failure = sent.error;
      return sent;
    });
  }

  /** Sends what is left and waits for every acknowledgement; the first refusal, if any. */
  async finish(): Promise<Result<null>> {
    this.flush();
    await this.chain;
    return this.failure === null ? { ok: true, value: null } : { ok: false, error: this.failure };
  }
}
