/**
 * The sampling rule. A second implementation (an ONNX Loop running on a GPU) must
 * reproduce it token for token, so it is specified here exactly; all arithmetic is
 * IEEE float64 unless said otherwise, and every sum is sequential, left to right, in the
 * order named.
 *
 * Input: one row of float32 logits x[0..V), temperature T ≥ 0, topK (0 = off), topP in
 * (0, 1] (≥ 1 = off) and ONE uniform u in [0, 1) for this (sample, step).
 *
 * 1. T = 0: the token is argmax x, lowest index on ties.
 * 2. Order: tokens are ranked by (x desc, index asc): a strict total order on the float32
 *    logits themselves, so rounding in later steps can never reorder candidates.
 * 3. Candidates: the first topK tokens in that order when 0 < topK < V, else all tokens.
 * 4. M = max x (float32 value, widened). w_i = exp(x_i / T − M / T) for candidates.
 * 5. total = Σ w_i over candidates in ascending token index.
 * 6. Walk candidates in rank order keeping c_j = c_{j−1} + w_j (c_0 = 0).
 *    topP < 1: the kept set is the shortest prefix with c ≥ topP · total (or all
 *    candidates if rounding never gets there); K = c at its last token.
 *    topP ≥ 1: the kept set is all candidates and K = total.
 * 7. The token is the first kept token in rank order with c_j > u · K; if rounding leaves
 *    none, the last kept token.
 *
 * The log-probability reported is under the RAW model distribution: x_t − M − log Σ_i
 * exp(x_i − M) over all tokens (the sum in index order), independent of T, topK, topP, so
 * that scoring a text gives the same numbers as sampling it.
 *
 * Cost: the ranked walk never sorts the vocabulary. Weights are bucketed by d = M/T − x/T
 * (bucket ⌊d⌋, capped); the smallest set of buckets whose mass reaches the walk's target
 * is gathered and sorted. Because d is monotone in x, that set is a prefix of the rank
 * order, and if rounding leaves the walk short the set is widened, so the result is the
 * rule above exactly.
 */

export interface SamplingParams {
  temperature: number;
  /** 0 disables top-k. */
  topK: number;
  /** 1 disables top-p. */
  topP: number;
}

export interface SampledToken {
  token: number;
  /** log p(token) under the untempered model distribution. */
  logprob: number;
}

const BUCKETS = 64;

let scratchBuffer = new Float64Array(0);
/** Reused weight buffer: a fresh 1 MB array per token for a 150k vocabulary churns the GC. */
function scratch(length: number): Float64Array {
  if (scratchBuffer.length < length) scratchBuffer = new Float64Array(length);
  return scratchBuffer;
}

/** Log-normaliser of the raw distribution: M + log Σ exp(x_i − M), summed in index order. */
export function logSumExp(row: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) if (row[i] > max) max = row[i];
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp(row[i] - max);
  return max + Math.log(sum);
}

export function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/** Rank comparator: logit descending, index ascending. */
function byRank(row: Float32Array): (a: number, b: number) => number {
  return (a, b) => (row[b] - row[a]) || (a - b);
}

export function sampleToken(row: Float32Array, params: SamplingParams, u: number): SampledToken {
  const vocab = row.length;
  let max = -Infinity;
  for (let i = 0; i < vocab; i++) if (row[i] > max) max = row[i];
  let rawSum = 0;
  for (let i = 0; i < vocab; i++) rawSum += Math.exp(row[i] - max);
  const lse = max + Math.log(rawSum);

  if (params.temperature === 0) {
    const token = argmax(row);
    return { token, logprob: row[token] - lse };
  }
  const t = params.temperature;
  const scaledMax = max / t;
  const topK = params.topK > 0 && params.topK < vocab ? params.topK : 0;
  const token = topK > 0
    ? pickFromTopK(row, topK, t, scaledMax, params.topP, u)
    : pickFromAll(row, t, scaledMax, params.topP, u);
  return { token, logprob: row[token] - lse };
}

