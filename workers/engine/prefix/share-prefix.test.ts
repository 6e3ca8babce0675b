import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOXED_INSTRUCTION } from '../../../src/core/sampling/prompt-format.ts';
import { tileCache } from '../decoder-session.ts';
import { describeDecode, openEngine, type Engine } from '../open-engine.ts';
import type { GenerationParams } from '../sample-request.ts';
import { testModelDir } from '../../../test/support/test-model.ts';
import { sharePrefix } from './share-prefix.ts';

const model = testModelDir();
const PROBLEM = 'Start with 17, add 25, multiply by 3, subtract 9. What is the result?';
const params: GenerationParams = { temperature: 0.6, topP: 0.95, topK: 0, maxNewTokens: 48, stop: [] };
const maxDiff = (a: Float32Array, b: Float32Array): number => {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
};

describe.skipIf(!model)('shared-prefix decoder on the bundled model', () => {
  let stock: Engine;
  let shared: Engine;
  let promptIds: number[];
  beforeAll(async () => {
    const a = await openEngine(model!, { ep: 'cpu', sharePrefix: false });
    const b = await openEngine(model!, { ep: 'cpu' });
    if (!a.ok || !b.ok) throw new Error(!a.ok ? a.error : !b.ok ? b.error : '');
    stock = a.value;
    shared = b.value;
    promptIds = shared.codec.encode(shared.codec.formatPrompt(PROBLEM, 'chat', `{problem}\n${BOXED_INSTRUCTION}`));
  });
  afterAll(async () => {
    await stock?.release();
    await shared?.release();
  });

  it('is what the engine runs by default, and the stock graph is not rewritten when asked', () => {
    expect(shared.decoder.sharedPrefix).toBe(true);
    expect(shared.decoder.modelPath).not.toBe(shared.folder.onnxPath);
    expect(stock.decoder.sharedPrefix).toBe(false);
    expect(stock.decoder.modelPath).toBe(stock.folder.onnxPath);
  });

  it('computes the stock logits: prefill with an empty prefix, then rows that share the prompt', async () => {
    const a = await stock.decoder.forward(promptIds, 1, promptIds.length, stock.decoder.emptyCache(1), true);
    const b = await shared.decoder.forward(promptIds, 1, promptIds.length, shared.decoder.emptyCache(1), true);
    expect(maxDiff(a.logits, b.logits)).toBeLessThan(1e-4);
    const rows = 3;
    let cacheA = tileCache(a.present, rows);
    let cacheB = shared.decoder.cohortCache(b.present, rows);
    expect(cacheB.prefix?.length).toBe(promptIds.length);
    expect(cacheB.tensors[0].dims[2]).toBe(0);
    const tokens = shared.codec.encode('17+25=42\n42*3=126');
    for (let s = 0; s < 6; s++) {
      // Each row feeds a different token, so a row reading its neighbour's cache would show.
      const step = [0, 1, 2].map((r) => tokens[(s + r) % tokens.length]);
      const x = await stock.decoder.forward(step, rows, 1, cacheA);
      const y = await shared.decoder.forward(step, rows, 1, cacheB);
      expect(maxDiff(x.logits, y.logits)).toBeLessThan(1e-4);
      cacheA = x.present;
      cacheB = y.present;
      expect(cacheB.length).toBe(promptIds.length + s + 1);
      expect(cacheB.tensors[0].dims[2]).toBe(s + 1);
    }
  });

  it('draws the stock graph’s samples, up to last-bit rounding of the log-probs', async () => {
    const req = { promptIds, stream: { seed: 11, modelId: 'base', problemId: 'p1' }, start: 0, end: 32, params, batch: 32 };
    const a = await stock.sampler.sample(req);
    const b = await shared.sampler.sample(req);
    expect(b.map((s) => s.text)).toEqual(a.map((s) => s.text));
    for (let i = 0; i < a.length; i++) expect(b[i].logprob).toBeCloseTo(a[i].logprob, 4);
  });

  it('leaves a graph it does not recognise as it is, saying why', async () => {
    const fp16 = join(model!, 'onnx', 'model_fp16.onnx');
    const r = sharePrefix(readFileSync(fp16), fp16);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/model_fp16\.onnx: .*present\.0\.key/);
    const half = await openEngine(model!, { ep: 'cpu', dtype: 'fp16' });
    if (!half.ok) throw new Error(half.error);
    expect(half.value.decoder.sharedPrefix).toBe(false);
    expect(describeDecode(half.value)).toMatch(/prompt cache per row \(.*model_fp16\.onnx: present\.0\.key/);
    const samples = await half.value.sampler.sample({ promptIds, stream: { seed: 1, modelId: 'b', problemId: 'p' }, start: 0, end: 4, params, batch: 4 });
    await half.value.release();
    expect(samples).toHaveLength(4);
  });
});
