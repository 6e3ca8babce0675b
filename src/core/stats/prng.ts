/** A small seeded generator (xoshiro128**, seeded through splitmix32) so bootstrap results repeat exactly for a seed. */
export interface Rng {
  nextUint32(): number;
  /** Uniform in [0, 1) with 53 random bits. */
  nextFloat(): number;
  /** Uniform integer in [0, bound). */
  nextInt(bound: number): number;
  /** Fills `out` with what as many nextInt(bound) calls would return, in order, a few times faster. */
  fillInts(out: Int32Array, bound: number): void;
}

export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  // splitmix32 over a state that folds in the seed's high bits, so seeds above 2^32 differ too.
  let state = (seed >>> 0) ^ Math.imul(Math.floor(Math.abs(seed) / 4294967296) | 0, 0x9e3779b1) ^ (seed < 0 ? 0x5bd1e995 : 0);
  const splitmix = (): number => {
    state = (state + 0x9e3779b9) | 0;
    let t = state ^ (state >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
  let s0 = splitmix();
  let s1 = splitmix();
  let s2 = splitmix();
  let s3 = splitmix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  const nextFloat = (): number => ((nextUint32() >>> 5) * 67108864 + (nextUint32() >>> 6)) / 9007199254740992;
  // nextInt written out with the state in locals: the bootstrap draws billions of these,
  // and the calls through three closures cost more than the arithmetic.
  const fillInts = (out: Int32Array, bound: number): void => {
    let a = s0;
    let b = s1;
    let c = s2;
    let d = s3;
    for (let i = 0; i < out.length; i++) {
      const high = (Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0) >>> 5;
      let t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11);
      const low = (Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0) >>> 6;
      t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11);
      out[i] = Math.floor(((high * 67108864 + low) / 9007199254740992) * bound);
    }
    s0 = a;
    s1 = b;
    s2 = c;
    s3 = d;
  };
  return {
    nextUint32,
    nextFloat,
    nextInt: (bound) => Math.floor(nextFloat() * bound),
    fillInts,
  };
}

function rotl(value: number, shift: number): number {
  return (value << shift) | (value >>> (32 - shift));
}
