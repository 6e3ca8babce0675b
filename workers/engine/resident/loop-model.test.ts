import { describe, expect, it } from 'vitest';
import { DTYPE, GRAPH, MODEL, OPSET, tensor, valueInfo } from '../../../src/core/onnx/onnx-proto.ts';
import { fieldString, MessageWriter, readFields } from '../../../src/core/onnx/proto-wire.ts';
import { buildLoopModel } from './loop-model.ts';

const EXACT = { kind: 'exact' } as const;
const WEIGHT = new Uint8Array(4096).map((_, i) => (i * 7) % 256);

/** A decoder-shaped ModelProto (I/O and one weight; no nodes: the rewrite never looks inside them). */
function fakeDecoder(opts: { opset?: number; dropOutput?: string; extraInput?: string } = {}): Uint8Array {
  const g = new MessageWriter().string(GRAPH.name, 'fake');
  g.message(GRAPH.initializer, tensor('w', DTYPE.FLOAT, [1024], WEIGHT));
  const inputs = ['input_ids', 'attention_mask', 'position_ids', 'past_key_values.0.key', 'past_key_values.0.value'];
  if (opts.extraInput) inputs.push(opts.extraInput);
  for (const name of inputs) g.message(GRAPH.input, valueInfo(name, name.startsWith('past') ? DTYPE.FLOAT : DTYPE.INT64, null));
  for (const name of ['logits', 'present.0.key', 'present.0.value']) {
    if (name !== opts.dropOutput) g.message(GRAPH.output, valueInfo(name, DTYPE.FLOAT, null));
  }
  const opset = new MessageWriter().string(OPSET.domain, '').varint(OPSET.version, opts.opset ?? 14);
  return new MessageWriter().varint(MODEL.irVersion, 8).message(MODEL.opsetImport, opset).message(MODEL.graph, g).toBytes();
}

describe('buildLoopModel', () => {
  it('keeps the weights as views of the source (no copy) and wraps the decoder in one Loop', () => {
    const source = fakeDecoder();
    const built = buildLoopModel(source, 'fake.onnx', EXACT);
    if (!built.ok) throw new Error(built.error);
    expect(built.value.numLayers).toBe(1);
    const weightPieces = built.value.pieces.filter((p) => p.buffer === source.buffer && p.length > WEIGHT.length);
    expect(weightPieces).toHaveLength(1);
    const out = new MessageWriter();
    for (const p of built.value.pieces) out.raw(p);
    const graph = readFields(readFields(out.toBytes()).find((f) => f.no === MODEL.graph)!.bytes);
    const opTypes = graph.filter((f) => f.no === GRAPH.node).map((n) => readFields(n.bytes).filter((f) => f.no === 4).map(fieldString)[0]);
    expect(opTypes).toEqual(['Constant', 'Loop']);
    expect(graph.filter((f) => f.no === GRAPH.initializer)).toHaveLength(1);
  });

  it('names what is missing or unexpected, and the file', () => {
    const missing = buildLoopModel(fakeDecoder({ dropOutput: 'present.0.value' }), '/m/model.onnx', EXACT);
    expect(missing).toEqual({ ok: false, error: expect.stringContaining('/m/model.onnx: cannot build the resident decoder: missing output present.0.value') });
    const extra = buildLoopModel(fakeDecoder({ extraInput: 'token_type_ids' }), 'x.onnx', EXACT);
    expect(extra.ok ? '' : extra.error).toContain('unexpected input token_type_ids');
  });

  it('refuses opsets before 13 and bytes that are not a model', () => {
    const old = buildLoopModel(fakeDecoder({ opset: 11 }), 'old.onnx', EXACT);
    expect(old.ok ? '' : old.error).toMatch(/old\.onnx: opset 11; .*opset ≥ 13/);
    const junk = buildLoopModel(Uint8Array.of(0x0a, 0xff), 'junk.onnx', EXACT);
    expect(junk.ok ? '' : junk.error).toMatch(/^junk\.onnx: /);
  });
});
