/**
 * Counter-based uniforms: u = f(run seed, model id, problem id, sample index, step), no
 * state carried between calls, so a sample's draws do not depend on batch size, shard
 * boundaries, worker or anything else in flight.
 *
 * key  = FNV-1a 64 over the UTF-8 bytes of `passk-u1\0{seed}\0{model}\0{problem}\0{sample}`
 * u    = (splitmix64(key + (step + 1) · 0x9E3779B97F4A7C15 mod 2^64) >> 11) / 2^53
 *
 * The GPU path feeds these same numbers into its graph, so it never re-implements this.
 */

export interface StreamKey {
  seed: number | string;
  modelId: string;
  problemId: string;
}

const MASK = (1n << 64n) - 1n;
const GOLDEN = 0x9e3779b97f4a7c15n;
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;

export function sampleKey(stream: StreamKey, sample: number): bigint {
  const text = `passk-u1\0${stream.seed}\0${stream.modelId}\0${stream.problemId}\0${sample}`;
  let h = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * FNV_PRIME) & MASK;
  }
  return h;
}

function splitmix64(x: bigint): bigint {
  let z = x & MASK;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}

/** The uniform in [0, 1) for one step of the sample whose key is `key`. */
export function uniformAt(key: bigint, step: number): number {
  const z = splitmix64(key + BigInt(step + 1) * GOLDEN);
  return Number(z >> 11n) / 2 ** 53;
}

/** The uniforms of steps [0, steps) of one sample, e.g. to feed a graph that samples on a GPU. */
export function uniforms(key: bigint, steps: number): Float64Array {
  const out = new Float64Array(steps);
  for (let s = 0; s < steps; s++) out[s] = uniformAt(key, s);
  return out;
}
