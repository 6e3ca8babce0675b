/**
 * ggml's q8_0 and q4_0 block formats (the reference quantizers of ggml-quants.c, written
 * from the format's description): rows are cut into blocks of 32 values, each block an f16
 * scale d followed by the quants.
 * - q8_0: 34 bytes; d = max|x| / 127, q = round(x / d) as int8; x ≈ q·d.
 * - q4_0: 18 bytes; m = the value of largest magnitude (sign kept), d = m / −8,
 *   q = min(15, trunc(x / d + 8.5)); byte j holds element j in its low nibble and element
 *   j + 16 in its high nibble; x ≈ (q − 8)·d.
 */

export const QK = 32;
export const GGML_TYPE = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 8 } as const;
export type GgmlType = typeof GGML_TYPE[keyof typeof GGML_TYPE];
export const Q8_0_BLOCK_BYTES = 2 + QK;
export const Q4_0_BLOCK_BYTES = 2 + QK / 2;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → IEEE half, round to nearest even (as ggml's GGML_FP32_TO_FP16 on CPUs with F16C). */
export function toHalf(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let m = mant >>> shift;
    if (rest > half || (rest === half && (m & 1))) m++;
    return sign | m;
  }
  const rest = mant & 0x1fff;
  let m = mant >>> 13;
  if (rest > 0x1000 || (rest === 0x1000 && (m & 1))) {
    m++;
    if (m === 0x400) { m = 0; e++; if (e >= 0x1f) return sign | 0x7c00; }
  }
  return sign | (e << 10) | m;
}

export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 0x1f) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** ggml computes in C floats: every step rounded to float32. */
const fr = Math.fround;

function checkLength(n: number, what: string): void {
  if (n % QK !== 0) throw new Error(`${what}: ${n} values is not a multiple of the ${QK}-value block`);
}

export function quantizeQ8_0(x: Float32Array): Uint8Array {
  checkLength(x.length, 'q8_0');
  const blocks = x.length / QK;
  const out = new Uint8Array(blocks * Q8_0_BLOCK_BYTES);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    const base = b * QK;
    let amax = 0;
    for (let j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(x[base + j]));
    const d = fr(amax / 127);
    const id = d ? fr(1 / d) : 0;
    const at = b * Q8_0_BLOCK_BYTES;
    view.setUint16(at, toHalf(d), true);
    // roundf: halves away from zero.
    for (let j = 0; j < QK; j++) {
      const v = fr(x[base + j] * id);
      view.setInt8(at + 2 + j, Math.sign(v) * Math.round(Math.abs(v)));
    }
  }
  return out;
}

export function dequantizeQ8_0(bytes: Uint8Array): Float32Array {
  const blocks = bytes.length / Q8_0_BLOCK_BYTES;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(blocks * QK);
  for (let b = 0; b < blocks; b++) {
    const at = b * Q8_0_BLOCK_BYTES;
    const d = fromHalf(view.getUint16(at, true));
    for (let j = 0; j < QK; j++) out[b * QK + j] = view.getInt8(at + 2 + j) * d;
  }
  return out;
}

export function quantizeQ4_0(x: Float32Array): Uint8Array {
  checkLength(x.length, 'q4_0');
  const blocks = x.length / QK;
  const out = new Uint8Array(blocks * Q4_0_BLOCK_BYTES);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    const base = b * QK;
    let amax = 0;
    let max = 0;
    for (let j = 0; j < QK; j++) {
      const v = x[base + j];
      if (Math.abs(v) > amax) { amax = Math.abs(v); max = v; }
    }
    const d = fr(max / -8);
    const id = d ? fr(1 / d) : 0;
    const at = b * Q4_0_BLOCK_BYTES;
    view.setUint16(at, toHalf(d), true);
    for (let j = 0; j < QK / 2; j++) {
      const lo = Math.min(15, Math.trunc(fr(fr(x[base + j] * id) + 8.5)));
      const hi = Math.min(15, Math.trunc(fr(fr(x[base + j + QK / 2] * id) + 8.5)));
      out[at + 2 + j] = lo | (hi << 4);
    }
  }
  return out;
}

export function dequantizeQ4_0(bytes: Uint8Array): Float32Array {
  const blocks = bytes.length / Q4_0_BLOCK_BYTES;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(blocks * QK);
  for (let b = 0; b < blocks; b++) {
    const at = b * Q4_0_BLOCK_BYTES;
    const d = fromHalf(view.getUint16(at, true));
    for (let j = 0; j < QK / 2; j++) {
      const byte = bytes[at + 2 + j];
      out[b * QK + j] = ((byte & 0x0f) - 8) * d;
      out[b * QK + j + QK / 2] = ((byte >> 4) - 8) * d;
    }
  }
  return out;
}
