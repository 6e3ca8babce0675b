import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { REPO_ROOT } from '../../test/support/test-model.ts';
import {
  dequantizeQ4_0, dequantizeQ8_0, fromHalf, GGML_TYPE, Q4_0_BLOCK_BYTES, Q8_0_BLOCK_BYTES, quantizeQ4_0, quantizeQ8_0, toHalf,
} from './ggml-quants.ts';
import { GGUF_ALIGNMENT, parseGguf, writeGguf, type GgufValue } from './gguf.ts';
import { buildQwen2Gguf } from './qwen2-gguf.ts';

/** Deterministic values spread over several magnitudes, with a few outliers. */
function values(count: number, seed = 1): Float32Array {
  let s = seed;
  const next = (): number => { s = (s * 1103515245 + 12345) >>> 0; return s / 2 ** 32; };
  return Float32Array.from({ length: count }, (_, i) => (next() - 0.5) * (i % 97 === 0 ? 8 : 0.1) * (1 + (i % 5)));
}

function concat(pieces: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of pieces) { out.set(p, at); at += p.length; }
  return out;
}

describe('f16 conversion', () => {
  it('rounds to nearest even and keeps the special cases', () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(1e6)).toBe(0x7c00);
    expect(toHalf(2 ** -24)).toBe(0x0001);
    expect(toHalf(0)).toBe(0);
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00); // a tie goes to the even mantissa
    expect(toHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
    for (const v of [0.1, -3.75, 1 / 3, 6.1e-5, 1234.5]) expect(Math.abs(fromHalf(toHalf(v)) - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 2 ** -25);
  });
});

describe('ggml q8_0 / q4_0 blocks', () => {
  const x = values(32 * 64);

  it('q8_0: 34-byte blocks, each value within half a step (plus the f16 scale rounding)', () => {
    const q = quantizeQ8_0(x);
    expect(q.length).toBe((x.length / 32) * Q8_0_BLOCK_BYTES);
    const y = dequantizeQ8_0(q);
    for (let b = 0; b < x.length / 32; b++) {
      const block = x.subarray(b * 32, b * 32 + 32);
      const amax = Math.max(...Array.from(block, Math.abs));
      const d = amax / 127;
      for (let j = 0; j < 32; j++) expect(Math.abs(y[b * 32 + j] - block[j])).toBeLessThanOrEqual(d / 2 + 127 * d * 2 ** -11 + 1e-9);
    }
  });

  it('q4_0: 18-byte blocks, nibble j low / j+16 high, errors within one step and the extreme exact up to f16', () => {
    const q = quantizeQ4_0(x);
    expect(q.length).toBe((x.length / 32) * Q4_0_BLOCK_BYTES);
    const y = dequantizeQ4_0(q);
    for (let b = 0; b < x.length / 32; b++) {
      const block = Array.from(x.subarray(b * 32, b * 32 + 32));
      const iMax = block.reduce((best, v, i) => (Math.abs(v) > Math.abs(block[best]) ? i : best), 0);
      const d = Math.abs(block[iMax]) / 8;
      // The value of largest magnitude maps to code 0 exactly (d = m / −8).
      expect(Math.abs(y[b * 32 + iMax] - block[iMax])).toBeLessThanOrEqual(Math.abs(block[iMax]) * 2 ** -10);
      for (let j = 0; j < 32; j++) expect(Math.abs(y[b * 32 + j] - block[j])).toBeLessThanOrEqual(d * (1 + 2 ** -9) + 1e-9);
    }
    // Layout: element 0 in the low nibble of byte 2, element 16 in its high nibble.
    const one = new Float32Array(32);
    one[0] = -1; // the extreme, so d = −1 / −8 = 0.125 and its code is trunc(−8 + 8.5) = 0
    one[16] = 1; // 1 / 0.125 + 8.5 = 16.5: clamped to code 15
    const b = quantizeQ4_0(one);
    expect(fromHalf(b[0] | (b[1] << 8))).toBeCloseTo(0.125, 6);
    expect(b[2] & 0x0f).toBe(0);
    expect(b[2] >> 4).toBe(15);
    expect(b[3]).toBe(8 | (8 << 4));
  });

  it('rejects a length that is not whole blocks', () => {
    expect(() => quantizeQ8_0(new Float32Array(33))).toThrow(/multiple of the 32-value block/);
  });
});

