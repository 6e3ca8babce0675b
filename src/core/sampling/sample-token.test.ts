import { describe, expect, it } from 'vitest';
import { argmax, logSumExp, sampleToken, selectTopK, type SamplingParams } from './sample-token.ts';
import { sampleKey, uniformAt } from './random-stream.ts';

/** The rule of sample-token.ts written the slow, obvious way: full sort, no buckets. */
function reference(row: Float32Array, p: SamplingParams, u: number): number {
  if (p.temperature === 0) return argmax(row);
  const order = [...row.keys()].sort((a, b) => (row[b] - row[a]) || (a - b));
  const cands = p.topK > 0 && p.topK < row.length ? order.slice(0, p.topK) : order;
  const max = row[order[0]];
  const w = (i: number): number => Math.exp(row[i] / p.temperature - max / p.temperature);
  let total = 0;
  for (const i of [...cands].sort((a, b) => a - b)) total += w(i);
  let kept = cands;
  let K = total;
  if (p.topP < 1) {
    let c = 0;
    let end = cands.length - 1;
    for (let j = 0; j < cands.length; j++) {
      c += w(cands[j]);
      if (c >= p.topP * total) { end = j; break; }
    }
    kept = cands.slice(0, end + 1);
    K = 0;
    for (const i of kept) K += w(i);
  }
  let c = 0;
  for (const i of kept) {
    c += w(i);
    if (c > u * K) return i;
  }
  return kept[kept.length - 1];
}

function randomRow(key: bigint, vocab: number, scale: number): Float32Array {
  const row = new Float32Array(vocab);
  for (let i = 0; i < vocab; i++) {
    // Coarse values so that ties occur and the index tie-break is exercised.
    row[i] = Math.round((uniformAt(key, i) - 0.5) * scale * 4) / 4;
  }
  return row;
}

describe('sampleToken', () => {
  const settings: SamplingParams[] = [
    { temperature: 0.6, topK: 0, topP: 0.95 },
    { temperature: 1, topK: 0, topP: 1 },
    { temperature: 0.3, topK: 20, topP: 0.9 },
    { temperature: 1.5, topK: 5, topP: 1 },
    { temperature: 0.05, topK: 0, topP: 0.5 },
    { temperature: 2, topK: 0, topP: 0.999 },
  ];

  it('matches the full-sort reference on random rows, ties included', () => {
    let checked = 0;
    for (let r = 0; r < 40; r++) {
      const key = sampleKey({ seed: 7, modelId: 'test', problemId: `row${r}` }, r);
      const row = randomRow(key, 50 + r * 37, r % 2 ? 40 : 6);
      for (const p of settings) {
        for (let s = 0; s < 25; s++) {
          const u = uniformAt(key, 10_000 + s);
          const got = sampleToken(row, p, u);
          expect(got.token).toBe(reference(row, p, u));
          expect(got.logprob).toBe(row[got.token] - logSumExp(row));
          checked++;
        }
      }
    }
    expect(checked).toBe(40 * settings.length * 25);
  });

  it('takes the lowest index among tied maxima at temperature 0', () => {
    const row = new Float32Array([1, 3, 2, 3, 3]);
    expect(sampleToken(row, { temperature: 0, topK: 0, topP: 1 }, 0.99).token).toBe(1);
  });

  it('uses u to walk the ranked candidates: u→0 picks the top token, u→1 the last kept one', () => {
    const row = new Float32Array([0, 2, 1, 2]);
    const p = { temperature: 1, topK: 0, topP: 1 };
    expect(sampleToken(row, p, 0).token).toBe(1);
    expect(sampleToken(row, p, 1 - 2 ** -53).token).toBe(0);
    expect(sampleToken(row, { ...p, topK: 2 }, 1 - 2 ** -53).token).toBe(3);
  });

  it('reports the untempered log-probability', () => {
    const row = new Float32Array([0, Math.log(3)]);
    const got = sampleToken(row, { temperature: 0.1, topK: 0, topP: 1 }, 0.5);
    expect(got.token).toBe(1);
    expect(got.logprob).toBeCloseTo(Math.log(0.75), 6);
  });

  it('selects the top k in rank order', () => {
    const row = new Float32Array([5, 1, 5, 9, -1, 7]);
    expect(selectTopK(row, 3)).toEqual([3, 5, 0]);
    expect(selectTopK(row, 4)).toEqual([3, 5, 0, 2]);
  });
});

describe('random stream', () => {
  it('is a pure function of (seed, model, problem, sample, step)', () => {
    const k1 = sampleKey({ seed: 1, modelId: 'm', problemId: 'p' }, 3);
    expect(sampleKey({ seed: 1, modelId: 'm', problemId: 'p' }, 3)).toBe(k1);
    expect(sampleKey({ seed: 1, modelId: 'm', problemId: 'p' }, 4)).not.toBe(k1);
    expect(sampleKey({ seed: 2, modelId: 'm', problemId: 'p' }, 3)).not.toBe(k1);
    expect(uniformAt(k1, 5)).toBe(uniformAt(k1, 5));
  });

  it('is uniform enough: mean and spread of 20k draws', () => {
    const key = sampleKey({ seed: 0, modelId: 'm', problemId: 'p' }, 0);
    let sum = 0;
    let sq = 0;
    const n = 20_000;
    for (let s = 0; s < n; s++) {
      const u = uniformAt(key, s);
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      sq += u * u;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(sq / n - sum * sum / n / n - 1 / 12)).toBeLessThan(0.005);
  });
});
