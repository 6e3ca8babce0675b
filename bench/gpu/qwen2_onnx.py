"""A Qwen2-shaped decoder with random weights, written straight to ONNX in the Optimum
"text-generation-with-past" layout (docs/architecture.md, "The engine and its paths"), with
numpy and onnx.helper only: no PyTorch exporter, so the same file builds on the device image and on a CPU box.

Inputs : input_ids [B,S] int64, attention_mask [B,P+S] int64, position_ids [B,S] int64,
         past_key_values.{i}.key/.value [B, kv_heads, P, head_dim] (dtype)
Outputs: logits [B,S,V] float32, present.{i}.key/.value [B, kv_heads, P+S, head_dim]
"""
from dataclasses import dataclass, asdict
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


@dataclass
class Shape:
    layers: int = 24
    hidden: int = 896
    heads: int = 14
    kv_heads: int = 2
    head_dim: int = 64
    ffn: int = 4864
    vocab: int = 151936
    rope_theta: float = 1000000.0
    eps: float = 1e-6


QWEN2_0_5B = Shape()
TINY = Shape(layers=2, hidden=64, heads=4, kv_heads=2, head_dim=16, ffn=128, vocab=512, rope_theta=10000.0)


def random_weights(shape: Shape, dtype, seed: int = 0) -> dict:
    """Names and values of every weight; the torch reference (torch_ref.py) loads the same."""
    rng = np.random.default_rng(seed)

    def normal(*dims):
        return (rng.standard_normal(dims, dtype=np.float32) * 0.02).astype(dtype)

    h, q, kv = shape.hidden, shape.heads * shape.head_dim, shape.kv_heads * shape.head_dim
    # lm_head scaled so logits have std ≈ 4: peaked like a trained model's, so top-p 0.95
    # keeps tens of tokens instead of nearly the whole (uniform-looking) vocabulary.
    lm_head = (rng.standard_normal((h, shape.vocab), dtype=np.float32) * (4.0 / np.sqrt(h))).astype(dtype)
    w = {"embed": normal(shape.vocab, h), "norm": np.ones(h, dtype), "lm_head": lm_head}
    for i in range(shape.layers):
        p = f"l{i}."
        w[p + "in_norm"] = np.ones(h, dtype)
        w[p + "post_norm"] = np.ones(h, dtype)
        w[p + "wq"], w[p + "bq"] = normal(h, q), normal(q)
        w[p + "wk"], w[p + "bk"] = normal(h, kv), normal(kv)
        w[p + "wv"], w[p + "bv"] = normal(h, kv), normal(kv)
        w[p + "wo"] = normal(q, h)
        w[p + "wg"], w[p + "wu"], w[p + "wd"] = normal(h, shape.ffn), normal(h, shape.ffn), normal(shape.ffn, h)
    return w


class _G:
    def __init__(self):
        self.nodes, self.inits, self.n = [], [], 0

    def op(self, op_type, inputs, **attrs):
        self.n += 1
        out = f"{op_type.lower()}_{self.n}"
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=f"n{self.n}", **attrs))
        return out

    def named(self, op_type, inputs, out, **attrs):
        self.n += 1
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=f"n{self.n}", **attrs))
        return out

    def const(self, value, name=None):
        self.n += 1
        name = name or f"c{self.n}"
        self.inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name


