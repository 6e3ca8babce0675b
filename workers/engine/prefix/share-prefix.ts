import { GraphBuilder } from '../../../src/core/onnx/graph-builder.ts';
import { ATTR, externalLocations, GRAPH, MODEL, NODE, parseValueInfo, valueInfo, type Dim, type ValueInfo } from '../../../src/core/onnx/onnx-proto.ts';
import { fieldInts, fieldString, MessageWriter, readFields, type Field } from '../../../src/core/onnx/proto-wire.ts';
import type { Result } from '../../../src/core/result.ts';
import type { DerivedModel } from '../derived-model-file.ts';

/** The rewritten decoder's extra inputs: one prompt's KV cache, [1, kv_heads, P, head_dim]. */
export const prefixInput = (layer: number, kind: 'key' | 'value'): string => `passk_prefix.${layer}.${kind}`;

/** Their shape, from the model's past_key_values input `kv`. */
export const prefixShape = (kv: ValueInfo): Dim[] => [1, kv.shape?.[1] ?? null, 'prefix_length', kv.shape?.[3] ?? null];

/**
 * Rewrites an Optimum decoder-with-past so that the n rows drawing from one prompt read
 * that prompt's KV cache from one shared copy instead of n tiled ones.
 *
 * The stock graph attends over present = Concat(past, new) per row, so every decode step
 * copies the whole prompt cache of every row (for short answers after a long prompt,
 * most of a step's memory traffic). The rewrite adds inputs passk_prefix.{l}.key/value
 * [1, kv_heads, P, head_dim] and splits each attention in two along the key axis:
 *
 *   scores = Concat(Q·prefixKᵀ, Q·presentKᵀ)             (MatMul broadcasts the prefix)
 *   out    = probs[…, :P]·prefixV + probs[…, P:]·presentV
 *
 * past_key_values/present then hold only the tokens after the prefix. The attention mask
 * and position ids still span prefix + past + new, as before. An empty prefix (P = 0)
 * gives the stock model's results. Applies only where each present.{l}.key feeds one
 * Transpose(perm 0,1,3,2) → MatMul (as the B operand) and each present.{l}.value one
 * MatMul (as B), besides being a graph output; otherwise the result says why not and the
 * engine uses the stock graph.
 */
