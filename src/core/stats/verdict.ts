import type { Crossover } from './crossover.ts';

/** Which side a paired difference base − RL falls on at the interval's level. */
export type Side = 'base' | 'rl' | 'neither';

export interface VerdictLine {
  k: number;
  /** base − RL pass@k with its paired interval. */
  difference: number;
  ci: [number, number];
  side: Side;
  reading: string;
}

export interface Verdict {
  /** At the largest k both curves reach: the boundary's answer. */
  atKMax: VerdictLine | null;
  /** At the crossover (the smallest k where base catches up), when there is one. */
  atCrossover: VerdictLine | null;
}

const percent = (level: number) => `${Math.round(level * 100)} %`;
const sideOf = (ci: [number, number]): Side => (ci[0] > 0 ? 'base' : ci[1] < 0 ? 'rl' : 'neither');

function line(k: number, difference: number, ci: [number, number], level: number): VerdictLine {
  const side = sideOf(ci);
  const reading = side === 'base' ? `RL only sharpened: base solves more at k = ${k}`
    : side === 'rl' ? 'RL widened the boundary'
    : `not significant at ${percent(level)}`;
  return { k, difference, ci, side, reading };
}

/**
 * The question of the paper in one line per k: did RL widen what the model can solve (RL
 * above base even at the largest k, the interval of base − RL below 0), or only sharpen it
 * (base above RL at the largest k, or from the crossover on, the interval above 0)? An interval
 * across 0 is said to be not significant at its level: the problems drawn could explain it.
 */
export function crossoverVerdict(c: Pick<Crossover, 'kMax' | 'k' | 'difference' | 'ci' | 'atKMax'>, level: number): Verdict {
  return {
    atKMax: c.atKMax && c.kMax > 0 ? line(c.kMax, c.atKMax.difference, c.atKMax.ci, level) : null,
    atCrossover: c.k !== null && c.difference !== null && c.ci !== null ? line(c.k, c.difference, c.ci, level) : null,
  };
}

const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;

/** A verdict line as text: "base − rl at k = 64: +0.018 [−0.064, +0.099]: not significant at 95 %". */
export function verdictText(c: Pick<Crossover, 'base' | 'rl' | 'verdict'>, which: 'atKMax' | 'atCrossover'): string | null {
  const l = c.verdict[which];
  if (!l) return null;
  return `${c.base} − ${c.rl} at k = ${l.k}${which === 'atCrossover' ? ' (crossover)' : ' (largest k)'}: ${signed(l.difference)} [${signed(l.ci[0])}, ${signed(l.ci[1])}]: ${l.reading}`;
}
