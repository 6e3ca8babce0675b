import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../workers/engine/open-engine.ts';
import type { GenerationParams, Sample } from '../workers/engine/sample-request.ts';
import { testModelDir } from './support/test-model.ts';
import { listOnnxVariants, readModelFolder } from '../src/node/model-folder/read-model-folder.ts';
import { GRAPH, MODEL, TENSOR } from '../src/core/onnx/onnx-proto.ts';
import { MessageWriter, readFields } from '../src/core/onnx/proto-wire.ts';
import { ResidentDecoder } from '../workers/engine/resident/resident-decoder.ts';
import { ResidentSampler } from '../workers/engine/resident/resident-sampler.ts';
import { openDecodePath } from '../workers/engine/resident/open-decode-path.ts';

const model = testModelDir();
if (!model) console.warn('resident-decode: skipped: resources/models/base is missing (set PASSK_TEST_MODEL to a model folder to run it)');
const stream = { seed: 7, modelId: 'base', problemId: 'resident' };
const nucleus: GenerationParams = { temperature: 0.6, topP: 0.95, topK: 0, maxNewTokens: 41, stop: [] };

/** Tokens, text and finish equal; log-probs within 1e-9 (graph exp/log vs V8's may differ in the last bit). */
function expectSameSamples(got: Sample[], want: Sample[]): void {
  expect(got.map((s) => s.index)).toEqual(want.map((s) => s.index));
  got.forEach((s, i) => {
    const w = want[i];
    expect({ index: s.index, tokenIds: s.tokenIds, text: s.text, finish: s.finish })
      .toEqual({ index: w.index, tokenIds: w.tokenIds, text: w.text, finish: w.finish });
    s.tokenLogprobs.forEach((lp, t) => expect(Math.abs(lp - w.tokenLogprobs[t])).toBeLessThan(1e-9));
    expect(Math.abs(s.logprob - w.logprob)).toBeLessThan(1e-8);
  });
}

