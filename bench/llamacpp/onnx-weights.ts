/**
 * A Qwen2 state dict read back from an fp32 ONNX decoder in the project's layout
 * (tools/modelzoo/export_onnx.py, torch.onnx.export), by the graph rather than by names:
 * the exporter folds each Linear's weight into an anonymous transposed initializer
 * (shape [in, out]) and merges initializers with equal contents (a random model's zero
 * biases and all-ones norms become one tensor, passed on by Identity nodes), so names say
 * little. Read in node
 * order, as tools/modelzoo/import_onnx.py does for the weights: the embedding is the
 * Gather's table; the weight MatMuls are, per layer, q, k, v, o, the two MLP input
 * projections (the gate is the one whose output feeds a Sigmoid: SiLU = x·sigmoid(x)) and
 * down, then lm_head; q/k/v biases are the initializers added to those MatMuls' outputs;
 * the norms are the Muls by a [hidden] initializer: per layer input then post-attention,
 * then the final norm. Weights kept in external data files (`location`, `offset`,
 * `length`) are read from beside the model.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DTYPE, GRAPH, MODEL, NODE, TENSOR } from '../../src/core/onnx/onnx-proto.ts';
import { fieldInts, fieldString, readFields } from '../../src/core/onnx/proto-wire.ts';

export interface Weight {
  /** PyTorch order: [out, in] for a Linear, [vocab, hidden] for the embedding. */
  shape: number[];
  data: Float32Array;
}

interface Initializer { name: string; dims: number[]; data: Float32Array }

function readInitializer(bytes: Uint8Array, modelDir: string, where: string): Initializer | null {
  let name = '';
  let dims: number[] = [];
  let dataType = 0;
  let raw: Uint8Array | null = null;
  const external = new Map<string, string>();
  for (const f of readFields(bytes)) {
    if (f.no === TENSOR.name) name = fieldString(f);
    else if (f.no === TENSOR.dims) dims = dims.concat(fieldInts(f));
    else if (f.no === TENSOR.dataType) dataType = Number(f.varint);
    else if (f.no === TENSOR.rawData) raw = f.bytes;
    else if (f.no === TENSOR.externalData) {
      let key = '';
      let value = '';
      for (const kv of readFields(f.bytes)) {
        if (kv.no === 1) key = fieldString(kv);
        else if (kv.no === 2) value = fieldString(kv);
      }
      external.set(key, value);
    }
  }
  if (dataType !== DTYPE.FLOAT) return null;
  const count = dims.reduce((a, b) => a * b, 1);
  if (raw === null && external.has('location')) {
    // Only this tensor's bytes: a data file can pass the 2 GB a single read may return.
    const length = Number(external.get('length') ?? count * 4);
    const buf = new Uint8Array(length);
    const fd = openSync(join(modelDir, external.get('location')!), 'r');
    try {
      const got = readSync(fd, buf, 0, length, Number(external.get('offset') ?? 0));
      if (got !== length) throw new Error(`${where}: initializer ${name}: ${got} of ${length} bytes in ${external.get('location')}`);
    } finally {
      closeSync(fd);
    }
    raw = buf;
  }
  if (raw === null) throw new Error(`${where}: initializer ${name} has no raw_data (float_data is not read here)`);
  if (raw.length !== count * 4) throw new Error(`${where}: initializer ${name}: ${raw.length} bytes for ${count} floats`);
  const data = new Float32Array(count);
  new Uint8Array(data.buffer).set(raw);
  return { name, dims, data };
}

function transpose(w: Initializer): Weight {
  const [rows, cols] = w.dims;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w.data[r * cols + c];
  return { shape: [cols, rows], data: out };
}

