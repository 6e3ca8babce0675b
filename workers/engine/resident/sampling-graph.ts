import type { GraphBuilder } from '../../../src/core/onnx/graph-builder.ts';
import { boolTensor, DTYPE, doubleTensor } from '../../../src/core/onnx/onnx-proto.ts';

/**
 * `exact`: the rule with every sum sequential (CumSum), so a CPU run matches the JS rule
 * bit for bit. Its CumSums cost O(V²) per row on ONNX Runtime's CUDA kernel (each output
 * re-adds its whole prefix), so GPUs use `prefix`: only the first `cap` tokens in rank
 * order are sorted and walked, plain ReduceSums give the totals, and a row whose walk does
 * not end inside that prefix is flagged undecided; the Loop then stops after that step
 * and the host samples it from the returned logits with the JS rule.
 */
export type SamplingVariant = { kind: 'exact' } | { kind: 'prefix'; cap: number };

export interface SamplingInputs {
  /** float32 [B, V] logits of the last position. */
  logits: string;
  /** double [B]: this step's uniform per row. */
  u: string;
  /** double scalar; 0 = greedy. */
  temperature: string;
  /** int64 scalar; 0 = off. */
  topK: string;
  /** double scalar; ≥ 1 = off. */
  topP: string;
}

/**
 * The sampling rule of src/core/sampling/sample-token.ts as ONNX ops (opset ≥ 13), in
 * float64 so a CPU run picks the same token as the JS rule. How each step maps:
 * - rank order (x desc, index asc) = TopK on the float32 logits (ONNX TopK puts the lower
 *   index first on ties), with k = topK when 0 < topK < V, else V;
 * - every "sequential sum in order" is a CumSum (ORT's CPU kernel adds left to right);
 *   the index-order total over candidates scatters the ranked weights back to their
 *   indices with zeros elsewhere (adding 0 never changes a float sum);
 * - "first j with c_j ≥ target" and "first j with c_j > r" are counts of the prefix that
 *   fails the test, because c never decreases (non-negative terms); clamping the count to
 *   the last kept position is the rule's fallback.
 */
export function addSamplingNodes(
  g: GraphBuilder, io: SamplingInputs, variant: SamplingVariant,
): { token: string; logprob: string; decided: string } {
  if (variant.kind === 'prefix') return addPrefixSamplingNodes(g, io, variant.cap);
  const axis1 = g.int64([1], []);
  const x64 = g.op1('Cast', [io.logits], { to: { int: DTYPE.DOUBLE } });
  const shapeX = g.op1('Shape', [io.logits]);
  const vocab = g.op1('Slice', [shapeX, g.int64([1]), g.int64([2])]);
  const k = g.op1('Reshape', [io.topK, g.int64([1])]);
  const zeroI = g.int64([0]);
  const kOn = g.op1('And', [g.op1('Greater', [k, zeroI]), g.op1('Less', [k, vocab])]);
  const kEff = g.op1('Where', [kOn, k, vocab]);
  const [vals, idx] = g.op('TopK', [io.logits, kEff], { axis: { int: -1 }, largest: { int: 1 }, sorted: { int: 1 } },
    [g.name('topk_values'), g.name('topk_indices')]);
  const vals64 = g.op1('Cast', [vals], { to: { int: DTYPE.DOUBLE } });
  const first = (v: string): string => g.op1('Slice', [v, g.int64([0]), g.int64([1]), g.int64([1])]);
  const last = (v: string): string => g.op1('Slice', [v, g.int64([-1]), g.int64([2 ** 53 - 1]), g.int64([1])]);
  const max = first(vals64);

  const greedy = g.op1('Equal', [io.temperature, g.double([0], [])]);
  const t = g.op1('Where', [greedy, g.double([1], []), io.temperature]);
  const scaledMax = g.op1('Div', [max, t]);
  const weights = g.op1('Exp', [g.op1('Sub', [g.op1('Div', [vals64, t]), scaledMax])]);
  const zeros = g.op1('ConstantOfShape', [shapeX], { value: { tensor: doubleTensor(g.name('zero'), [0], [1]) } });
  const byIndex = g.op1('ScatterElements', [zeros, idx, weights], { axis: { int: 1 } });
  const total = last(g.op1('CumSum', [byIndex, axis1]));
  const c = g.op1('CumSum', [weights, axis1]);

  const nucleus = g.op1('Less', [io.topP, g.double([1], [])]);
  const target = g.op1('Where', [nucleus, g.op1('Mul', [io.topP, total]), g.double([Infinity], [])]);
  const countWhere = (cond: string): string =>
    g.op1('ReduceSum', [g.op1('Cast', [cond], { to: { int: DTYPE.INT64 } }), g.int64([1])], { keepdims: { int: 1 } });
  const lastKept = g.op1('Sub', [kEff, g.int64([1])]);
  const end = g.op1('Min', [countWhere(g.op1('Less', [c, target])), lastKept]);
  const mass = g.op1('Where', [nucleus, g.op1('GatherElements', [c, end], { axis: { int: 1 } }), total]);
  const r = g.op1('Mul', [g.op1('Unsqueeze', [io.u, g.int64([1])]), mass]);
  const position = g.op1('Min', [countWhere(g.op1('LessOrEqual', [c, r])), end]);
  const sampled = g.op1('GatherElements', [idx, position], { axis: { int: 1 } });
  const token = g.op1('Where', [greedy, first(idx), sampled]);

  // Raw-model log-probability: x_t − (M + log Σ exp(x_i − M)), the sum in index order.
  const expShifted = g.op1('Exp', [g.op1('Sub', [x64, max])]);
  const lse = g.op1('Add', [max, g.op1('Log', [last(g.op1('CumSum', [expShifted, axis1]))])]);
  const logprob = g.op1('Sub', [g.op1('GatherElements', [x64, token], { axis: { int: 1 } }), lse]);
  const flat = g.int64([-1]);
  const tokenFlat = g.op1('Reshape', [token, flat]);
  const decided = g.op1('ConstantOfShape', [g.op1('Shape', [tokenFlat])], { value: { tensor: boolTensor(g.name('true'), [true], [1]) } });
  return { token: tokenFlat, logprob: g.op1('Reshape', [logprob, flat]), decided };
}

