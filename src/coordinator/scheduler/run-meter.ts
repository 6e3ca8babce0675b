import type { Store } from '../store/open-store.ts';
import { countPerModel } from '../store/samples.ts';

interface ModelCounts { sampled: number; verified: number; correct: number }

/**
 * Live counts and speed of each run, kept in memory and started from the store, so progress
 * for a run of a million samples costs no COUNT(*) per push.
 */
export class RunMeter {
  private readonly counts = new Map<string, Map<string, ModelCounts>>();
  private readonly windows = new Map<string, { at: number; samples: number; tokens: number }[]>();

  constructor(private readonly db: Store, private readonly windowMs = 60_000) {}

  modelCounts(runId: string): Map<string, ModelCounts> {
    let byModel = this.counts.get(runId);
    if (!byModel) {
      byModel = new Map();
      const { sampled, verified } = countPerModel(this.db, runId);
      for (const row of sampled) byModel.set(row.model, { sampled: row.n, verified: 0, correct: 0 });
      for (const row of verified) {
        const c = byModel.get(row.model) ?? { sampled: 0, verified: 0, correct: 0 };
        byModel.set(row.model, { ...c, verified: row.n, correct: row.c });
      }
      this.counts.set(runId, byModel);
    }
    return byModel;
  }

  private entry(runId: string, modelId: string): ModelCounts {
    const byModel = this.modelCounts(runId);
    let c = byModel.get(modelId);
    if (!c) byModel.set(modelId, (c = { sampled: 0, verified: 0, correct: 0 }));
    return c;
  }

  addSamples(runId: string, modelId: string, added: number, tokens: number, now: number): void {
    if (added === 0) return;
    this.entry(runId, modelId).sampled += added;
    let window = this.windows.get(runId);
    if (!window) this.windows.set(runId, (window = []));
    window.push({ at: now, samples: added, tokens });
    while (window.length > 0 && window[0].at < now - this.windowMs) window.shift();
  }

  addVerdicts(runId: string, modelId: string, added: number, correct: number): void {
    const c = this.entry(runId, modelId);
    c.verified += added;
    c.correct += correct;
  }

  /** Samples and tokens per second over the window (or since the first sample, if sooner). */
  rate(runId: string, now: number): { samplesPerSecond: number; tokensPerSecond: number } {
    const window = (this.windows.get(runId) ?? []).filter((w) => w.at >= now - this.windowMs);
    if (window.length === 0) return { samplesPerSecond: 0, tokensPerSecond: 0 };
    const span = Math.max(1, (now - window[0].at) / 1000);
    return {
      samplesPerSecond: window.reduce((s, w) => s + w.samples, 0) / span,
      tokensPerSecond: window.reduce((s, w) => s + w.tokens, 0) / span,
    };
  }

  forget(runId: string): void {
    this.counts.delete(runId);
    this.windows.delete(runId);
  }
}
