"""Recovers a TinyQwen state dict from an fp32 ONNX file written by export_onnx.py, so that
later stages (rl, distilled) can start from a shipped model without retraining it:

    /usr/bin/python3 tools/modelzoo/build.py --stage import --models base

Named initializers (embeddings, norms, biases) map by name. torch.onnx.export folds each
Linear's weight into an anonymous transposed MatMul initializer; those are assigned by the
graph: the MatMul that reads a layer's RMSNorm output three times is q, k, v (in node
order); the one after attention is o; of the two MLP input projections the one whose
output goes into Sigmoid (SiLU = x * sigmoid(x)) is the gate; the last is down; the final
one is lm_head. build.py checks the result against the ONNX file's logits."""
import numpy as np
import onnx
from onnx import numpy_helper
import torch


def import_onnx(path: str, num_layers: int) -> dict:
    model = onnx.load(path)
    graph = model.graph
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    consumers: dict = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    state = {}
    for name, value in inits.items():
        if not name.startswith("onnx::"):  # named by export_onnx's wrapper, which holds the model as `model`
            state[name.removeprefix("model.")] = torch.from_numpy(np.array(value, dtype=np.float32))
    # Anonymous MatMul weights, in node order, each with whether its output feeds a Sigmoid.
    matmuls = []
    for node in graph.node:
        if node.op_type == "MatMul" and len(node.input) == 2 and node.input[1] in inits and node.input[1].startswith("onnx::"):
            feeds_sigmoid = any(c.op_type == "Sigmoid" for c in consumers.get(node.output[0], []))
            matmuls.append((inits[node.input[1]], feeds_sigmoid))
    per_layer = 7
    if len(matmuls) != num_layers * per_layer + 1:
        raise ValueError(f"{path}: expected {num_layers * per_layer + 1} weight MatMuls, found {len(matmuls)}")
    for layer in range(num_layers):
        q, k, v, o, a, b, down = matmuls[layer * per_layer:(layer + 1) * per_layer]
        if a[1] == b[1]:
            raise ValueError(f"{path}: layer {layer}: cannot tell the MLP gate from the up projection")
        gate, up = (a, b) if a[1] else (b, a)
        prefix = f"layers.{layer}"
        for key, (w, _) in (("self_attn.q_proj", q), ("self_attn.k_proj", k), ("self_attn.v_proj", v),
                            ("self_attn.o_proj", o), ("mlp.gate_proj", gate), ("mlp.up_proj", up),
                            ("mlp.down_proj", down)):
            state[f"{prefix}.{key}.weight"] = torch.from_numpy(np.ascontiguousarray(w.T, dtype=np.float32))
    state["lm_head.weight"] = torch.from_numpy(np.ascontiguousarray(matmuls[-1][0].T, dtype=np.float32))
    return state
