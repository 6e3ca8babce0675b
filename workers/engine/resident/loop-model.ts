import { GraphBuilder } from '../../../src/core/onnx/graph-builder.ts';
import {
  DTYPE, externalLocations, GRAPH, MODEL, OPSET, parseValueInfo, valueInfo, type ValueInfo,
} from '../../../src/core/onnx/onnx-proto.ts';
import { fieldInt, fieldString, MessageWriter, readFields, type Field } from '../../../src/core/onnx/proto-wire.ts';
import type { Result } from '../../../src/core/result.ts';
import { ensureDerivedModel, type DerivedModel } from '../derived-model-file.ts';
import { prefixInput, prefixShape } from '../prefix/share-prefix.ts';
import { addSamplingNodes, type SamplingVariant } from './sampling-graph.ts';

/** Names of the rewritten model's inputs and outputs (the "loop_in/…", "loop_out/…" scope). */
export const LOOP_IO = {
  steps: 'loop_in/steps',
  token: 'loop_in/token',
  mask: 'loop_in/attention_mask',
  position: 'loop_in/position',
  uniforms: 'loop_in/uniforms',
  temperature: 'loop_in/temperature',
  topK: 'loop_in/top_k',
  topP: 'loop_in/top_p',
  /** float [batch, 0]: seeds the carried logits (prefix variant: the last step's, for the host). */
  logits: 'loop_in/logits',
  past: (layer: number, kind: 'key' | 'value') => `loop_in/past.${layer}.${kind}`,
  tokenOut: 'loop_out/token',
  maskOut: 'loop_out/attention_mask',
  positionOut: 'loop_out/position',
  logitsOut: 'loop_out/logits',
  present: (layer: number, kind: 'key' | 'value') => `loop_out/present.${layer}.${kind}`,
  tokens: 'loop_out/tokens',
  logprobs: 'loop_out/logprobs',
  /** bool [steps, batch]: false where the graph could not finish the rule (see SamplingVariant). */
  decided: 'loop_out/decided',
} as const;

export interface LoopModel extends DerivedModel {
  numLayers: number;
  kvElemType: number;
}

/** Bumped whenever the rewritten graph changes, so stale cached files are not reused. */
const FORMAT = 'passk-loop-v3';

/** The Loop-wrapped model for `onnxPath` (built once, then reused; see ensureDerivedModel). */
export function ensureLoopModel(onnxPath: string, variant: SamplingVariant): Result<string> {
  return ensureDerivedModel(onnxPath, 'loop', `${FORMAT}\0${JSON.stringify(variant)}`, (source) => buildLoopModel(source, onnxPath, variant));
}

const MIN_OPSET = 13;
const KNOWN_OPTIONAL = new Set(['position_ids', 'use_cache_branch', 'logits_to_keep', 'num_logits_to_keep']);

/**
 * Wraps an Optimum decoder-with-past in an ONNX Loop that decodes `loop_in/steps` tokens
 * per run: each iteration feeds the carried token, samples the next one in-graph from
 * `loop_in/uniforms`[iteration], and carries the KV cache, attention mask and position.
 * The decoder's nodes become the loop body unchanged; its weights stay initializers of
 * the outer graph, read by the body through outer-scope names, so nothing is duplicated.
 */