function addPrefixSamplingNodes(g: GraphBuilder, io: SamplingInputs, cap: number): { token: string; logprob: string; decided: string } {
  const x64 = g.op1('Cast', [io.logits], { to: { int: DTYPE.DOUBLE } });
  const vocab = g.op1('Slice', [g.op1('Shape', [io.logits]), g.int64([1]), g.int64([2])]);
  const k = g.op1('Reshape', [io.topK, g.int64([1])]);
  const kOn = g.op1('And', [g.op1('Greater', [k, g.int64([0])]), g.op1('Less', [k, vocab])]);
  const kEff = g.op1('Where', [kOn, k, vocab]);
  const capC = g.int64([cap]);
  const kc = g.op1('Min', [kEff, capC]);
  const [vals, idx] = g.op('TopK', [io.logits, kc], { axis: { int: -1 }, largest: { int: 1 }, sorted: { int: 1 } },
    [g.name('topk_values'), g.name('topk_indices')]);
  const vals64 = g.op1('Cast', [vals], { to: { int: DTYPE.DOUBLE } });
  const first = (v: string): string => g.op1('Slice', [v, g.int64([0]), g.int64([1]), g.int64([1])]);
  const sumRows = (v: string): string => g.op1('ReduceSum', [v, g.int64([1])], { keepdims: { int: 1 } });
  const max = first(vals64);

  const greedy = g.op1('Equal', [io.temperature, g.double([0], [])]);
  const t = g.op1('Where', [greedy, g.double([1], []), io.temperature]);
  const scaledMax = g.op1('Div', [max, t]);
  const weights = g.op1('Exp', [g.op1('Sub', [g.op1('Div', [vals64, t]), scaledMax])]);
  // All candidates are in the prefix (top-k ≤ cap, or a small vocabulary): total over them;
  // top-k off: total over the vocabulary; top-k > cap: no correct total here, so undecided.
  const complete = g.op1('LessOrEqual', [kEff, capC]);
  const topKOff = g.op1('Equal', [kEff, vocab]);
  const totalAll = sumRows(g.op1('Exp', [g.op1('Sub', [g.op1('Div', [x64, t]), scaledMax])]));
  const total = g.op1('Where', [complete, sumRows(weights), totalAll]);
  const c = g.op1('CumSum', [weights, g.int64([1], [])]);

  const nucleus = g.op1('Less', [io.topP, g.double([1], [])]);
  const target = g.op1('Where', [nucleus, g.op1('Mul', [io.topP, total]), g.double([Infinity], [])]);
  const countWhere = (cond: string): string => sumRows(g.op1('Cast', [cond], { to: { int: DTYPE.INT64 } }));
  const belowTarget = countWhere(g.op1('Less', [c, target]));
  const end = g.op1('Min', [belowTarget, g.op1('Sub', [kc, g.int64([1])])]);
  const mass = g.op1('Where', [nucleus, g.op1('GatherElements', [c, end], { axis: { int: 1 } }), total]);
  const r = g.op1('Mul', [g.op1('Unsqueeze', [io.u, g.int64([1])]), mass]);
  const atOrBelowR = countWhere(g.op1('LessOrEqual', [c, r]));
  const position = g.op1('Min', [atOrBelowR, end]);
  const sampled = g.op1('GatherElements', [idx, position], { axis: { int: 1 } });
  const token = g.op1('Where', [greedy, first(idx), sampled]);
  // (Where has no bool kernel on the CPU EP: select with And/Or.)
  const endsInPrefix = g.op1('Or', [
    g.op1('And', [nucleus, g.op1('Less', [belowTarget, kc])]),
    g.op1('And', [g.op1('Not', [nucleus]), g.op1('Less', [atOrBelowR, kc])]),
  ]);
  const decided = g.op1('Or', [g.op1('Or', [greedy, complete]), g.op1('And', [topKOff, endsInPrefix])]);

  const lse = g.op1('Add', [max, g.op1('Log', [sumRows(g.op1('Exp', [g.op1('Sub', [x64, max])]))])]);
  const logprob = g.op1('Sub', [g.op1('GatherElements', [x64, token], { axis: { int: 1 } }), lse]);
  const flat = g.int64([-1]);
  return {
    token: g.op1('Reshape', [token, flat]),
    logprob: g.op1('Reshape', [logprob, flat]),
    decided: g.op1('Reshape', [decided, flat]),
  };
}
