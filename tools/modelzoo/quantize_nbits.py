"""Block-quantized weights through onnxruntime's com.microsoft MatMulNBits (the layout
onnx-community ships as model_q4.onnx), written with numpy from the contrib op's spec:

    Y = A @ dequant(B)^T, B uint8 [N, k_blocks, block_size * bits / 8], codes packed
    low-first along K; scales [N * k_blocks] (the type of A); zero_points absent, so the
    zero point is 2^(bits - 1) (8 for 4 bits, 128 for 8 bits); value = (code - zp) * scale.

Every MatMul whose second input is a 2-D float initializer [K, N] (torch.onnx.export's
transposed Linear weights, lm_head included) becomes one MatMulNBits; the embedding's
Gather, norms and biases stay float32. The codes are ggml's, so passk's q4/q8 and
llama.cpp's q4_0/q8_0 (bench/llamacpp/ggml-quants.ts) compute with the same dequantized
weights: 32-value blocks, symmetric; 4 bits: d = m / -8 with m the value of largest
magnitude, code = min(15, trunc(x / d + 8.5)); 8 bits: d = max|x| / 127,
code = roundf(x / d) + 128,
all in float32 as ggml's C does. Each scale is rounded to float16 and stored as float32, as
ggml stores it in f16.

usage: python3 tools/modelzoo/quantize_nbits.py IN.onnx OUT.onnx BITS [--accuracy-level L]
"""
import argparse
import os
import numpy as np
import onnx
from onnx import helper, numpy_helper

BLOCK = 32


def quantize_blocks(w_nk: np.ndarray, bits: int):
    """w_nk: float32 [N, K] (K a multiple of 32) -> (codes uint8 [N, K/32, 32], scales float32 [N, K/32])."""
    n, k = w_nk.shape
    if k % BLOCK:
        raise ValueError(f"K = {k} is not a multiple of {BLOCK}")
    x = w_nk.reshape(n, k // BLOCK, BLOCK).astype(np.float32)
    if bits == 4:
        idx = np.abs(x).argmax(axis=-1)[..., None]
        m = np.take_along_axis(x, idx, axis=-1)[..., 0]
        d = (m / -8.0).astype(np.float16).astype(np.float32)
        d_exact = (m / -8.0).astype(np.float32)
        inv = np.divide(1.0, d_exact, out=np.zeros_like(d_exact), where=d_exact != 0)
        codes = np.minimum(15, np.trunc(x * inv[..., None] + 8.5)).astype(np.uint8)
    elif bits == 8:
        amax = np.abs(x).max(axis=-1)
        d_exact = (amax / 127.0).astype(np.float32)
        d = d_exact.astype(np.float16).astype(np.float32)
        inv = np.divide(1.0, d_exact, out=np.zeros_like(d_exact), where=d_exact != 0)
        v = (x * inv[..., None]).astype(np.float32)
        # C's roundf (halves away from zero), not numpy's round-half-to-even.
        r = np.trunc(v)
        r = r + np.sign(v) * (np.abs(v - r) >= 0.5)
        codes = (r.astype(np.int16) + 128).astype(np.uint8)
    else:
        raise ValueError(f"bits {bits}: 4 or 8")
    return codes, d


def pack(codes: np.ndarray, bits: int) -> np.ndarray:
    """[N, k_blocks, 32] codes -> [N, k_blocks, 32 * bits / 8] bytes, low-first along K."""
    if bits == 8:
        return codes
    return (codes[..., 0::2] | (codes[..., 1::2] << 4)).astype(np.uint8)


def dequantize(codes: np.ndarray, scales: np.ndarray, bits: int) -> np.ndarray:
    zp = 1 << (bits - 1)
    return ((codes.astype(np.float32) - zp) * scales[..., None]).reshape(codes.shape[0], -1)


def quantize_model(src: str, dst: str, bits: int, accuracy_level: int) -> int:
    model = onnx.load(src)
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    replaced = 0
    new_nodes = []
    dropped = set()
    for node in graph.node:
        w = inits.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        if w is None or len(w.dims) != 2 or w.data_type != onnx.TensorProto.FLOAT or w.dims[0] % BLOCK:
            new_nodes.append(node)
            continue
        k, n = w.dims
        w_nk = np.ascontiguousarray(numpy_helper.to_array(w).T)
        codes, scales = quantize_blocks(w_nk, bits)
        base = f"{w.name}_q{bits}"
        graph.initializer.append(numpy_helper.from_array(pack(codes, bits), base + "_B"))
        graph.initializer.append(numpy_helper.from_array(scales.reshape(-1), base + "_scales"))
        new_nodes.append(helper.make_node(
            "MatMulNBits", [node.input[0], base + "_B", base + "_scales"], list(node.output),
            name=(node.name or base) + f"_q{bits}", domain="com.microsoft",
            K=k, N=n, bits=bits, block_size=BLOCK, accuracy_level=accuracy_level))
        dropped.add(w.name)
        replaced += 1
    del graph.node[:]
    graph.node.extend(new_nodes)
    keep = [i for i in graph.initializer if i.name not in dropped]
    del graph.initializer[:]
    graph.initializer.extend(keep)
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    size = sum(i.ByteSize() for i in graph.initializer)
    if size > 1_800_000_000:
        data = os.path.basename(dst) + "_data"
        onnx.save_model(model, dst, save_as_external_data=True, all_tensors_to_one_file=True, location=data, size_threshold=1024)
    else:
        onnx.save_model(model, dst)
    return replaced


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("bits", type=int, choices=(4, 8))
    p.add_argument("--accuracy-level", type=int, default=0,
                   help="MatMulNBits accuracy_level: 0 = A in float32; 4 = A quantized to int8 (as llama.cpp does)")
    a = p.parse_args()
    n = quantize_model(a.src, a.dst, a.bits, a.accuracy_level)
    print(f"wrote {a.dst}: {n} MatMuls as {a.bits}-bit MatMulNBits (block {BLOCK}, accuracy_level {a.accuracy_level})")


if __name__ == "__main__":
    main()
