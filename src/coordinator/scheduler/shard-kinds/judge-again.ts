import { judgeMath, memoizeComparisons, type MathJudgeOptions } from '../../../core/verify/math/index.ts';
import type { VerdictResultRow } from '../../../core/protocol/worker-protocol.ts';
import type { VerdictRow } from '../../store/samples.ts';

/** Verdict texts as the worker clips them (the wire bounds them too). */
const clip = (text: string | null): string | null => (text === null ? null : text.length > 2000 ? `${text.slice(0, 2000)}…` : text);

/**
 * How much of its time the coordinator spends judging texts again: all of every batch while
 * judging took under `share` of the last window, else a random `floor` of each batch (the
 * rest keep the worker's own verdict, marked judge = 'worker'). A worker that forges every
 * verdict is still caught at its first batch (at least 16 of every batch are judged), and a caught
 * worker's whole work in the run is discarded, unchecked verdicts included.
 */
export class JudgeBudget {
  private windowStart = 0;
  private spentMs = 0;

  constructor(readonly share = 0.25, readonly floor = 1 / 16, private readonly windowMs = 1000, private readonly clock: () => number = () => performance.now()) {}

  /** The fraction of the next batch to judge. */
  fraction(): number {
    const now = this.clock();
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.spentMs = 0;
    }
    return this.spentMs < this.share * this.windowMs ? 1 : this.floor;
  }

  charge(ms: number): void {
    this.spentMs += ms;
  }
}

export interface Disagreement {
  index: number;
  /** What the worker said, and what the coordinator found. */
  claimed: boolean;
  found: boolean;
}

/**
 * Math verdicts are the coordinator's: it holds the gold answers and judgeMath is pure, so
 * each text a worker sends is judged here again and this verdict is stored; a worker's own
 * verdict is only compared with it. So forged inline verdicts change no count, and a worker
 * that sends one is found out at its first batch. With a budget that says the coordinator is
 * behind, a random fraction is judged and the rest keep the worker's verdict (judge 'worker').
 */
export function judgeMathAgain(
  key: Pick<VerdictRow, 'runId' | 'modelId' | 'problemId'> & { workerId: string; leaseId: number },
  problem: { gold: string; text: string }, options: MathJudgeOptions,
  items: readonly { index: number; text: string; claimed?: Omit<VerdictResultRow, 'index'> }[],
  budget?: JudgeBudget,
): { verdicts: VerdictRow[]; disagreements: Disagreement[] } {
  const started = performance.now();
  // At least 16 of a batch judged (all of a small one), so a forger of every verdict is caught at once whatever its batch size.
  const fraction = Math.max(budget?.fraction() ?? 1, Math.min(1, 16 / Math.max(1, items.length)));
  const disagreements: Disagreement[] = [];
  const compare = memoizeComparisons();
  const row = { runId: key.runId, modelId: key.modelId, problemId: key.problemId, verifier: 'math' as const, workerId: key.workerId, leaseId: key.leaseId };
  const verdicts = items.map(({ index, text, claimed }): VerdictRow => {
    // Unjudged, only when the coordinator is behind and the worker gave a verdict: Math.random suffices, a worker sees nothing of it.
    if (claimed !== undefined && fraction < 1 && Math.random() >= fraction) {
      return { ...row, sampleIndex: index, correct: claimed.correct, extracted: claimed.extracted, reason: claimed.reason, judge: 'worker', ...(claimed.fallback ? { fallback: true as const } : {}) };
    }
    const v = judgeMath(problem.gold, text, options, problem.text, compare);
    if (claimed !== undefined && claimed.correct !== v.correct) disagreements.push({ index, claimed: claimed.correct, found: v.correct });
    return { ...row, sampleIndex: index, correct: v.correct, extracted: clip(v.extracted), reason: clip(v.reason) ?? '', judge: 'coordinator', ...(v.fallback ? { fallback: true as const } : {}) };
  });
  budget?.charge(performance.now() - started);
  return { verdicts, disagreements };
}

/** One line for a run's events: how many verdicts disagreed, and the first of them. */
export function describeDisagreements(d: readonly Disagreement[], where: string): string {
  const first = d[0];
  return `${d.length} verdict${d.length > 1 ? 's' : ''} of ${where} disagreed with the coordinator's (sample ${first.index}: the worker said ${first.claimed ? 'correct' : 'wrong'}, the coordinator found it ${first.found ? 'correct' : 'wrong'})`;
}