def build_model(shape: Shape, dtype=np.float16, seed: int = 0) -> onnx.ModelProto:
    onnx_dtype = TensorProto.FLOAT16 if dtype == np.float16 else TensorProto.FLOAT
    g = _G()
    for name, value in random_weights(shape, dtype, seed).items():
        g.const(value, name)
    D, KV, HQ = shape.head_dim, shape.kv_heads, shape.heads
    G = HQ // KV
    i64 = lambda v: g.const(np.array(v, np.int64))

    def cast(x, to):
        return g.op("Cast", [x], to=to)

    def rms(x, weight):
        # The Pow → ReduceMean → Add → Sqrt → Div → Mul pattern ORT fuses into SimplifiedLayerNormalization.
        x32 = cast(x, TensorProto.FLOAT)
        var = g.op("ReduceMean", [g.op("Pow", [x32, g.const(np.array(2.0, np.float32))])], axes=[-1], keepdims=1)
        rms = g.op("Sqrt", [g.op("Add", [var, g.const(np.array(shape.eps, np.float32))])])
        return g.op("Mul", [cast(g.op("Div", [x32, rms]), onnx_dtype), weight])

    def heads(x, n):  # [B,S,n*D] -> [B,n,S,D]
        return g.op("Transpose", [g.op("Reshape", [x, i64([0, 0, n, D])])], perm=[0, 2, 1, 3])

    def rotate(x, cos, sin):
        a, b = f"{x}_a", f"{x}_b"
        g.nodes.append(helper.make_node("Split", [x, i64([D // 2, D // 2])], [a, b], axis=-1, name=f"split_{x}"))
        rot = g.op("Concat", [g.op("Neg", [b]), a], axis=-1)
        return g.op("Add", [g.op("Mul", [x, cos]), g.op("Mul", [rot, sin])])

    x = g.op("Gather", ["embed", "input_ids"], axis=0)
    inv_freq = (1.0 / (shape.rope_theta ** (np.arange(0, D, 2, dtype=np.float64) / D))).astype(np.float32)
    freqs = g.op("Mul", [g.op("Unsqueeze", [cast("position_ids", TensorProto.FLOAT), i64([-1])]), g.const(inv_freq)])
    emb = g.op("Concat", [freqs, freqs], axis=-1)
    cos = g.op("Unsqueeze", [cast(g.op("Cos", [emb]), onnx_dtype), i64([1])])  # [B,1,S,D]
    sin = g.op("Unsqueeze", [cast(g.op("Sin", [emb]), onnx_dtype), i64([1])])

    # Additive mask [B,1,S,T]: key j visible to query i iff j ≤ P + i and attention_mask[j] = 1.
    ids_shape = g.op("Shape", ["input_ids"])
    s_len = g.op("Gather", [ids_shape, i64(1)], axis=0)
    t_len = g.op("Gather", [g.op("Shape", ["attention_mask"]), i64(1)], axis=0)
    past = g.op("Sub", [t_len, s_len])
    qpos = g.op("Add", [g.op("Range", [i64(0), s_len, i64(1)]), past])
    kpos = g.op("Range", [i64(0), t_len, i64(1)])
    causal = g.op("LessOrEqual", [g.op("Unsqueeze", [kpos, i64([0])]), g.op("Unsqueeze", [qpos, i64([1])])])
    pad = g.op("Equal", [g.op("Unsqueeze", ["attention_mask", i64([1, 2])]), i64(1)])
    visible = g.op("And", [causal, pad])
    bias = g.op("Where", [visible, g.const(np.array(0, np.float32)), g.const(np.array(-1e9, np.float32))])
    scale = g.const(np.array(1.0 / np.sqrt(D), np.float32))

    for i in range(shape.layers):
        p = f"l{i}."
        xn = rms(x, p + "in_norm")
        q = heads(g.op("Add", [g.op("MatMul", [xn, p + "wq"]), p + "bq"]), HQ)
        k = heads(g.op("Add", [g.op("MatMul", [xn, p + "wk"]), p + "bk"]), KV)
        v = heads(g.op("Add", [g.op("MatMul", [xn, p + "wv"]), p + "bv"]), KV)
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        k_all = g.named("Concat", [f"past_key_values.{i}.key", k], f"present.{i}.key", axis=2)
        v_all = g.named("Concat", [f"past_key_values.{i}.value", v], f"present.{i}.value", axis=2)
        # GQA without copying K/V: query heads of one KV head stacked along the sequence axis.
        qg = g.op("Reshape", [q, i64([0, KV, -1, D])])
        scores = g.op("MatMul", [qg, g.op("Transpose", [k_all], perm=[0, 1, 3, 2])])
        scores = g.op("Reshape", [cast(scores, TensorProto.FLOAT), i64([0, HQ, -1, 0])])
        probs = g.op("Softmax", [g.op("Add", [g.op("Mul", [scores, scale]), bias])], axis=-1)
        probs = g.op("Reshape", [cast(probs, onnx_dtype), i64([0, KV, -1, 0])])
        att = g.op("Reshape", [g.op("MatMul", [probs, v_all]), i64([0, HQ, -1, D])])
        att = g.op("Reshape", [g.op("Transpose", [att], perm=[0, 2, 1, 3]), i64([0, 0, HQ * D])])
        x = g.op("Add", [x, g.op("MatMul", [att, p + "wo"])])
        xn = rms(x, p + "post_norm")
        gate = g.op("MatMul", [xn, p + "wg"])
        act = g.op("Mul", [g.op("Mul", [gate, g.op("Sigmoid", [gate])]), g.op("MatMul", [xn, p + "wu"])])
        x = g.op("Add", [x, g.op("MatMul", [act, p + "wd"])])
    g.named("Cast", [g.op("MatMul", [rms(x, "norm"), "lm_head"])], "logits", to=TensorProto.FLOAT)

    kv_shape = ["batch_size", KV, "past_sequence_length", D]
    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"]),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch_size", "total_sequence_length"]),
        helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["batch_size", "sequence_length"]),
    ]
    outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch_size", "sequence_length", shape.vocab])]
    out_shape = ["batch_size", KV, "total_sequence_length", D]
    for i in range(shape.layers):
        for kind in ("key", "value"):
            inputs.append(helper.make_tensor_value_info(f"past_key_values.{i}.{kind}", onnx_dtype, kv_shape))
            outputs.append(helper.make_tensor_value_info(f"present.{i}.{kind}", onnx_dtype, out_shape))
    graph = helper.make_graph(g.nodes, "qwen2_shaped_decoder", inputs, outputs, g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="passk-bench")
    model.ir_version = 8
    return model


def write_folder(folder: str, shape: Shape, dtype=np.float16, seed: int = 0) -> str:
    """An HF-style folder: onnx/model.onnx + model.onnx_data (external weights) and config.json."""
    os.makedirs(os.path.join(folder, "onnx"), exist_ok=True)
    for old in os.listdir(os.path.join(folder, "onnx")):  # rewrites made for an earlier export
        if old.endswith(".passk-loop.onnx"):
            os.remove(os.path.join(folder, "onnx", old))
    path = os.path.join(folder, "onnx", "model.onnx")
    model = build_model(shape, dtype, seed)
    onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                    location="model.onnx_data", size_threshold=1024)
    config = {
        "model_type": "qwen2", "architectures": ["Qwen2ForCausalLM"], "num_hidden_layers": shape.layers,
        "hidden_size": shape.hidden, "num_attention_heads": shape.heads, "num_key_value_heads": shape.kv_heads,
        "head_dim": shape.head_dim, "intermediate_size": shape.ffn, "vocab_size": shape.vocab,
        "rope_theta": shape.rope_theta, "rms_norm_eps": shape.eps, "tie_word_embeddings": False,
        "torch_dtype": "float16" if dtype == np.float16 else "float32", "eos_token_id": None,
    }
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    with open(os.path.join(folder, "shape.json"), "w") as f:
        json.dump(asdict(shape), f)
    return path