/**
 * Walks ranked candidates (c accumulates w in order). Returns the chosen token, or -1 when
 * `ranked` ends before the rule decides (the caller then widens the prefix). `complete`
 * says `ranked` holds every candidate, so running out means the rule's fallbacks apply.
 */
function walk(
  ranked: ArrayLike<number>, weight: (i: number) => number,
  total: number, topP: number, u: number, complete: boolean,
): number {
  const n = ranked.length;
  if (topP < 1) {
    const target = topP * total;
    let c = 0;
    let end = -1;
    for (let j = 0; j < n; j++) {
      c += weight(ranked[j]);
      if (c >= target) { end = j; break; }
    }
    if (end < 0) {
      if (!complete) return -1;
      end = n - 1;
    }
    const r = u * c;
    let d = 0;
    for (let j = 0; j <= end; j++) {
      d += weight(ranked[j]);
      if (d > r) return ranked[j];
    }
    return ranked[end];
  }
  const r = u * total;
  let c = 0;
  for (let j = 0; j < n; j++) {
    c += weight(ranked[j]);
    if (c > r) return ranked[j];
  }
  return complete ? ranked[n - 1] : -1;
}

function pickFromAll(row: Float32Array, t: number, scaledMax: number, topP: number, u: number): number {
  const vocab = row.length;
  const w = scratch(vocab);
  const mass = new Float64Array(BUCKETS + 1);
  let total = 0;
  for (let i = 0; i < vocab; i++) {
    const d = scaledMax - row[i] / t;
    const wi = Math.exp(-d);
    w[i] = wi;
    total += wi;
    mass[d < BUCKETS ? Math.floor(d) : BUCKETS] += wi;
  }
  const goal = topP < 1 ? topP * total : u * total;
  const weight = (i: number): number => w[i];
  let acc = 0;
  let bucket = 0;
  while (bucket < BUCKETS) {
    acc += mass[bucket];
    if (acc >= goal) break;
    bucket++;
  }
  for (; ; bucket++) {
    const complete = bucket >= BUCKETS;
    const limit = bucket + 1;
    const ranked: number[] = [];
    for (let i = 0; i < vocab; i++) {
      if (complete || scaledMax - row[i] / t < limit) ranked.push(i);
    }
    ranked.sort(byRank(row));
    const token = walk(ranked, weight, total, topP, u, complete);
    if (token >= 0) return token;
  }
}

function pickFromTopK(row: Float32Array, k: number, t: number, scaledMax: number, topP: number, u: number): number {
  const ranked = selectTopK(row, k);
  const w = new Map<number, number>();
  for (const i of ranked) w.set(i, Math.exp(row[i] / t - scaledMax));
  const byIndex = [...ranked].sort((a, b) => a - b);
  let total = 0;
  for (const i of byIndex) total += w.get(i)!;
  return walk(ranked, (i) => w.get(i)!, total, topP, u, true);
}

/** The first k tokens in rank order, ranked, via a size-k min-heap (O(V log k)). */
export function selectTopK(row: Float32Array, k: number): number[] {
  const heap: number[] = [];
  // "worse" = later in rank order; the heap root is the worst kept token.
  const worse = (a: number, b: number): boolean => row[a] < row[b] || (row[a] === row[b] && a > b);
  const siftDown = (start: number): void => {
    let i = start;
    for (; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l], heap[m])) m = l;
      if (r < heap.length && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let i = 0; i < row.length; i++) {
    if (heap.length < k) {
      heap.push(i);
      let j = heap.length - 1;
      while (j > 0) {
        const p = (j - 1) >> 1;
        if (!worse(heap[j], heap[p])) break;
        [heap[j], heap[p]] = [heap[p], heap[j]];
        j = p;
      }
    } else if (worse(heap[0], i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort(byRank(row));
}
