import { judgeMath, memoizeComparisons, type MathJudgeOptions } from '../../../core/verify/math/index.ts';
import type { VerdictRow } from '../../store/samples.ts';

/** Verdict texts as the worker clips them (the wire bounds them too). */
const clip = (text: string | null): string | null => (text === null ? null : text.length > 2000 ? `${text.slice(0, 2000)}…` : text);

export interface Disagreement {
  index: number;
  /** What the worker said, and what the coordinator found. */
  claimed: boolean;
  found: boolean;
}

/**
 * Math verdicts are the coordinator's: it holds the gold answers and judgeMath is pure, so
 * each text a worker sends is judged here again and only this verdict is stored; a worker's
 * own verdict is only compared with it. So forged inline verdicts change no count, and a
 * worker that sends one is found out at its first batch.
 */
export function judgeMathAgain(
  key: Pick<VerdictRow, 'runId' | 'modelId' | 'problemId'> & { workerId: string; leaseId: number },
  gold: string, options: MathJudgeOptions,
  items: readonly { index: number; text: string; claimed?: boolean }[],
): { verdicts: VerdictRow[]; disagreements: Disagreement[] } {
  const disagreements: Disagreement[] = [];
  const compare = memoizeComparisons();
  const verdicts = items.map(({ index, text, claimed }): VerdictRow => {
    const v = judgeMath(gold, text, options, compare);
    if (claimed !== undefined && claimed !== v.correct) disagreements.push({ index, claimed, found: v.correct });
    return {
      runId: key.runId, modelId: key.modelId, problemId: key.problemId, sampleIndex: index, correct: v.correct, extracted: clip(v.extracted), reason: clip(v.reason) ?? '',
      verifier: 'math', workerId: key.workerId, leaseId: key.leaseId, judge: 'coordinator', ...(v.fallback ? { fallback: true as const } : {}),
    };
  });
  return { verdicts, disagreements };
}

/** One line for a run's events: how many verdicts disagreed, and the first of them. */
export function describeDisagreements(d: readonly Disagreement[], where: string): string {
  const first = d[0];
  return `${d.length} verdict${d.length > 1 ? 's' : ''} of ${where} disagreed with the coordinator's (sample ${first.index}: the worker said ${first.claimed ? 'correct' : 'wrong'}, the coordinator found it ${first.found ? 'correct' : 'wrong'})`;
}