describe.skipIf(!model)('GPU-resident decode path on the CPU EP', () => {
  let engine: Engine;
  let resident: ResidentDecoder;
  let promptIds: number[];
  const cacheDir = mkdtempSync(join(tmpdir(), 'passk-resident-'));
  const previousCache = process.env.PASSK_RESIDENT_CACHE;

  beforeAll(async () => {
    process.env.PASSK_RESIDENT_CACHE = cacheDir;
    const opened = await openEngine(model!, { ep: 'cpu' });
    if (!opened.ok) throw new Error(opened.error);
    engine = opened.value;
    const r = await ResidentDecoder.open(engine.decoder);
    if (!r.ok) throw new Error(r.error);
    resident = r.value;
    promptIds = engine.codec.encode(engine.codec.formatPrompt('Compute 17 * 23 - 45 + 8.', 'qwen-boxed'));
  });
  afterAll(async () => {
    await resident?.release();
    await engine?.release();
    rmSync(cacheDir, { recursive: true, force: true });
    if (previousCache === undefined) delete process.env.PASSK_RESIDENT_CACHE;
    else process.env.PASSK_RESIDENT_CACHE = previousCache;
  });

  const both = async (params: GenerationParams, chunk: number, n = 12, batch = n): Promise<[Sample[], Sample[]]> => {
    const req = { promptIds, stream, start: 0, end: n, params, batch };
    const step = await engine.sampler.sample(req);
    const res = await new ResidentSampler(engine.decoder, resident, engine.codec, { chunk }).sample(req);
    return [res, step];
  };

  it('equals the step engine token for token at temperature 0.6, top-p 0.95 (chunk 7, up to 41 tokens)', async () => {
    const [res, step] = await both(nucleus, 7);
    expect(new Set(step.map((s) => s.text)).size, 'the draws should differ, or u was never used').toBeGreaterThan(1);
    expectSameSamples(res, step);
  });

  it('is chosen by name through openDecodePath, with the same samples as the step path', async () => {
    const req = { promptIds, stream, start: 3, end: 9, params: { ...nucleus, maxNewTokens: 17 }, batch: 4 };
    const paths = await Promise.all((['step', 'resident'] as const).map((name) => openDecodePath(engine, name, { chunk: 4 })));
    const [step, res] = paths.map((p) => { if (!p.ok) throw new Error(p.error); return p.value; });
    expectSameSamples(await res.sample(req), await step.sample(req));
    await Promise.all([step.release(), res.release()]);
  });

  it('equals the step engine with the GPU (prefix) variant, including steps the host must finish', async () => {
    // cap 3 of this small vocabulary: many steps end outside the prefix, so the Loop stops
    // there and the host samples that step from the returned logits.
    for (const cap of [3, 1024]) {
      const r = await ResidentDecoder.open(engine.decoder, { variant: { kind: 'prefix', cap } });
      if (!r.ok) throw new Error(r.error);
      let undecidedSteps = 0;
      const run = r.value.run.bind(r.value);
      r.value.run = async (input) => {
        const out = await run(input);
        undecidedSteps += out.steps < input.steps ? 1 : 0;
        return out;
      };
      for (const params of [nucleus, { ...nucleus, topK: 5, topP: 1, temperature: 1 }, { ...nucleus, topK: 2, topP: 0.7 }]) {
        const req = { promptIds, stream, start: 0, end: 8, params: { ...params, maxNewTokens: 29 }, batch: 8 };
        const step = await engine.sampler.sample(req);
        const res = await new ResidentSampler(engine.decoder, r.value, engine.codec, { chunk: 9 }).sample(req);
        expectSameSamples(res, step);
      }
      await r.value.release();
      if (cap === 3) expect(undecidedSteps).toBeGreaterThan(0);
      else expect(undecidedSteps).toBe(0);
    }
  });

  it('equals the step engine with top-k 5, with top-k and top-p together, and greedy', async () => {
    for (const params of [
      { ...nucleus, topK: 5, topP: 1, temperature: 1 },
      { ...nucleus, topK: 20, topP: 0.8, temperature: 0.9 },
      { ...nucleus, temperature: 0 },
    ]) {
      const [res, step] = await both({ ...params, maxNewTokens: 23 }, 5, 6);
      expectSameSamples(res, step);
    }
  });

  it('equals the step engine when rows finish at different steps (EOS, stop string, length) and cohorts are split', async () => {
    // Settings under which this model's rows end at different steps, some by EOS or a stop
    // string and some by length: found from the step engine's own draws, so the test holds
    // for whichever bundled model is committed.
    const hot: GenerationParams = { ...nucleus, temperature: 1 };
    const draw = (params: GenerationParams) => engine.sampler.sample({ promptIds, stream, start: 0, end: 12, params, batch: 12 });
    const free = await draw(hot);
    const chars = [...new Set(free.flatMap((s) => [...s.text]))].filter((c) => c.trim() !== '');
    let chosen: GenerationParams | null = null;
    search: for (const stop of [[], ...chars.map((c) => [c])]) {
      const lengths = [...new Set((await draw({ ...hot, stop })).map((s) => s.tokenIds.length))].sort((a, b) => a - b);
      // Capped one token short of a row's own length: the shorter rows end by EOS or stop, the
      // rest by length. Tried from the longest, so that most rows end their own way.
      for (const length of lengths.slice(1).reverse()) {
        const params = { ...hot, stop, maxNewTokens: length - 1 };
        const got = await draw(params);
        if (new Set(got.map((s) => s.finish)).size === 2 && new Set(got.map((s) => s.tokenIds.length)).size > 2) {
          chosen = params;
          break search;
        }
      }
    }
    expect(chosen, 'no setting where rows of this model end at different steps').not.toBeNull();
    const [res, step] = await both(chosen!, 3, 12, 5);
    expectSameSamples(res, step);
    expect(new Set(step.map((s) => s.finish))).toEqual(new Set(['stop', 'length']));
  });
});

