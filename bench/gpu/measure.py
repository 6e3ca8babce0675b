"""GPU measurement for issue 6: tokens/s of (a) the step-by-step engine on the CUDA EP,
(b) the resident (ONNX Loop) path, (c) PyTorch sampling (transformers `generate` when it
imports, else the plain loop of torch_ref.py), and (d) the roofline bound, on a
Qwen2-0.5B-shaped decoder with random weights, n samples of one prompt, fixed length.

  python3 bench/gpu/measure.py --out $OUT            # on the device (see bench/gpu/README.md)
  python3 bench/gpu/measure.py --tiny --cpu --out /tmp/x   # end-to-end check on a CPU box

Writes gpu.json and gpu.md under --out and prints the table last.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import torch  # noqa: E402

from qwen2_onnx import QWEN2_0_5B, TINY, Shape, write_folder  # noqa: E402
from torch_ref import TorchDecoder  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def measure_bandwidth(device, size_bytes: int) -> float:
    """Bytes read + written per second of a large device-to-device copy (median of 20)."""
    a = torch.empty(size_bytes // 4, dtype=torch.float32, device=device).uniform_()
    b = torch.empty_like(a)
    for _ in range(3):
        b.copy_(a)
    times = []
    for _ in range(20):
        sync(device)
        t0 = time.perf_counter()
        b.copy_(a)
        sync(device)
        times.append(time.perf_counter() - t0)
    return 2 * size_bytes / statistics.median(times)


def roofline(shape: Shape, n: int, prompt_len: int, new_tokens: int, bytes_per_el: int, bandwidth: float) -> dict:
    """Bytes one decode step must read: every weight once (the embedding table only for the
    n rows it gathers) plus the KV cache of n rows at the mean context length."""
    h, q, kv = shape.hidden, shape.heads * shape.head_dim, shape.kv_heads * shape.head_dim
    per_layer = 2 * h + h * q + q + 2 * (h * kv + kv) + q * h + 3 * h * shape.ffn
    weights = (shape.layers * per_layer + h + h * shape.vocab + n * h) * bytes_per_el
    mean_ctx = prompt_len + new_tokens / 2
    kv_bytes = n * mean_ctx * shape.layers * 2 * kv * bytes_per_el
    step_s = (weights + kv_bytes) / bandwidth
    return {"weight_bytes": weights, "kv_bytes_mean": kv_bytes, "step_s": step_s, "tokens_per_s": n / step_s}


def torch_tokens_per_s(shape, dtype, device, n, prompt, new_tokens, reps) -> dict:
    try:
        run, impl = hf_generate(shape, dtype, device, n, prompt)
        run(min(16, new_tokens))  # warm-up, and proof that this transformers version takes these arguments
    except Exception as error:  # ImportError, or an API this transformers version lacks
        ref = TorchDecoder(shape, dtype, device)

        def run(tokens):
            return ref.generate(prompt, n, tokens).numel()
        impl = f"torch loop (torch_ref.py; transformers unusable: {type(error).__name__}: {str(error)[:160]})"
        run(min(16, new_tokens))
    rates = []
    for _ in range(reps):
        sync(device)
        t0 = time.perf_counter()
        tokens = run(new_tokens)
        sync(device)
        rates.append(tokens / (time.perf_counter() - t0))
    return {"impl": impl, "tokens_per_s": statistics.median(rates), "runs": rates}


def hf_generate(shape, dtype, device, n, prompt):
    from transformers import Qwen2Config, Qwen2ForCausalLM
    import transformers
    cfg = Qwen2Config(
        vocab_size=shape.vocab, hidden_size=shape.hidden, intermediate_size=shape.ffn,
        num_hidden_layers=shape.layers, num_attention_heads=shape.heads, num_key_value_heads=shape.kv_heads,
        max_position_embeddings=8192, rope_theta=shape.rope_theta, rms_norm_eps=shape.eps,
        tie_word_embeddings=False,
    )
    model = Qwen2ForCausalLM(cfg).to(device=device, dtype=dtype).eval()
    ids = prompt[None, :]

    def run(tokens):
        with torch.no_grad():
            out = model.generate(
                ids, attention_mask=torch.ones_like(ids), do_sample=True, temperature=0.6, top_p=0.95, top_k=0,
                num_return_sequences=n, max_new_tokens=tokens, min_new_tokens=tokens,
                eos_token_id=None, pad_token_id=0,
            )
        return out.shape[0] * (out.shape[1] - ids.shape[1])
    return run, f"transformers {transformers.__version__} generate"


def node_bench(args, folder, n) -> dict:
    cmd = [args.node, args.bundle, "--model", folder, "--n", str(n), "--prompt-len", str(args.prompt_len),
           "--new", str(args.new), "--reps", str(args.reps), "--step-reps", str(args.step_reps),
           "--chunk", str(args.chunk), "--ep", "cpu" if args.cpu else "cuda"]
    print("$", " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"node bench failed with exit code {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def check_onnx_against_torch(folder, shape, dtype, device) -> float:
    """Max |logit difference| between the ONNX file (onnxruntime, CPU) and torch_ref on one prompt."""
    import onnxruntime as ort
    sess = ort.InferenceSession(os.path.join(folder, "onnx", "model.onnx"), providers=["CPUExecutionProvider"])
    ids = np.arange(1, 9, dtype=np.int64)[None, :] % shape.vocab
    np_dtype = np.float16 if dtype == torch.float16 else np.float32
    feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "position_ids": np.arange(8, dtype=np.int64)[None, :]}
    for i in range(shape.layers):
        for kind in ("key", "value"):
            feeds[f"past_key_values.{i}.{kind}"] = np.zeros((1, shape.kv_heads, 0, shape.head_dim), np_dtype)
    got = sess.run(["logits"], feeds)[0]
    want, _ = TorchDecoder(shape, dtype, torch.device("cpu")).forward(torch.from_numpy(ids), None)
    return float(np.abs(got - want.numpy()).max())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", default=os.environ.get("OUT", os.path.join(ROOT, "bench", "results")))
    p.add_argument("--work", default="/tmp/passk-gpu-bench", help="where the exported model folder goes")
    p.add_argument("--tiny", action="store_true", help="a 2-layer model instead of the Qwen2-0.5B shape")
    p.add_argument("--cpu", action="store_true", help="run everything on the CPU (fp32): checks the script, not speed")
    p.add_argument("--n", default="64,256", help="sample counts, comma-separated; later ones are skipped if memory runs out")
    p.add_argument("--prompt-len", type=int, default=256)
    p.add_argument("--new", type=int, default=512)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--step-reps", type=int, default=1, help="repetitions of the slow step-by-step path")
    p.add_argument("--chunk", type=int, default=128, help="resident decode steps per session.run")
    p.add_argument("--node", default="node")
    p.add_argument("--merge", help="an earlier gpu.json whose runs (other n) are kept in the new one")
    p.add_argument("--bundle", default=os.path.join(ROOT, "bench", "gpu", "dist", "resident-bench.cjs"))
    args = p.parse_args()

    device = torch.device("cpu" if args.cpu else "cuda")
    dtype = torch.float32 if args.cpu else torch.float16
    shape = TINY if args.tiny else QWEN2_0_5B
    os.makedirs(args.out, exist_ok=True)
    folder = os.path.join(args.work, "tiny" if args.tiny else "qwen2-0.5b-shaped")
    t0 = time.time()
    write_folder(folder, shape, np.float32 if args.cpu else np.float16)
    print(f"exported {folder} in {time.time() - t0:.1f} s", flush=True)

    info = {"device": "cpu" if args.cpu else torch.cuda.get_device_name(0), "driver": None,
            "torch": torch.__version__, "shape": shape.__dict__, "dtype": str(dtype).replace("torch.", ""),
            "prompt_len": args.prompt_len, "new_tokens": args.new, "chunk": args.chunk,
            "sampling": {"temperature": 0.6, "top_p": 0.95, "top_k": 0}}
    if not args.cpu:
        try:
            info["driver"] = subprocess.run(["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
                                            capture_output=True, text=True).stdout.strip()
        except OSError:
            pass
    if args.tiny:
        try:
            info["onnx_vs_torch_max_abs_logit_diff"] = check_onnx_against_torch(folder, shape, dtype, device)
        except ImportError:
            info["onnx_vs_torch_max_abs_logit_diff"] = None
    bandwidth = measure_bandwidth(device, (1 << 28) if args.cpu else (4 << 30))
    info["bandwidth_bytes_per_s"] = bandwidth
    print(f"bandwidth {bandwidth / 1e9:.1f} GB/s (read + write)", flush=True)

    gen = torch.Generator().manual_seed(0)
    prompt = torch.randint(0, shape.vocab, (args.prompt_len,), generator=gen).to(device)
    runs = []
    for n in [int(x) for x in args.n.split(",")]:
        try:
            row = {"n": n}
            row["roofline"] = roofline(shape, n, args.prompt_len, args.new, 2 if dtype == torch.float16 else 4, bandwidth)
            row["torch"] = torch_tokens_per_s(shape, dtype, device, n, prompt, args.new, args.reps)
            if device.type == "cuda":
                torch.cuda.empty_cache()
            row["node"] = node_bench(args, folder, n)
        except (torch.cuda.OutOfMemoryError, SystemExit) as error:
            print(f"n = {n}: stopped: {error}", flush=True)
            if not runs:
                raise
            break
        tps = {"step": row["node"].get("step", {}).get("tokens_per_s"), "resident": row["node"]["resident"]["tokens_per_s"],
               "torch": row["torch"]["tokens_per_s"]}
        row["tokens_per_s"] = tps
        row["roofline_tokens_per_s"] = row["roofline"]["tokens_per_s"]
        row["ratio_vs_torch"] = tps["resident"] / tps["torch"]
        row["fraction_of_roofline"] = tps["resident"] / row["roofline_tokens_per_s"]
        runs.append(row)

    if args.merge:
        with open(args.merge) as f:
            earlier = [r for r in json.load(f)["runs"] if r["n"] not in {x["n"] for x in runs}]
        runs = sorted(earlier + runs, key=lambda r: r["n"])
    first = runs[0]
    result = {**info, "n": first["n"], "tokens_per_s": first["tokens_per_s"],
              "roofline_tokens_per_s": first["roofline_tokens_per_s"], "ratio_vs_torch": first["ratio_vs_torch"],
              "fraction_of_roofline": first["fraction_of_roofline"], "runs": runs}
    with open(os.path.join(args.out, "gpu.json"), "w") as f:
        json.dump(result, f, indent=1)
    lines = [f"# GPU decode measurement ({result['device']}, driver {result['driver']})", "",
             f"Qwen2-0.5B-shaped decoder{' (TINY)' if args.tiny else ''}, random weights, {result['dtype']}; one "
             f"{args.prompt_len}-token prompt, {args.new} new tokens fixed length, temperature 0.6, top-p 0.95; "
             f"medians of {args.reps} runs after a warm-up (step path: {args.step_reps}). Measured device bandwidth "
             f"{bandwidth / 1e9:.0f} GB/s (copy, read + write). Torch baseline: {first['torch']['impl']}.", "",
             "| n | step (tok/s) | resident (tok/s) | torch (tok/s) | roofline (tok/s) | resident/torch | resident/roofline |",
             "|---|---|---|---|---|---|---|"]
    for r in runs:
        t = r["tokens_per_s"]
        step = "not run" if t["step"] is None else f"{t['step']:.0f}"
        lines.append(f"| {r['n']} | {step} | {t['resident']:.0f} | {t['torch']:.0f} | "
                     f"{r['roofline_tokens_per_s']:.0f} | {r['ratio_vs_torch']:.2f} | {r['fraction_of_roofline']:.2f} |")
    with open(os.path.join(args.out, "gpu.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