export function buildLoopModel(source: Uint8Array, where: string, variant: SamplingVariant): Result<LoopModel> {
  let modelFields: Field[];
  try {
    modelFields = readFields(source);
  } catch (error) {
    return { ok: false, error: `${where}: not an ONNX model: ${(error as Error).message}` };
  }
  const graphField = modelFields.find((f) => f.no === MODEL.graph);
  if (!graphField) return { ok: false, error: `${where}: ONNX model has no graph` };
  const opset = mainOpset(modelFields);
  if (opset < MIN_OPSET) {
    return { ok: false, error: `${where}: opset ${opset}; the resident decoder needs opset ≥ ${MIN_OPSET} (re-export with --opset 14 or later)` };
  }
  const graph = readFields(graphField.bytes);
  const inputs = graph.filter((f) => f.no === GRAPH.input).map((f) => ({ field: f, info: parseValueInfo(f.bytes) }));
  const outputs = graph.filter((f) => f.no === GRAPH.output).map((f) => ({ field: f, info: parseValueInfo(f.bytes) }));
  const initializerNames = new Set(graph.filter((f) => f.no === GRAPH.initializer).map(tensorName));
  const realInputs = inputs.filter((i) => !initializerNames.has(i.info.name));
  const layers = realInputs.filter((i) => /^past_key_values\.\d+\.key$/.test(i.info.name)).length;
  const byName = new Map(realInputs.map((i) => [i.info.name, i]));
  const outByName = new Map(outputs.map((o) => [o.info.name, o]));
  const problems: string[] = [];
  for (const name of ['input_ids', 'attention_mask']) if (!byName.has(name)) problems.push(`missing input ${name}`);
  if (!outByName.has('logits')) problems.push('missing output logits');
  for (let l = 0; l < layers; l++) {
    for (const kind of ['key', 'value']) {
      if (!byName.has(`past_key_values.${l}.${kind}`)) problems.push(`missing input past_key_values.${l}.${kind}`);
      if (!outByName.has(`present.${l}.${kind}`)) problems.push(`missing output present.${l}.${kind}`);
    }
  }
  // A source rewritten by sharePrefix: the Loop reads passk_prefix.* from outside.
  const sharedPrefix = byName.has(prefixInput(0, 'key'));
  for (const name of byName.keys()) {
    if (!/^(past_key_values|passk_prefix)\.\d+\.(key|value)$/.test(name) && !['input_ids', 'attention_mask'].includes(name) && !KNOWN_OPTIONAL.has(name)) {
      problems.push(`unexpected input ${name}`);
    }
  }
  if (layers === 0) problems.push('no past_key_values inputs');
  if (problems.length > 0) return { ok: false, error: `${where}: cannot build the resident decoder: ${problems.join('; ')}` };
  const kv = byName.get('past_key_values.0.key')!.info;

  const body = buildBody(graph, byName, outByName, layers, variant);
  const outer = new MessageWriter().string(GRAPH.name, 'passk_resident_decoder');
  const g = new GraphBuilder('passk_outer/');
  const cond = g.bool([true], [], 'loop_in/cond');
  const loopInputs = [LOOP_IO.steps, cond, LOOP_IO.token, LOOP_IO.mask, LOOP_IO.position, LOOP_IO.logits];
  const loopOutputs: string[] = [LOOP_IO.tokenOut, LOOP_IO.maskOut, LOOP_IO.positionOut, LOOP_IO.logitsOut];
  for (let l = 0; l < layers; l++) {
    for (const kind of ['key', 'value'] as const) {
      loopInputs.push(LOOP_IO.past(l, kind));
      loopOutputs.push(LOOP_IO.present(l, kind));
    }
  }
  loopOutputs.push(LOOP_IO.tokens, LOOP_IO.logprobs, LOOP_IO.decided);
  g.op('Loop', loopInputs, { body: { graph: body } }, loopOutputs);
  for (const n of g.nodes) outer.message(GRAPH.node, n);

  const externalFiles = new Set<string>();
  for (const f of graph) {
    if (f.no === GRAPH.initializer || f.no === 15 /* sparse_initializer */) {
      outer.raw(f.raw);
      if (f.no === GRAPH.initializer) for (const loc of externalLocations(f.bytes)) externalFiles.add(loc);
    }
  }
  const kvShape = (dims: string): ValueInfo['shape'] => ['batch', kv.shape?.[1] ?? null, dims, kv.shape?.[3] ?? null];
  const ins: [string, number, ValueInfo['shape']][] = [
    [LOOP_IO.steps, DTYPE.INT64, []],
    [LOOP_IO.token, DTYPE.INT64, ['batch']],
    [LOOP_IO.mask, DTYPE.INT64, ['batch', 'past']],
    [LOOP_IO.position, DTYPE.INT64, ['batch', 1]],
    [LOOP_IO.uniforms, DTYPE.DOUBLE, ['steps', 'batch']],
    [LOOP_IO.temperature, DTYPE.DOUBLE, []],
    [LOOP_IO.topK, DTYPE.INT64, []],
    [LOOP_IO.topP, DTYPE.DOUBLE, []],
    [LOOP_IO.logits, DTYPE.FLOAT, ['batch', 'vocab_in']],
  ];
  for (let l = 0; l < layers; l++) for (const kind of ['key', 'value'] as const) ins.push([LOOP_IO.past(l, kind), kv.elemType, kvShape('past')]);
  // The prompt's shared cache: read by the body as outer-scope values, never carried.
  if (sharedPrefix) {
    for (let l = 0; l < layers; l++) {
      for (const kind of ['key', 'value'] as const) ins.push([prefixInput(l, kind), kv.elemType, prefixShape(kv)]);
    }
  }
  for (const [name, type, shape] of ins) outer.message(GRAPH.input, valueInfo(name, type, shape));
  const outs: [string, number, ValueInfo['shape']][] = [
    [LOOP_IO.tokenOut, DTYPE.INT64, ['batch']],
    [LOOP_IO.maskOut, DTYPE.INT64, ['batch', 'total']],
    [LOOP_IO.positionOut, DTYPE.INT64, ['batch', 1]],
    [LOOP_IO.logitsOut, DTYPE.FLOAT, ['batch', 'vocab_out']],
  ];
  for (let l = 0; l < layers; l++) for (const kind of ['key', 'value'] as const) outs.push([LOOP_IO.present(l, kind), kv.elemType, kvShape('total')]);
  outs.push([LOOP_IO.tokens, DTYPE.INT64, ['steps', 'batch']], [LOOP_IO.logprobs, DTYPE.DOUBLE, ['steps', 'batch']]);
  outs.push([LOOP_IO.decided, DTYPE.BOOL, ['steps', 'batch']]);
  for (const [name, type, shape] of outs) outer.message(GRAPH.output, valueInfo(name, type, shape));

  const model = new MessageWriter();
  for (const f of modelFields) {
    if (f.no === MODEL.graph) model.message(MODEL.graph, outer);
    else model.raw(f.raw);
  }
  return { ok: true, value: { pieces: model.pieces, numLayers: layers, kvElemType: kv.elemType, externalFiles: [...externalFiles] } };
}