/** Keys as in tools/modelzoo/model.py's state dict (`layers.0.self_attn.q_proj.weight`, …). */
export function readQwen2Weights(onnxPath: string, numLayers: number): Map<string, Weight> {
  const bytes = readFileSync(onnxPath);
  const graphField = readFields(bytes).find((f) => f.no === MODEL.graph);
  if (!graphField) throw new Error(`${onnxPath}: no graph`);
  const inits = new Map<string, Initializer>();
  const nodes: { op: string; inputs: string[]; outputs: string[] }[] = [];
  for (const f of readFields(graphField.bytes)) {
    if (f.no === GRAPH.initializer) {
      const init = readInitializer(f.bytes, dirname(onnxPath), onnxPath);
      if (init) inits.set(init.name, init);
    } else if (f.no === GRAPH.node) {
      const node = { op: '', inputs: [] as string[], outputs: [] as string[] };
      for (const nf of readFields(f.bytes)) {
        if (nf.no === NODE.opType) node.op = fieldString(nf);
        else if (nf.no === NODE.input) node.inputs.push(fieldString(nf));
        else if (nf.no === NODE.output) node.outputs.push(fieldString(nf));
      }
      nodes.push(node);
    }
  }
  // The exporter's merged initializers reach their other users through Identity nodes.
  for (const n of nodes) {
    const src = n.op === 'Identity' ? inits.get(n.inputs[0]) : undefined;
    if (src) inits.set(n.outputs[0], src);
  }
  const state = new Map<string, Weight>();
  const plain = (init: Initializer): Weight => ({ shape: init.dims, data: init.data });
  const initOf = (name: string): Initializer | undefined => inits.get(name);
  const feedsSigmoid = new Set<string>();
  const consumers = new Map<string, typeof nodes>();
  for (const n of nodes) {
    if (n.op === 'Sigmoid') feedsSigmoid.add(n.inputs[0]);
    for (const i of n.inputs) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  }
  const gather = nodes.find((n) => n.op === 'Gather' && initOf(n.inputs[0])?.dims.length === 2);
  if (!gather) throw new Error(`${onnxPath}: no embedding Gather over a 2-D initializer`);
  const embed = initOf(gather.inputs[0])!;
  state.set('embed_tokens.weight', plain(embed));
  const hidden = embed.dims[1];
  const norms = nodes
    .filter((n) => n.op === 'Mul')
    .map((n) => n.inputs.map(initOf).find((i) => i !== undefined && i.dims.length === 1 && i.dims[0] === hidden))
    .filter((i): i is Initializer => i !== undefined);
  if (norms.length !== 2 * numLayers + 1) {
    throw new Error(`${onnxPath}: expected ${2 * numLayers + 1} RMSNorm weights (Mul by a [${hidden}] initializer), found ${norms.length}`);
  }
  const matmuls = nodes
    .filter((n) => n.op === 'MatMul' && n.inputs.length === 2 && initOf(n.inputs[1])?.dims.length === 2)
    .map((n) => ({ w: initOf(n.inputs[1])!, out: n.outputs[0], gate: feedsSigmoid.has(n.outputs[0]) }));
  const perLayer = 7;
  if (matmuls.length !== numLayers * perLayer + 1) {
    throw new Error(`${onnxPath}: expected ${numLayers * perLayer + 1} weight MatMuls (the project's torch.onnx.export layout), found ${matmuls.length}`);
  }
  const biasOf = (output: string, what: string): Weight => {
    for (const c of consumers.get(output) ?? []) {
      if (c.op !== 'Add') continue;
      const b = c.inputs.map(initOf).find((i) => i !== undefined && i.dims.length === 1);
      if (b) return plain(b);
    }
    throw new Error(`${onnxPath}: no bias added to ${what}`);
  };
  for (let layer = 0; layer < numLayers; layer++) {
    const [q, k, v, o, a, b, down] = matmuls.slice(layer * perLayer, (layer + 1) * perLayer);
    if (a.gate === b.gate) throw new Error(`${onnxPath}: layer ${layer}: cannot tell the MLP gate from the up projection`);
    const [gate, up] = a.gate ? [a, b] : [b, a];
    const named: [string, Initializer][] = [['self_attn.q_proj', q.w], ['self_attn.k_proj', k.w], ['self_attn.v_proj', v.w],
      ['self_attn.o_proj', o.w], ['mlp.gate_proj', gate.w], ['mlp.up_proj', up.w], ['mlp.down_proj', down.w]];
    for (const [key, w] of named) state.set(`layers.${layer}.${key}.weight`, transpose(w));
    for (const [key, m] of [['q_proj', q], ['k_proj', k], ['v_proj', v]] as const) {
      state.set(`layers.${layer}.self_attn.${key}.bias`, biasOf(m.out, `layer ${layer} ${key}`));
    }
    state.set(`layers.${layer}.input_layernorm.weight`, plain(norms[2 * layer]));
    state.set(`layers.${layer}.post_attention_layernorm.weight`, plain(norms[2 * layer + 1]));
  }
  state.set('norm.weight', plain(norms[2 * numLayers]));
  state.set('lm_head.weight', transpose(matmuls[matmuls.length - 1].w));
  return state;
}
