import { describe, expect, it } from 'vitest';
import { findCrossover } from './crossover.ts';
import type { PassAtKCurve } from './pass-at-k-curves.ts';

const noise = Float64Array.from([-0.02, 0.01, 0, 0.03, -0.01, 0.02, -0.03, 0.01]);

/** A curve whose replicates are value + a shared noise, so paired differences are exact. */
function curve(model: string, role: 'base' | 'rl', values: Record<number, number>): PassAtKCurve {
  return {
    model, role, problems: 10, minN: 8,
    points: Object.entries(values).map(([k, value]) => ({
      k: Number(k), value, ci: [value - 0.03, value + 0.03],
      replicates: noise.map((e) => value + e * (role === 'base' ? 2 : 1)),
    })),
  };
}

describe('findCrossover', () => {
  const rl = curve('rl', 'rl', { 1: 0.4, 2: 0.45, 4: 0.5, 8: 0.52 });

  it('finds the smallest k where base reaches RL, with the paired interval of the difference', () => {
    const base = curve('base', 'base', { 1: 0.2, 2: 0.35, 4: 0.5, 8: 0.6 });
    const result = findCrossover(base, rl);
    expect(result.k).toBe(4);
    expect(result.difference).toBe(0);
    // Paired differences are exactly the noise (2e − e = e): its 2.5th/97.5th percentiles
    // interpolate between the two smallest (−0.03, −0.02) and the two largest order statistics.
    expect(result.ci?.[0]).toBeCloseTo(-0.02825, 10);
    expect(result.ci?.[1]).toBeCloseTo(0.02825, 10);
    expect(result.kMax).toBe(8);
    expect(result.deltaSE?.k).toBe(8);
    expect(result.deltaSE?.value).toBeCloseTo(0.2, 12);
  });

  it('reports no crossover when base stays below up to the last shared k', () => {
    const base = curve('base', 'base', { 1: 0.1, 2: 0.2, 4: 0.3, 8: 0.4 });
    const result = findCrossover(base, rl);
    expect(result).toMatchObject({ k: null, difference: null, ci: null, kMax: 8 });
    expect(result.deltaSE?.value).toBeCloseTo(0, 12);
    // At the largest shared k the paired difference is there even without a crossover: 0.4 − 0.52.
    expect(result.atKMax?.difference).toBeCloseTo(-0.12, 12);
    expect(result.atKMax?.ci[0]).toBeCloseTo(-0.12 - 0.02825, 10);
    expect(result.atKMax?.ci[1]).toBeCloseTo(-0.12 + 0.02825, 10);
  });

  it('takes ΔSE at the base model\'s largest k even beyond the RL model\'s n', () => {
    const base = curve('base', 'base', { 1: 0.1, 2: 0.2, 4: 0.3, 8: 0.45, 16: 0.7 });
    const result = findCrossover(base, rl);
    expect(result.kMax).toBe(8);
    expect(result.deltaSE?.k).toBe(16);
    expect(result.deltaSE?.value).toBeCloseTo(0.3, 12);
  });
});
