"""Random-weight Qwen2-shaped model folders for benchmarks, generated on demand (never
committed): fp32 ONNX in the project's layout (export_onnx.py) plus 8-bit and 4-bit
MatMulNBits variants (quantize_nbits.py) as onnx/model_quantized.onnx and
onnx/model_q4.onnx, which the loader's `--dtype quantized` / `--dtype q4` pick
(accuracy_level 4 unless --accuracy-level says otherwise).

    /usr/bin/python3 tools/modelzoo/make_shape.py SHAPE OUT_DIR [--seed S] [--no-quantized]

SHAPE: 20m | 75m | qwen2.5-0.5b. The tokenizer is the bundled models' character-level one
(ids < 99), so the benchmark's prompts encode the same on every shape; 0.5B keeps
Qwen2.5-0.5B's 151,936-row embedding and LM head (random), so sampling runs over 151,936
logits. Unlike Qwen2.5-0.5B the LM head is not tied to the embedding (TinyQwen has no
tying): the same bytes are read per decoded token, the files are larger. Models whose
fp32 weights pass 1.8 GB keep them in one external data file beside the .onnx.

End-of-text is never sampled (unless --allow-eos), so every sample runs to max_new_tokens
as in the issue's measurements: the embedding's first dimension is a constant 50 for every
token, so the residual stream and hence the final norm's output keep a large positive
first component (about sqrt(hidden)), and the LM head's rows for <|endoftext|> and
<|im_end|> read only that component, times -100: their logits stay near -100·sqrt(hidden).
The other weights stay random (normal, std 0.02).
"""
import argparse
import glob
import os
import time
import onnx
import torch
from model import Config, TinyQwen
from hf_files import ENDOFTEXT, IM_END, VOCAB_SIZE, write_hf_files
from export_onnx import export
from quantize_nbits import quantize_model

SHAPES = {
    # ~20M parameters: 6 layers of hidden 512, 8 heads of 64, 2 KV heads, MLP 1792.
    "20m": dict(vocab_size=VOCAB_SIZE, hidden_size=512, intermediate_size=1792, num_hidden_layers=6,
                num_attention_heads=8, num_key_value_heads=2, max_position_embeddings=32768),
    # ~75M: 12 layers of hidden 768, 12 heads of 64, 2 KV heads, MLP 2048.
    "75m": dict(vocab_size=VOCAB_SIZE, hidden_size=768, intermediate_size=2048, num_hidden_layers=12,
                num_attention_heads=12, num_key_value_heads=2, max_position_embeddings=32768),
    # Qwen2.5-0.5B's shape (rope_theta 1e6 as it ships).
    "qwen2.5-0.5b": dict(vocab_size=151936, hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
                         num_attention_heads=14, num_key_value_heads=2, max_position_embeddings=32768,
                         rope_theta=1000000.0),
}


def consolidate(path: str) -> None:
    """torch.onnx.export writes a >2 GB model's tensors as one file each: gather them into one."""
    folder = os.path.dirname(path)
    before = set(os.listdir(folder))
    model = onnx.load(path)
    onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                    location="model.onnx_data", size_threshold=1024)
    for name in before - {"model.onnx", "model.onnx_data"}:
        full = os.path.join(folder, name)
        if os.path.isfile(full) and not name.endswith(".onnx"):
            os.remove(full)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("shape", choices=sorted(SHAPES))
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-quantized", action="store_true")
    p.add_argument("--allow-eos", action="store_true", help="keep end-of-text as likely as any token")
    p.add_argument("--accuracy-level", type=int, default=4,
                   help="MatMulNBits accuracy_level (default 4: activations quantized to int8 in the "
                        "products, as llama.cpp does; 0, float32 activations, measured 10-40x slower "
                        "for 8-bit on this CPU)")
    a = p.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(a.seed)
    cfg = Config(**SHAPES[a.shape])
    t0 = time.time()
    model = TinyQwen(cfg)
    if not a.allow_eos:
        with torch.no_grad():
            model.embed_tokens.weight[:, 0] = 50.0
            for eos in (ENDOFTEXT, IM_END):
                model.lm_head.weight[eos].zero_()
                model.lm_head.weight[eos, 0] = -100.0
    params = model.num_parameters()
    write_hf_files(a.out, cfg)
    onnx_path = os.path.join(a.out, "onnx", "model.onnx")
    export(model, onnx_path)
    del model
    if params * 4 > 1_800_000_000 or glob.glob(os.path.join(a.out, "onnx", "onnx__*")):
        consolidate(onnx_path)
    print(f"wrote {onnx_path} ({params} parameters, {time.time() - t0:.0f} s)", flush=True)
    if not a.no_quantized:
        for bits, name in ((8, "model_quantized.onnx"), (4, "model_q4.onnx")):
            t1 = time.time()
            n = quantize_model(onnx_path, os.path.join(a.out, "onnx", name), bits, a.accuracy_level)
            print(f"wrote {name}: {n} MatMuls as {bits}-bit MatMulNBits ({time.time() - t1:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
