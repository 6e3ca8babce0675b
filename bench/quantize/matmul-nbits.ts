/**
 * An fp32 ONNX decoder rewritten with block-quantized weights through onnxruntime's
 * com.microsoft MatMulNBits, in TypeScript (the twin of tools/modelzoo/quantize_nbits.py,
 * for tests and folders without Python): every MatMul whose B is a 2-D float32
 * initializer [K, N] with K a multiple of 32 becomes
 *
 *   MatMulNBits(A, B_q uint8 [N, K/32, 32·bits/8], scales float32 [N·K/32]; K, N, bits, block_size 32)
 *
 * with no zero points (so 8 for 4 bits, 128 for 8 bits) and codes packed low-first along
 * K. The codes and scales are ggml's q4_0 / q8_0 (../llamacpp/ggml-quants.ts), so this
 * model and llama.cpp's GGUF of the same weights dequantize to the same values.
 */
import { DTYPE, GRAPH, MODEL, NODE, OPSET, TENSOR, node, tensor } from '../../src/core/onnx/onnx-proto.ts';
import { fieldInts, fieldString, MessageWriter, readFields } from '../../src/core/onnx/proto-wire.ts';
import { fromHalf, QK, quantizeQ4_0, quantizeQ8_0 } from '../llamacpp/ggml-quants.ts';

const UINT8 = 2;

interface FloatInit { dims: number[]; raw: Uint8Array }

function floatInit(bytes: Uint8Array): { name: string; init: FloatInit | null } {
  let name = '';
  let dims: number[] = [];
  let dataType = 0;
  let raw: Uint8Array | null = null;
  for (const f of readFields(bytes)) {
    if (f.no === TENSOR.name) name = fieldString(f);
    else if (f.no === TENSOR.dims) dims = dims.concat(fieldInts(f));
    else if (f.no === TENSOR.dataType) dataType = Number(f.varint);
    else if (f.no === TENSOR.rawData) raw = f.bytes;
  }
  return { name, init: dataType === DTYPE.FLOAT && raw !== null && dims.length === 2 ? { dims, raw } : null };
}

/** W [K, N] (row-major float32) → MatMulNBits B and scales. */
export function packMatMulNBits(w: Float32Array, k: number, n: number, bits: 4 | 8): { b: Uint8Array; scales: Float32Array } {
  if (k % QK !== 0) throw new Error(`K = ${k} is not a multiple of ${QK}`);
  const blocks = k / QK;
  const blob = (QK * bits) / 8;
  const b = new Uint8Array(n * blocks * blob);
  const scales = new Float32Array(n * blocks);
  const column = new Float32Array(k);
  for (let col = 0; col < n; col++) {
    for (let r = 0; r < k; r++) column[r] = w[r * n + col];
    const q = bits === 4 ? quantizeQ4_0(column) : quantizeQ8_0(column);
    const stride = bits === 4 ? 2 + QK / 2 : 2 + QK;
    for (let blk = 0; blk < blocks; blk++) {
      const at = blk * stride;
      scales[col * blocks + blk] = fromHalf(q[at] | (q[at + 1] << 8));
      const out = (col * blocks + blk) * blob;
      if (bits === 8) {
        for (let j = 0; j < QK; j++) b[out + j] = (((q[at + 2 + j] << 24) >> 24) + 128) & 0xff;
      } else {
        // ggml: byte j holds element j (low) and j + 16 (high); MatMulNBits: element 2i low, 2i + 1 high.
        const codes = new Uint8Array(QK);
        for (let j = 0; j < QK / 2; j++) { codes[j] = q[at + 2 + j] & 0x0f; codes[j + QK / 2] = q[at + 2 + j] >> 4; }
        for (let i = 0; i < QK / 2; i++) b[out + i] = codes[2 * i] | (codes[2 * i + 1] << 4);
      }
    }
  }
  return { b, scales };
}

/** The model's bytes with its weight MatMuls quantized (initializers kept in the file). */
/**
 * `accuracyLevel`: MatMulNBits' accuracy_level; 4 (int8 activations in the products, as
 * llama.cpp's q8_0/q4_0 dot products) is the fast one on the CPU, 0 keeps them float32.
 */
