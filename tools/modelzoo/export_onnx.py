"""Export a TinyQwen to ONNX in the Optimum decoder-with-past layout (docs/architecture.md, "The engine and its paths")."""
import os
import torch
from model import TinyQwen


class _Flat(torch.nn.Module):
    def __init__(self, model: TinyQwen):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(len(past_flat) // 2)]
        logits, presents = self.model(input_ids, attention_mask, position_ids, past)
        out = [logits]
        for k, v in presents:
            out += [k, v]
        return tuple(out)


def export(model: TinyQwen, path: str, dtype=torch.float32) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    cfg = model.cfg
    model = model.eval()
    b, p, s = 2, 3, 4
    input_ids = torch.randint(3, cfg.vocab_size, (b, s), dtype=torch.long)
    attention_mask = torch.ones(b, p + s, dtype=torch.long)
    position_ids = torch.arange(p, p + s, dtype=torch.long).unsqueeze(0).expand(b, -1).contiguous()
    past = []
    names_in = ["input_ids", "attention_mask", "position_ids"]
    names_out = ["logits"]
    axes = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "past_sequence_length + sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
    }
    for i in range(cfg.num_hidden_layers):
        for kind in ("key", "value"):
            past.append(torch.randn(b, cfg.num_key_value_heads, p, cfg.head_dim, dtype=dtype))
            n_in, n_out = f"past_key_values.{i}.{kind}", f"present.{i}.{kind}"
            names_in.append(n_in)
            names_out.append(n_out)
            axes[n_in] = {0: "batch_size", 2: "past_sequence_length"}
            axes[n_out] = {0: "batch_size", 2: "past_sequence_length + sequence_length"}
    with torch.no_grad():
        torch.onnx.export(
            _Flat(model), (input_ids, attention_mask, position_ids, *past), path,
            input_names=names_in, output_names=names_out, dynamic_axes=axes,
            opset_version=14, do_constant_folding=True,
        )
