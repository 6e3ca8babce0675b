// Compares an exported decoder with PyTorch reference logits and checks that stepping
// with past equals the full-sequence pass. usage: node verify-onnx.mjs MODEL.onnx REF.json
import * as ort from 'onnxruntime-node';
import fs from 'node:fs';

const [onnxPath, refPath] = process.argv.slice(2);
const ref = JSON.parse(fs.readFileSync(refPath, 'utf8'));
const { layers, kvHeads, headDim, vocab, ids, logits: refLogits, dtype } = ref;
const session = await ort.InferenceSession.create(onnxPath);
const floatType = dtype === 'float16' ? 'float16' : 'float32';
const i64 = (xs, dims) => new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), dims);

function feeds(tokens, pastLen, prev) {
  const f = {
    input_ids: i64(tokens, [1, tokens.length]),
    attention_mask: i64(new Array(pastLen + tokens.length).fill(1), [1, pastLen + tokens.length]),
    position_ids: i64(tokens.map((_, i) => pastLen + i), [1, tokens.length]),
  };
  for (let i = 0; i < layers; i++) {
    for (const kind of ['key', 'value']) {
      f[`past_key_values.${i}.${kind}`] = prev
        ? prev[`present.${i}.${kind}`]
        : new ort.Tensor(floatType, floatType === 'float16' ? new Uint16Array(0) : new Float32Array(0), [1, kvHeads, 0, headDim]);
    }
  }
  return f;
}

const toNumbers = (t) => (t.type === 'float16' ? Array.from(t.data, halfToFloat) : Array.from(t.data));
function halfToFloat(h) {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (m / 1024);
  if (e === 31) return m ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + m / 1024);
}

const full = toNumbers((await session.run(feeds(ids, 0, null))).logits);
let maxRef = 0;
for (let i = 0; i < full.length; i++) maxRef = Math.max(maxRef, Math.abs(full[i] - refLogits[i]));
let out = await session.run(feeds(ids.slice(0, 2), 0, null));
for (let t = 2; t < ids.length; t++) out = await session.run(feeds([ids[t]], t, out));
const stepped = toNumbers(out.logits);
const lastFull = full.slice((ids.length - 1) * vocab);
let maxStep = 0;
for (let i = 0; i < vocab; i++) maxStep = Math.max(maxStep, Math.abs(stepped[i] - lastFull[i]));
const tol = dtype === 'float16' ? 5e-2 : 1e-3;
console.log(`${onnxPath}: max |onnx - torch| = ${maxRef.toExponential(2)}, max |stepped - full| = ${maxStep.toExponential(2)} (tolerance ${tol})`);
if (!(maxRef < tol && maxStep < tol)) process.exit(1);
