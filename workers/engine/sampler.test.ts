import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logSumExp } from '../../src/core/sampling/sample-token.ts';
import { BOXED_INSTRUCTION } from '../../src/core/sampling/prompt-format.ts';
import { findStop } from '../../src/core/sampling/stop-strings.ts';
import { openEngine, type Engine } from './open-engine.ts';
import type { GenerationParams, Sample } from './sample-request.ts';
import { testModelDir } from '../../test/support/test-model.ts';

const model = testModelDir();
const stream = { seed: 11, modelId: 'base', problemId: 'p1' };
// The bundled models' training format (tools/modelzoo): the problem, then the paper's instruction.
// Five steps: long enough that the 32 samples differ (a short one the trained models mostly get
// right the same way), so that drawing them in other batch sizes is a real check.
const PROBLEM = 'Start with 17, add 25, multiply by 3, subtract 9, add 14, subtract 60. What is the result?';
const TEMPLATE = `{problem}\n${BOXED_INSTRUCTION}`;
const params: GenerationParams = { temperature: 0.6, topP: 0.95, topK: 0, maxNewTokens: 48, stop: [] };

describe.skipIf(!model)('sampler on the bundled model', () => {
  let engine: Engine;
  let promptIds: number[];
  beforeAll(async () => {
    const r = await openEngine(model!, { ep: 'cpu' });
    if (!r.ok) throw new Error(r.error);
    engine = r.value;
    promptIds = engine.codec.encode(engine.codec.formatPrompt(PROBLEM, engine.codec.hasChatTemplate ? 'chat' : 'raw', TEMPLATE));
  });
  afterAll(async () => engine?.release());

  const draw = (batch: number, start = 0, end = 32, p: GenerationParams = params): Promise<Sample[]> =>
    engine.sampler.sample({ promptIds, stream, start, end, params: p, batch });

  it('draws the same 32 samples bit for bit with batch 1, 4, 8 and 32, and in shards', async () => {
    const reference = await draw(32);
    expect(reference.map((s) => s.index)).toEqual([...Array(32).keys()]);
    expect(new Set(reference.map((s) => s.text)).size).toBeGreaterThan(16);
    for (const batch of [1, 4, 8]) expect(await draw(batch)).toEqual(reference);
    const shards = [...(await draw(4, 0, 10)), ...(await draw(32, 10, 25)), ...(await draw(8, 25, 32))];
    expect(shards).toEqual(reference);
  });

  it('draws the same 32 samples with the default decode path at batch 1, 4, 8 and 32 (log-probs to rounding)', async () => {
    const drawDefault = (batch: number): Promise<Sample[]> =>
      engine.decodePath.sample({ promptIds, stream, start: 0, end: 32, params, batch });
    expect(engine.decodePath.name).toBe('resident');
    const reference = await draw(32);
    // The ONNX Loop's shared-prompt GEMM blocks differently per batch size: texts and tokens
    // are the same bit for bit, summed log-probabilities agree to float rounding.
    const strip = (samples: Sample[]) => samples.map(({ logprob: _, tokenLogprobs: __, ...rest }) => rest);
    for (const batch of [1, 4, 8, 32]) {
      const got = await drawDefault(batch);
      expect(strip(got)).toEqual(strip(reference));
      got.forEach((s, i) => {
        expect(Math.abs(s.logprob - reference[i].logprob)).toBeLessThan(1e-9);
        s.tokenLogprobs.forEach((lp, t) => expect(Math.abs(lp - reference[i].tokenLogprobs[t])).toBeLessThan(1e-9));
      });
    }
  });

  it('draws the same samples whatever the number of onnxruntime threads', async () => {
    const reference = await draw(8, 0, 8);
    for (const threads of [1, 3]) {
      const other = await openEngine(model!, { ep: 'cpu', threads });
      if (!other.ok) throw new Error(other.error);
      const got = await other.value.sampler.sample({ promptIds, stream, start: 0, end: 8, params, batch: 8 });
      await other.value.release();
      expect(got).toEqual(reference);
    }
  });

  it('ends at EOS with finish "stop" and at max_new_tokens with finish "length"', async () => {
    const samples = await draw(16, 0, 32, { ...params, maxNewTokens: 200 });
    const eos = engine.codec.eosTokenIds;
    let sawEos = 0;
    let sawLength = 0;
    for (const s of samples) {
      const last = s.tokenIds[s.tokenIds.length - 1];
      expect(s.tokenIds.slice(0, -1).some((t) => eos.has(t))).toBe(false);
      if (eos.has(last)) {
        sawEos++;
        expect(s.finish).toBe('stop');
        expect(s.text).toBe(engine.codec.decode(s.tokenIds.slice(0, -1)));
      } else {
        sawLength++;
        expect(s.finish).toBe('length');
        expect(s.tokenIds.length).toBe(200);
      }
      expect(s.logprob).toBe(s.tokenLogprobs.reduce((a, b) => a + b, 0));
    }
    expect(sawEos).toBeGreaterThan(0);
    const short = await draw(8, 0, 8, { ...params, maxNewTokens: 3 });
    for (const s of short) {
      expect(s.tokenIds.length).toBeLessThanOrEqual(3);
      expect(s.finish).toBe(eos.has(s.tokenIds[s.tokenIds.length - 1]) ? 'stop' : 'length');
    }
    expect(sawEos + sawLength).toBe(32);
  });

  it('cuts the text at the first stop string, on the token that completes it', async () => {
    const free = await draw(8, 0, 8, { ...params, maxNewTokens: 64 });
    const victim = free.find((s) => s.text.length >= 12)!;
    expect(victim).toBeDefined();
    const stop = victim.text.slice(8, 10);
    const stopped = (await draw(8, 0, 8, { ...params, maxNewTokens: 64, stop: [stop, 'never-generated-§'] }))
      .find((s) => s.index === victim.index)!;
    expect(stopped.finish).toBe('stop');
    expect(stopped.text).toBe(victim.text.slice(0, findStop(victim.text, [stop])));
    // Same random stream, so the same tokens up to the stop, and not one more.
    expect(victim.tokenIds.slice(0, stopped.tokenIds.length)).toEqual(stopped.tokenIds);
    expect(engine.codec.decode(stopped.tokenIds)).toContain(stop);
    expect(engine.codec.decode(stopped.tokenIds.slice(0, -1))).not.toContain(stop);
  });

  it('reports log-probabilities that agree with one direct forward pass over prompt + answer', async () => {
    const [s] = await draw(1, 3, 4);
    const ids = [...promptIds, ...s.tokenIds];
    const out = await engine.decoder.forward(ids, 1, ids.length, engine.decoder.emptyCache(1), true);
    const v = out.vocab;
    s.tokenIds.forEach((t, j) => {
      const row = out.logits.subarray((promptIds.length - 1 + j) * v, (promptIds.length + j) * v);
      expect(Math.abs(s.tokenLogprobs[j] - (row[t] - logSumExp(row)))).toBeLessThan(1e-4);
    });
  });

  it('prefills a prompt in chunks with the same log-probabilities', async () => {
    const { Sampler } = await import('./sampler.ts');
    const chunked = new Sampler(engine.decoder, engine.codec, 5);
    const [a] = await chunked.sample({ promptIds, stream, start: 2, end: 3, params, batch: 1 });
    const [b] = await draw(1, 2, 3);
    expect(a.tokenIds.length).toBeGreaterThan(0);
    const n = Math.min(a.tokenIds.length, b.tokenIds.length);
    for (let j = 0; j < n && a.tokenIds[j] === b.tokenIds[j]; j++) {
      expect(Math.abs(a.tokenLogprobs[j] - b.tokenLogprobs[j])).toBeLessThan(1e-4);
    }
    expect(a.tokenIds[0]).toBe(b.tokenIds[0]);
  });

  it('scores a sampled answer to the log-probabilities sampling reported', async () => {
    const samples = await draw(8, 0, 8, { ...params, maxNewTokens: 64 });
    for (const s of samples.slice(0, 4)) {
      const scored = await engine.scorer.score(promptIds, s.tokenIds);
      expect(scored.tokenLogprobs).toHaveLength(s.tokenIds.length);
      scored.tokenLogprobs.forEach((lp, j) => expect(Math.abs(lp - s.tokenLogprobs[j])).toBeLessThan(1e-4));
      expect(Math.abs(scored.logprob - s.logprob)).toBeLessThan(1e-3);
    }
    // From text: the tokenizer gives back the sampled ids when they are its own segmentation.
    const s = samples.find((x) => x.finish === 'length' && JSON.stringify(engine.codec.encode(x.text)) === JSON.stringify(x.tokenIds));
    if (s) {
      const byText = await engine.scorer.score(promptIds, engine.codec.encode(s.text));
      expect(Math.abs(byText.logprob - s.logprob)).toBeLessThan(1e-3);
    }
  });

  it('scores long completions in chunks with the same numbers', async () => {
    const [s] = await draw(1, 5, 6, { ...params, maxNewTokens: 40 });
    const whole = await engine.scorer.score(promptIds, s.tokenIds);
    const { Scorer } = await import('./scorer.ts');
    const chunked = await new Scorer(engine.decoder, 7).score(promptIds, s.tokenIds);
    chunked.tokenLogprobs.forEach((lp, j) => expect(Math.abs(lp - whole.tokenLogprobs[j])).toBeLessThan(1e-4));
  });
});

describe.skipIf(!model || !existsSync(join(model ?? '', 'onnx', 'model_fp16.onnx')))('fp16 variant', () => {
  it('feeds fp16 KV tensors and samples', async () => {
    const r = await openEngine(model!, { ep: 'cpu', dtype: 'fp16' });
    if (!r.ok) throw new Error(r.error);
    const e = r.value;
    try {
      expect(e.decoder.signature.kvType).toBe('float16');
      const ids = e.codec.encode(e.codec.formatPrompt(PROBLEM, e.codec.hasChatTemplate ? 'chat' : 'raw', TEMPLATE));
      const a = await e.sampler.sample({ promptIds: ids, stream, start: 0, end: 4, params, batch: 4 });
      const b = await e.sampler.sample({ promptIds: ids, stream, start: 0, end: 4, params, batch: 1 });
      expect(a).toEqual(b);
      for (const s of a) expect(Number.isFinite(s.logprob)).toBe(true);
    } finally {
      await e.release();
    }
  });
});

if (!model) {
  describe('sampler tests', () => {
    it.skip('need resources/models/base (the bundled model) or PASSK_TEST_MODEL', () => {});
  });
}
