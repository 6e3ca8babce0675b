import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { sampleToken } from '../../../src/core/sampling/sample-token.ts';
import { GraphBuilder } from '../../../src/core/onnx/graph-builder.ts';
import { DTYPE, GRAPH, MODEL, OPSET, valueInfo } from '../../../src/core/onnx/onnx-proto.ts';
import { MessageWriter } from '../../../src/core/onnx/proto-wire.ts';
import { addSamplingNodes, type SamplingVariant } from './sampling-graph.ts';

/** The sampling nodes alone as a model: logits [B,V], u [B], T, top-k, top-p in; token, logprob, decided out. */
async function samplingSession(variant: SamplingVariant): Promise<ort.InferenceSession> {
  const g = new GraphBuilder('s/');
  const out = addSamplingNodes(g, { logits: 'logits', u: 'u', temperature: 't', topK: 'k', topP: 'p' }, variant);
  const graph = new MessageWriter().string(GRAPH.name, 'sampling');
  for (const n of g.nodes) graph.message(GRAPH.node, n);
  g.nodes.length = 0;
  g.op1('Identity', [out.token], {}, 'token');
  g.op1('Identity', [out.logprob], {}, 'logprob');
  g.op1('Identity', [out.decided], {}, 'decided');
  for (const n of g.nodes) graph.message(GRAPH.node, n);
  const inputs: [string, number, (number | string)[]][] = [
    ['logits', DTYPE.FLOAT, ['b', 'v']], ['u', DTYPE.DOUBLE, ['b']], ['t', DTYPE.DOUBLE, []], ['k', DTYPE.INT64, []], ['p', DTYPE.DOUBLE, []],
  ];
  for (const [name, type, shape] of inputs) graph.message(GRAPH.input, valueInfo(name, type, shape));
  for (const [name, type] of [['token', DTYPE.INT64], ['logprob', DTYPE.DOUBLE], ['decided', DTYPE.BOOL]] as const) {
    graph.message(GRAPH.output, valueInfo(name, type, ['b']));
  }
  const model = new MessageWriter().varint(MODEL.irVersion, 8)
    .message(MODEL.opsetImport, new MessageWriter().string(OPSET.domain, '').varint(OPSET.version, 17))
    .message(MODEL.graph, graph);
  return ort.InferenceSession.create(model.toBytes(), { executionProviders: ['cpu'] });
}

let seed = 99;
const rand = (): number => {
  seed = (seed * 48271) % 2147483647;
  return seed / 2147483647;
};

/** Rows with repeated values (ties), a peaked row, a flat row and a row of equal logits. */
function rows(batch: number, vocab: number): Float32Array {
  const x = new Float32Array(batch * vocab);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < vocab; i++) {
      const kind = b % 4;
      x[b * vocab + i] = kind === 0 ? Math.round(rand() * 8) / 2
        : kind === 1 ? 6 * (rand() - 0.5) ** 3 * 8
          : kind === 2 ? rand() * 0.01
            : 1.5;
    }
  }
  return x;
}

describe('sampling rule as ONNX ops vs the JS rule (src/core/sampling/sample-token.ts)', () => {
  const settings = [
    { temperature: 0.6, topK: 0, topP: 0.95 },
    { temperature: 1, topK: 0, topP: 1 },
    { temperature: 0.7, topK: 7, topP: 1 },
    { temperature: 1.3, topK: 12, topP: 0.5 },
    { temperature: 0, topK: 0, topP: 0.95 },
    { temperature: 0.9, topK: 1000, topP: 0.9 },
  ];
  for (const variant of [{ kind: 'exact' }, { kind: 'prefix', cap: 16 }] as SamplingVariant[]) {
    it(`picks the same token, and the same raw log-prob, on ties and edge rows (${variant.kind})`, async () => {
      const session = await samplingSession(variant);
      const batch = 16;
      const vocab = 301;
      let undecided = 0;
      for (const params of settings) {
        for (let trial = 0; trial < 6; trial++) {
          const logits = rows(batch, vocab);
          const u = Float64Array.from({ length: batch }, () => (trial === 0 ? 0 : trial === 1 ? 1 - 2 ** -53 : rand()));
          const out = await session.run({
            logits: new ort.Tensor('float32', logits, [batch, vocab]),
            u: new ort.Tensor('float64', u, [batch]),
            t: new ort.Tensor('float64', Float64Array.of(params.temperature), []),
            k: new ort.Tensor('int64', BigInt64Array.of(BigInt(params.topK)), []),
            p: new ort.Tensor('float64', Float64Array.of(params.topP), []),
          });
          const tokens = out.token.data as BigInt64Array;
          const logprobs = out.logprob.data as Float64Array;
          const decided = out.decided.data as Uint8Array;
          for (let b = 0; b < batch; b++) {
            if (!decided[b]) {
              undecided++;
              continue;
            }
            const want = sampleToken(logits.subarray(b * vocab, (b + 1) * vocab), params, u[b]);
            expect({ b, params, token: Number(tokens[b]) }).toEqual({ b, params, token: want.token });
            expect(Math.abs(logprobs[b] - want.logprob)).toBeLessThan(1e-12);
          }
        }
      }
      if (variant.kind === 'exact') expect(undecided).toBe(0);
      else expect(undecided).toBeGreaterThan(0);
      await session.release();
    });
  }
});