export function sharePrefix(source: Uint8Array, where: string): Result<DerivedModel> {
  const modelFields = readFields(source);
  const graphField = modelFields.find((f) => f.no === MODEL.graph);
  if (!graphField) return { ok: false, error: `${where}: ONNX model has no graph` };
  const graph = readFields(graphField.bytes);
  const nodes = graph.filter((f) => f.no === GRAPH.node).map(parseNode);
  const inputs = graph.filter((f) => f.no === GRAPH.input).map((f) => parseValueInfo(f.bytes));
  const layers = inputs.filter((i) => /^past_key_values\.\d+\.key$/.test(i.name)).length;
  const kv = inputs.find((i) => i.name === 'past_key_values.0.key');
  if (layers === 0 || !kv) return { ok: false, error: `${where}: no past_key_values inputs` };
  if (inputs.some((i) => i.name.startsWith('passk_prefix.'))) return { ok: false, error: `${where}: already rewritten` };

  const consumers = new Map<string, ParsedNode[]>();
  for (const n of nodes) for (const i of n.inputs) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const only = (value: string): ParsedNode | null => {
    const c = consumers.get(value) ?? [];
    return c.length === 1 ? c[0] : null;
  };

  const g = new GraphBuilder('passk_prefix/');
  const before = new Map<ParsedNode, MessageWriter[]>();
  const after = new Map<ParsedNode, MessageWriter[]>();
  const take = (): MessageWriter[] => g.nodes.splice(0);
  for (let l = 0; l < layers; l++) {
    const pk = prefixInput(l, 'key');
    const pv = prefixInput(l, 'value');
    const transpose = only(`present.${l}.key`);
    if (!transpose || transpose.opType !== 'Transpose' || !samePerm(transpose, [0, 1, 3, 2])) {
      return { ok: false, error: `${where}: present.${l}.key does not feed a single Transpose(0,1,3,2)` };
    }
    const scores = only(transpose.outputs[0]);
    if (!scores || scores.opType !== 'MatMul' || scores.inputs[1] !== transpose.outputs[0]) {
      return { ok: false, error: `${where}: layer ${l}: the transposed key does not feed one MatMul` };
    }
    const mix = only(`present.${l}.value`);
    if (!mix || mix.opType !== 'MatMul' || mix.inputs[1] !== `present.${l}.value`) {
      return { ok: false, error: `${where}: present.${l}.value does not feed one MatMul` };
    }
    // Scores: the prefix part, then the model's own (now over past + new only).
    const q = scores.inputs[0];
    const fullScores = scores.outputs[0];
    const ownScores = g.name(`scores_own_${l}`);
    scores.outputs[0] = ownScores;
    const prefixScores = g.op1('MatMul', [q, g.op1('Transpose', [pk], { perm: { ints: [0, 1, 3, 2] } })]);
    before.set(scores, take());
    g.op1('Concat', [prefixScores, ownScores], { axis: { int: -1 } }, fullScores);
    after.set(scores, take());
    // Values: split the probabilities at P.
    const probs = mix.inputs[0];
    const fullOut = mix.outputs[0];
    const ownOut = g.name(`mix_own_${l}`);
    mix.outputs[0] = ownOut;
    const length = g.op1('Slice', [g.op1('Shape', [pk]), g.int64([2]), g.int64([3])]);
    const minusOne = g.int64([-1]);
    const prefixProbs = g.op1('Slice', [probs, g.int64([0]), length, minusOne]);
    mix.inputs[0] = g.op1('Slice', [probs, length, g.int64([Number.MAX_SAFE_INTEGER]), minusOne]);
    const prefixOut = g.op1('MatMul', [prefixProbs, pv]);
    before.set(mix, take());
    g.op1('Add', [prefixOut, ownOut], {}, fullOut);
    after.set(mix, take());
  }

  const out = new MessageWriter();
  const lastInput = graph.filter((x) => x.no === GRAPH.input).at(-1);
  const externalFiles = new Set<string>();
  let nodeIndex = 0;
  for (const f of graph) {
    if (f.no === GRAPH.node) {
      const n = nodes[nodeIndex++];
      for (const w of before.get(n) ?? []) out.message(GRAPH.node, w);
      out.message(GRAPH.node, writeNode(n));
      for (const w of after.get(n) ?? []) out.message(GRAPH.node, w);
      continue;
    }
    out.raw(f.raw);
    if (f.no === GRAPH.initializer) for (const loc of externalLocations(f.bytes)) externalFiles.add(loc);
    if (f === lastInput) {
      for (let l = 0; l < layers; l++) {
        for (const kind of ['key', 'value'] as const) {
          out.message(GRAPH.input, valueInfo(prefixInput(l, kind), kv.elemType, prefixShape(kv)));
        }
      }
    }
  }
  const model = new MessageWriter();
  for (const f of modelFields) {
    if (f.no === MODEL.graph) model.message(MODEL.graph, out);
    else model.raw(f.raw);
  }
  return { ok: true, value: { pieces: model.pieces, externalFiles: [...externalFiles] } };
}

interface ParsedNode {
  inputs: string[];
  outputs: string[];
  opType: string;
  /** Every other field (name, attributes, domain…), kept as read. */
  rest: Field[];
}

function parseNode(field: Field): ParsedNode {
  const n: ParsedNode = { inputs: [], outputs: [], opType: '', rest: [] };
  for (const f of readFields(field.bytes)) {
    if (f.no === NODE.input) n.inputs.push(fieldString(f));
    else if (f.no === NODE.output) n.outputs.push(fieldString(f));
    else {
      if (f.no === NODE.opType) n.opType = fieldString(f);
      n.rest.push(f);
    }
  }
  return n;
}

function writeNode(n: ParsedNode): MessageWriter {
  const w = new MessageWriter();
  for (const i of n.inputs) w.string(NODE.input, i);
  for (const o of n.outputs) w.string(NODE.output, o);
  for (const f of n.rest) w.raw(f.raw);
  return w;
}

function samePerm(n: ParsedNode, want: readonly number[]): boolean {
  for (const f of n.rest) {
    if (f.no !== NODE.attribute) continue;
    const attr = readFields(f.bytes);
    if (attr.find((a) => a.no === ATTR.name && fieldString(a) === 'perm') === undefined) continue;
    const ints = attr.filter((a) => a.no === ATTR.ints).flatMap(fieldInts);
    return ints.length === want.length && ints.every((v, i) => v === want[i]);
  }
  return false;
}
