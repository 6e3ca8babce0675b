"""Write a randomly initialised model folder (same files as the trained trio).

usage: python3 tools/modelzoo/make_random.py OUT_DIR [SEED]
"""
import os
import sys
import torch
from model import Config, TinyQwen
from hf_files import VOCAB_SIZE, write_hf_files
from export_onnx import export


def main() -> None:
    out = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    torch.set_num_threads(2)
    torch.manual_seed(seed)
    cfg = Config(vocab_size=VOCAB_SIZE)
    model = TinyQwen(cfg)
    write_hf_files(out, cfg)
    export(model, os.path.join(out, "onnx", "model.onnx"))

    print(f"wrote {out} ({model.num_parameters()} parameters)")


if __name__ == "__main__":
    main()
