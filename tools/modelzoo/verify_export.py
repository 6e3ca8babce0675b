"""Check an exported ONNX decoder against the PyTorch module it came from (via onnxruntime-node)."""
import json
import os
import subprocess
import tempfile
import torch
from model import TinyQwen

HERE = os.path.dirname(os.path.abspath(__file__))


def verify(model: TinyQwen, onnx_path: str, dtype: str = "float32") -> None:
    cfg = model.cfg
    g = torch.Generator().manual_seed(1234)
    ids = torch.randint(3, cfg.vocab_size, (1, 12), generator=g)
    with torch.no_grad():
        logits, _ = model.eval()(ids, torch.ones_like(ids), torch.arange(12).unsqueeze(0), model.empty_past(1))
    ref = {"layers": cfg.num_hidden_layers, "kvHeads": cfg.num_key_value_heads, "headDim": cfg.head_dim,
           "vocab": cfg.vocab_size, "ids": ids[0].tolist(), "logits": logits.flatten().tolist(), "dtype": dtype}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(ref, f)
    try:
        subprocess.run(["node", os.path.join(HERE, "verify-onnx.mjs"), onnx_path, f.name], check=True)
    finally:
        os.unlink(f.name)