describe('GGUF writer', () => {
  it('parses back: header, key-values, tensor infos, aligned offsets and data', () => {
    const meta = new Map<string, GgufValue>([
      ['general.architecture', { type: 'str', value: 'qwen2' }],
      ['qwen2.block_count', { type: 'u32', value: 3 }],
      ['qwen2.rope.freq_base', { type: 'f32', value: 10000 }],
      ['tokenizer.ggml.add_bos_token', { type: 'bool', value: false }],
      ['tokenizer.ggml.tokens', { type: 'strs', value: ['a', 'bé', '<|im_end|>'] }],
      ['tokenizer.ggml.token_type', { type: 'i32s', value: [1, 1, 3] }],
      ['tokenizer.ggml.merges', { type: 'strs', value: [] }],
    ]);
    const w = values(64 * 3);
    const f32 = new Uint8Array(Float32Array.from([1, 2, 3]).buffer);
    const pieces = writeGguf(meta, [
      { name: 'norm', dims: [3], type: GGML_TYPE.F32, data: f32 },
      { name: 'w8', dims: [64, 3], type: GGML_TYPE.Q8_0, data: quantizeQ8_0(w) },
      { name: 'w4', dims: [64, 3], type: GGML_TYPE.Q4_0, data: quantizeQ4_0(w) },
    ]);
    const bytes = concat(pieces);
    const g = parseGguf(bytes);
    expect(g.version).toBe(3);
    expect(g.metadata.get('general.architecture')).toBe('qwen2');
    expect(g.metadata.get('qwen2.block_count')).toBe(3);
    expect(g.metadata.get('qwen2.rope.freq_base')).toBe(10000);
    expect(g.metadata.get('tokenizer.ggml.add_bos_token')).toBe(false);
    expect(g.metadata.get('tokenizer.ggml.tokens')).toEqual(['a', 'bé', '<|im_end|>']);
    expect(g.metadata.get('tokenizer.ggml.token_type')).toEqual([1, 1, 3]);
    expect(g.metadata.get('tokenizer.ggml.merges')).toEqual([]);
    expect(g.tensors.map((t) => [t.name, t.dims, t.type])).toEqual([['norm', [3], 0], ['w8', [64, 3], 8], ['w4', [64, 3], 2]]);
    for (const t of g.tensors) expect(t.offset % GGUF_ALIGNMENT).toBe(0);
    expect(Array.from(new Float32Array(g.tensors[0].data.slice().buffer))).toEqual([1, 2, 3]);
    expect(dequantizeQ8_0(g.tensors[1].data)).toEqual(dequantizeQ8_0(quantizeQ8_0(w)));
    expect(dequantizeQ4_0(g.tensors[2].data)).toEqual(dequantizeQ4_0(quantizeQ4_0(w)));
  });

  it('refuses data of the wrong size and rows that are not whole blocks', () => {
    expect(() => writeGguf(new Map(), [{ name: 'x', dims: [4], type: GGML_TYPE.F32, data: new Uint8Array(12) }])).toThrow(/x: 12 bytes/);
    expect(() => writeGguf(new Map(), [{ name: 'q', dims: [16, 2], type: GGML_TYPE.Q8_0, data: new Uint8Array(34) }])).toThrow(/q: row of 16/);
  });

  it('writes the bundled model as qwen2: llama.cpp names, ggml dim order, the same weights in f32 and within a step in q8_0', () => {
    const dir = join(REPO_ROOT, 'resources', 'models', 'base');
    const f = parseGguf(concat(buildQwen2Gguf(dir, 'f32')));
    const q = parseGguf(concat(buildQwen2Gguf(dir, 'q8_0')));
    expect(f.metadata.get('general.architecture')).toBe('qwen2');
    expect(f.metadata.get('qwen2.block_count')).toBe(4);
    expect(f.metadata.get('qwen2.attention.head_count_kv')).toBe(2);
    expect(f.metadata.get('qwen2.attention.key_length')).toBe(24);
    expect((f.metadata.get('tokenizer.ggml.tokens') as string[]).length).toBe(99);
    expect(f.metadata.get('tokenizer.ggml.eos_token_id')).toBe(2);
    expect(q.metadata.get('general.file_type')).toBe(7);
    expect(f.tensors.length).toBe(3 + 4 * 12);
    const byName = (g: typeof f, name: string): (typeof f)['tensors'][number] => g.tensors.find((t) => t.name === name)!;
    expect(byName(f, 'token_embd.weight').dims).toEqual([96, 99]);
    expect(byName(f, 'blk.0.attn_k.weight').dims).toEqual([96, 48]);
    expect(byName(f, 'blk.0.attn_k.bias').dims).toEqual([48]);
    expect(byName(f, 'blk.3.ffn_down.weight').dims).toEqual([256, 96]);
    expect(byName(f, 'output.weight').dims).toEqual([96, 99]);
    expect(byName(q, 'blk.0.attn_norm.weight').type).toBe(GGML_TYPE.F32);
    expect(byName(q, 'blk.0.ffn_up.weight').type).toBe(GGML_TYPE.Q8_0);
    const exact = new Float32Array(byName(f, 'blk.1.ffn_gate.weight').data.slice().buffer);
    const back = dequantizeQ8_0(byName(q, 'blk.1.ffn_gate.weight').data);
    const amax = Math.max(...Array.from(exact, Math.abs));
    for (let i = 0; i < exact.length; i++) expect(Math.abs(back[i] - exact[i])).toBeLessThanOrEqual(amax / 127);
  });
});
