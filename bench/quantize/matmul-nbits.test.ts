/**
 * passk's quantized path on the bundled model: MatMulNBits 4- and 8-bit variants written
 * by matmul-nbits.ts at accuracy levels 4 and 0, loaded through the loader's --dtype (q4,
 * quantized; q4_acc0, quantized_acc0) by both decode paths. Checked: the packing dequantizes to ggml's q4_0/q8_0 values; each variant is
 * deterministic and batch invariant (the same samples at batch 1 and batch 8, step and
 * resident), as the f32 path is.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOXED_INSTRUCTION } from '../../src/core/sampling/prompt-format.ts';
import { REPO_ROOT } from '../../test/support/test-model.ts';
import { openEngine } from '../../workers/engine/open-engine.ts';
import { dequantizeQ4_0, dequantizeQ8_0, quantizeQ4_0, quantizeQ8_0 } from '../llamacpp/ggml-quants.ts';
import { packMatMulNBits, quantizeMatMulNBits } from './matmul-nbits.ts';

function concat(pieces: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of pieces) { out.set(p, at); at += p.length; }
  return out;
}

/** MatMulNBits' reference dequantization, from the contrib op's definition. */
function dequantNBits(b: Uint8Array, scales: Float32Array, k: number, n: number, bits: 4 | 8): Float32Array {
  const w = new Float32Array(k * n);
  const blocks = k / 32;
  const blob = (32 * bits) / 8;
  for (let col = 0; col < n; col++) {
    for (let r = 0; r < k; r++) {
      const blk = Math.floor(r / 32);
      const j = r % 32;
      const at = (col * blocks + blk) * blob;
      const code = bits === 8 ? b[at + j] : (b[at + (j >> 1)] >> ((j & 1) * 4)) & 0x0f;
      w[r * n + col] = (code - (bits === 8 ? 128 : 8)) * scales[col * blocks + blk];
    }
  }
  return w;
}

describe('MatMulNBits packing', () => {
  it('dequantizes to the values of ggml q4_0 and q8_0 blocks of each column', () => {
    const k = 64;
    const n = 3;
    const w = Float32Array.from({ length: k * n }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 7)) * 0.01);
    for (const bits of [4, 8] as const) {
      const { b, scales } = packMatMulNBits(w, k, n, bits);
      const got = dequantNBits(b, scales, k, n, bits);
      for (let col = 0; col < n; col++) {
        const column = Float32Array.from({ length: k }, (_, r) => w[r * n + col]);
        const ref = bits === 4 ? dequantizeQ4_0(quantizeQ4_0(column)) : dequantizeQ8_0(quantizeQ8_0(column));
        for (let r = 0; r < k; r++) expect(got[r * n + col]).toBe(ref[r]);
      }
    }
  });
});

let dir = '';
beforeAll(() => {
  const base = join(REPO_ROOT, 'resources', 'models', 'base');
  dir = mkdtempSync(join(tmpdir(), 'passk-nbits-'));
  mkdirSync(join(dir, 'onnx'));
  for (const f of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(base, f), join(dir, f));
  const source = readFileSync(join(base, 'onnx', 'model.onnx'));
  copyFileSync(join(base, 'onnx', 'model.onnx'), join(dir, 'onnx', 'model.onnx'));
  for (const level of [0, 4]) {
    for (const [bits, name] of [[4, 'q4'], [8, 'quantized']] as const) {
      const q = quantizeMatMulNBits(source, bits, 'base', level);
      expect(q.replaced).toBe(4 * 7 + 1);
      writeFileSync(join(dir, 'onnx', `model_${name}${level === 0 ? '_acc0' : ''}.onnx`), concat(q.pieces));
    }
  }
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('passk on MatMulNBits weights (bundled model)', () => {
  for (const dtype of ['q4', 'quantized', 'q4_acc0', 'quantized_acc0']) {
    it(`--dtype ${dtype}: the same samples at batch 1 and 8, step and resident`, async () => {
      const runs: number[][][] = [];
      for (const decode of ['step', 'resident'] as const) {
        const opened = await openEngine(dir, { ep: 'cpu', threads: 1, decode, dtype });
        if (!opened.ok) throw new Error(opened.error);
        expect(opened.value.folder.dtype).toBe(dtype);
        const { codec, decodePath } = opened.value;
        const ids = codec.encode(codec.formatPrompt('Compute 12 + 7 * 3 - 5.', 'chat', `{problem}\n${BOXED_INSTRUCTION}`));
        for (const batch of [1, 8]) {
          const samples = await decodePath.sample({
            promptIds: ids, stream: { seed: 3, modelId: 'nbits', problemId: 'p' }, start: 0, end: 8, batch,
            params: { temperature: 0.6, topP: 0.95, topK: 0, maxNewTokens: 48, stop: [] },
          });
          runs.push(samples.map((s) => s.tokenIds));
        }
        await opened.value.release();
      }
      expect(runs[0].every((t) => t.length > 0)).toBe(true);
      // The draws differ between samples (the check is not of eight copies of one greedy answer).
      expect(new Set(runs[0].map((t) => t.join(','))).size).toBeGreaterThan(1);
      for (const r of runs.slice(1)) expect(r).toEqual(runs[0]);
    });
  }
});