/** Rewrites an ONNX file so every initializer of ≥ 1 KiB lives in `<file>_data` (as Optimum does for big models). */
function externalizeWeights(onnxPath: string): void {
  const dataName = `${basename(onnxPath)}_data`;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const model = new MessageWriter();
  for (const f of readFields(readFileSync(onnxPath))) {
    if (f.no !== MODEL.graph) {
      model.raw(f.raw);
      continue;
    }
    const graph = new MessageWriter();
    for (const g of readFields(f.bytes)) {
      const raw = g.no === GRAPH.initializer ? readFields(g.bytes).find((t) => t.no === TENSOR.rawData) : undefined;
      if (!raw || raw.bytes.length < 1024) {
        graph.raw(g.raw);
        continue;
      }
      const t = new MessageWriter();
      for (const field of readFields(g.bytes)) if (field.no !== TENSOR.rawData) t.raw(field.raw);
      for (const [key, value] of [['location', dataName], ['offset', String(offset)], ['length', String(raw.bytes.length)]]) {
        t.message(TENSOR.externalData, new MessageWriter().string(1, key).string(2, value));
      }
      t.varint(TENSOR.dataLocation, 1);
      chunks.push(raw.bytes);
      offset += raw.bytes.length;
      graph.message(GRAPH.initializer, t);
    }
    model.message(MODEL.graph, graph);
  }
  expect(chunks.length).toBeGreaterThan(0);
  writeFileSync(join(dirname(onnxPath), dataName), Buffer.concat(chunks));
  writeFileSync(onnxPath, model.toBytes());
}

describe.skipIf(!model)('resident decode on other layouts of the same model', () => {
  const fp16 = model ? listOnnxVariants(model).some((v) => v.dtype === 'fp16') : false;
  const cases = [
    { label: 'weights in an external .onnx_data file', dtype: undefined, externalize: true },
    ...(fp16 ? [{ label: 'the fp16 variant (fp16 KV cache)', dtype: 'fp16', externalize: false }] : []),
  ];
  it.each(cases)('equals the step engine with $label', async ({ dtype, externalize }) => {
    const work = mkdtempSync(join(tmpdir(), 'passk-resident-layout-'));
    const previousCache = process.env.PASSK_RESIDENT_CACHE;
    process.env.PASSK_RESIDENT_CACHE = join(work, 'cache');
    try {
      let dir = model!;
      if (externalize) {
        dir = join(work, 'model');
        cpSync(model!, dir, { recursive: true });
        const folder = readModelFolder(dir);
        if (!folder.ok) throw new Error(folder.error);
        externalizeWeights(folder.value.onnxPath);
      }
      const opened = await openEngine(dir, { ep: 'cpu', dtype });
      if (!opened.ok) throw new Error(opened.error);
      const engine = opened.value;
      const r = await ResidentDecoder.open(engine.decoder);
      if (!r.ok) throw new Error(r.error);
      if (externalize) {
        // Beside the model, so the weights' relative location still resolves; not in the cache.
        expect(dirname(r.value.path)).toBe(dirname(engine.folder.onnxPath));
        expect(existsSync(join(work, 'cache')) ? readdirSync(join(work, 'cache')) : []).toEqual([]);
      } else {
        expect(relative(join(work, 'cache'), r.value.path).startsWith('..')).toBe(false);
      }
      const promptIds = engine.codec.encode(engine.codec.formatPrompt('Add 5 and 9.', engine.codec.hasChatTemplate ? 'chat' : 'raw'));
      const req = { promptIds, stream, start: 0, end: 6, params: { ...nucleus, maxNewTokens: 25 }, batch: 6 };
      const step = await engine.sampler.sample(req);
      const res = await new ResidentSampler(engine.decoder, r.value, engine.codec, { chunk: 6 }).sample(req);
      await r.value.release();
      await engine.release();
      expectSameSamples(res, step);
    } finally {
      if (previousCache === undefined) delete process.env.PASSK_RESIDENT_CACHE;
      else process.env.PASSK_RESIDENT_CACHE = previousCache;
      rmSync(work, { recursive: true, force: true });
    }
  });
});