type Io = { field: Field; info: ValueInfo };

function buildBody(
  graph: Field[], inputs: Map<string, Io>, outputs: Map<string, Io>, layers: number, variant: SamplingVariant,
): MessageWriter {
  const g = new GraphBuilder('passk/');
  const token = 'passk/token_in';
  const mask = 'passk/mask_in';
  const position = 'passk/position_in';
  const logitsIn = 'passk/logits_in';
  const inputIds = g.op1('Unsqueeze', [token, g.int64([1])], {}, 'input_ids');
  const ones = g.op1('ConstantOfShape', [g.op1('Shape', [inputIds])], { value: { tensor: int64One(g) } });
  const attention = g.op1('Concat', [mask, ones], { axis: { int: 1 } }, 'attention_mask');
  if (inputs.has('position_ids')) g.op1('Identity', [position], {}, 'position_ids');
  if (inputs.has('use_cache_branch')) g.bool([true], [1], 'use_cache_branch');
  for (const name of ['logits_to_keep', 'num_logits_to_keep']) {
    if (!inputs.has(name)) continue;
    const one = g.int64([1], inputs.get(name)!.info.shape?.length === 1 ? [1] : []);
    g.op1('Identity', [one], {}, name);
  }
  const prelude = g.nodes.splice(0);

  const logits = g.op1('Flatten', [g.op1('Cast', ['logits'], { to: { int: DTYPE.FLOAT } })], { axis: { int: 1 } });
  const u = g.op1('Gather', [LOOP_IO.uniforms, 'passk/iter'], { axis: { int: 0 } });
  const sampled = addSamplingNodes(g, {
    logits, u, temperature: LOOP_IO.temperature, topK: LOOP_IO.topK, topP: LOOP_IO.topP,
  }, variant);
  // Prefix variant: stop after a step with an undecided row and hand its logits to the host.
  const condOut = variant.kind === 'exact'
    ? g.op1('Identity', ['passk/cond_in'])
    : g.op1('Equal', [g.op1('ReduceSum', [
      g.op1('Cast', [g.op1('Not', [sampled.decided])], { to: { int: DTYPE.INT64 } }), g.int64([0]),
    ], { keepdims: { int: 0 } }), g.int64([0], [])]);
  const logitsOut = g.op1('Identity', [variant.kind === 'exact' ? logitsIn : logits]);
  const decidedScan = g.op1('Identity', [sampled.decided]);
  const maskOut = g.op1('Identity', [attention]);
  const positionOut = g.op1('Add', [position, g.int64([1], [1, 1])]);
  const tokenScan = g.op1('Identity', [sampled.token]);

  const body = new MessageWriter().string(GRAPH.name, 'passk_decode_step');
  for (const n of prelude) body.message(GRAPH.node, n);
  for (const f of graph) if (f.no === GRAPH.node) body.raw(f.raw);
  for (const n of g.nodes) body.message(GRAPH.node, n);
  for (const f of graph) if (f.no === GRAPH.valueInfo) body.raw(f.raw);

  body.message(GRAPH.input, valueInfo('passk/iter', DTYPE.INT64, []));
  body.message(GRAPH.input, valueInfo('passk/cond_in', DTYPE.BOOL, []));
  body.message(GRAPH.input, valueInfo(token, DTYPE.INT64, null));
  body.message(GRAPH.input, valueInfo(mask, DTYPE.INT64, null));
  body.message(GRAPH.input, valueInfo(position, DTYPE.INT64, null));
  body.message(GRAPH.input, valueInfo(logitsIn, DTYPE.FLOAT, null));
  for (let l = 0; l < layers; l++) {
    for (const kind of ['key', 'value']) body.raw(inputs.get(`past_key_values.${l}.${kind}`)!.field.raw);
  }
  body.message(GRAPH.output, valueInfo(condOut, DTYPE.BOOL, []));
  body.message(GRAPH.output, valueInfo(sampled.token, DTYPE.INT64, null));
  body.message(GRAPH.output, valueInfo(maskOut, DTYPE.INT64, null));
  body.message(GRAPH.output, valueInfo(positionOut, DTYPE.INT64, null));
  body.message(GRAPH.output, valueInfo(logitsOut, DTYPE.FLOAT, null));
  for (let l = 0; l < layers; l++) {
    for (const kind of ['key', 'value']) {
      const out = outputs.get(`present.${l}.${kind}`)!.info;
      body.message(GRAPH.output, valueInfo(out.name, out.elemType, null));
    }
  }
  body.message(GRAPH.output, valueInfo(tokenScan, DTYPE.INT64, null));
  body.message(GRAPH.output, valueInfo(sampled.logprob, DTYPE.DOUBLE, null));
  body.message(GRAPH.output, valueInfo(decidedScan, DTYPE.BOOL, null));
  return body;
}

function int64One(g: GraphBuilder): MessageWriter {
  return new MessageWriter()
    .varint(1, 1).varint(2, DTYPE.INT64).string(8, g.name('one'))
    .bytes(9, new Uint8Array(BigInt64Array.of(1n).buffer));
}

function tensorName(field: Field): string {
  for (const f of readFields(field.bytes)) if (f.no === 8) return fieldString(f);
  return '';
}

function mainOpset(modelFields: Field[]): number {
  for (const f of modelFields) {
    if (f.no !== MODEL.opsetImport) continue;
    let domain = '';
    let version = 0;
    for (const o of readFields(f.bytes)) {
      if (o.no === OPSET.domain) domain = fieldString(o);
      else if (o.no === OPSET.version) version = fieldInt(o);
    }
    if (domain === '' || domain === 'ai.onnx') return version;
  }
  return 0;
}