export function quantizeMatMulNBits(source: Uint8Array, bits: 4 | 8, where: string, accuracyLevel = 4): { pieces: Uint8Array[]; replaced: number } {
  const modelFields = readFields(source);
  const graphField = modelFields.find((f) => f.no === MODEL.graph);
  if (!graphField) throw new Error(`${where}: ONNX model has no graph`);
  const graph = readFields(graphField.bytes);
  const inits = new Map<string, FloatInit>();
  for (const f of graph) {
    if (f.no !== GRAPH.initializer) continue;
    const { name, init } = floatInit(f.bytes);
    if (init) inits.set(name, init);
  }
  // Weights read by anything but a MatMul's B (an Identity alias, a second use) stay float.
  const quantized = new Map<string, { k: number; n: number }>();
  const otherUse = new Set<string>();
  const out = new MessageWriter();
  const added: MessageWriter[] = [];
  for (const f of graph) {
    if (f.no !== GRAPH.node) continue;
    const fields = readFields(f.bytes);
    const op = fieldString(fields.find((x) => x.no === NODE.opType)!);
    const inputs = fields.filter((x) => x.no === NODE.input).map(fieldString);
    const w = op === 'MatMul' && inputs.length === 2 ? inits.get(inputs[1]) : undefined;
    if (w && w.dims[0] % QK === 0) quantized.set(inputs[1], { k: w.dims[0], n: w.dims[1] });
    inputs.forEach((i, at) => { if (!(op === 'MatMul' && at === 1)) otherUse.add(i); });
  }
  for (const name of otherUse) quantized.delete(name);
  let replaced = 0;
  for (const f of graph) {
    if (f.no === GRAPH.initializer) {
      const name = floatInit(f.bytes).name;
      if (!quantized.has(name)) out.raw(f.raw);
      continue;
    }
    if (f.no !== GRAPH.node) { out.raw(f.raw); continue; }
    const fields = readFields(f.bytes);
    const op = fieldString(fields.find((x) => x.no === NODE.opType)!);
    const inputs = fields.filter((x) => x.no === NODE.input).map(fieldString);
    const shape = op === 'MatMul' && inputs.length === 2 ? quantized.get(inputs[1]) : undefined;
    if (!shape) { out.raw(f.raw); continue; }
    const outputs = fields.filter((x) => x.no === NODE.output).map(fieldString);
    const name = fields.find((x) => x.no === NODE.name);
    const init = inits.get(inputs[1])!;
    const wf = new Float32Array(init.raw.length / 4);
    new Uint8Array(wf.buffer).set(init.raw);
    const { b, scales } = packMatMulNBits(wf, shape.k, shape.n, bits);
    const base = `${inputs[1]}_q${bits}`;
    added.push(tensor(`${base}_B`, UINT8, [shape.n, shape.k / QK, (QK * bits) / 8], b));
    added.push(tensor(`${base}_scales`, DTYPE.FLOAT, [scales.length], new Uint8Array(scales.buffer)));
    const q = node('MatMulNBits', [inputs[0], `${base}_B`, `${base}_scales`], outputs, `${name ? fieldString(name) : base}_q${bits}`, {
      K: { int: shape.k }, N: { int: shape.n }, bits: { int: bits }, block_size: { int: QK }, accuracy_level: { int: accuracyLevel },
    }).string(NODE.domain, 'com.microsoft');
    out.message(GRAPH.node, q);
    replaced++;
  }
  for (const t of added) out.message(GRAPH.initializer, t);
  const model = new MessageWriter();
  let hasMs = false;
  for (const f of modelFields) {
    if (f.no === MODEL.opsetImport) {
      const d = readFields(f.bytes).find((x) => x.no === OPSET.domain);
      if (d && fieldString(d) === 'com.microsoft') hasMs = true;
    }
  }
  for (const f of modelFields) {
    if (f.no === MODEL.graph) {
      model.message(MODEL.graph, out);
      if (!hasMs) model.message(MODEL.opsetImport, new MessageWriter().string(OPSET.domain, 'com.microsoft').varint(OPSET.version, 1));
    } else {
      model.raw(f.raw);
    }
  }
  return { pieces: model.pieces, replaced };
}
