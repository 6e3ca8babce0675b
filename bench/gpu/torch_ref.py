"""The same Qwen2-shaped decoder in plain PyTorch (weights from qwen2_onnx.random_weights),
used to check the ONNX file and, where `transformers` is missing, as the PyTorch baseline:
prefill once, expand the cache to n rows, then sample with temperature and top-p."""
import torch

from qwen2_onnx import Shape, random_weights


class TorchDecoder:
    def __init__(self, shape: Shape, dtype, device, seed: int = 0):
        np_dtype = "float16" if dtype == torch.float16 else "float32"
        self.shape = shape
        self.w = {k: torch.from_numpy(v).to(device) for k, v in random_weights(shape, np_dtype, seed).items()}
        d = shape.head_dim
        self.inv_freq = (1.0 / (shape.rope_theta ** (torch.arange(0, d, 2, dtype=torch.float64) / d))).float().to(device)
        self.dtype, self.device = dtype, device

    def rms(self, x, weight):
        x32 = x.float()
        return (x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.shape.eps)).to(self.dtype) * weight

    @torch.no_grad()
    def forward(self, ids, past):
        """ids [B,S]; past: list of (k, v) [B,KV,P,D] or None. Every row at the same position."""
        s, w = self.shape, self.w
        B, S = ids.shape
        P = 0 if past is None else past[0][0].shape[2]
        pos = torch.arange(P, P + S, device=self.device).float()
        emb = torch.cat([pos[:, None] * self.inv_freq] * 2, dim=-1)
        cos, sin = emb.cos().to(self.dtype)[None, None], emb.sin().to(self.dtype)[None, None]
        qi = torch.arange(S, device=self.device)[:, None] + P
        kj = torch.arange(P + S, device=self.device)[None, :]
        bias = torch.where(kj <= qi, 0.0, -1e9).float()
        G = s.heads // s.kv_heads

        def rot(x):
            a, b = x.chunk(2, dim=-1)
            return x * cos + torch.cat([-b, a], dim=-1) * sin

        x = w["embed"][ids]
        present = []
        for i in range(s.layers):
            p = f"l{i}."
            xn = self.rms(x, w[p + "in_norm"])
            q = (xn @ w[p + "wq"] + w[p + "bq"]).view(B, S, s.heads, s.head_dim).transpose(1, 2)
            k = (xn @ w[p + "wk"] + w[p + "bk"]).view(B, S, s.kv_heads, s.head_dim).transpose(1, 2)
            v = (xn @ w[p + "wv"] + w[p + "bv"]).view(B, S, s.kv_heads, s.head_dim).transpose(1, 2)
            q, k = rot(q), rot(k)
            if past is not None:
                k = torch.cat([past[i][0], k], dim=2)
                v = torch.cat([past[i][1], v], dim=2)
            present.append((k, v))
            qg = q.reshape(B, s.kv_heads, G * S, s.head_dim)
            scores = (qg @ k.transpose(2, 3)).float().view(B, s.heads, S, -1) / s.head_dim ** 0.5 + bias
            probs = scores.softmax(-1).to(self.dtype).view(B, s.kv_heads, G * S, -1)
            att = (probs @ v).view(B, s.heads, S, s.head_dim).transpose(1, 2).reshape(B, S, -1)
            x = x + att @ w[p + "wo"]
            xn = self.rms(x, w[p + "post_norm"])
            gate = xn @ w[p + "wg"]
            x = x + (torch.nn.functional.silu(gate) * (xn @ w[p + "wu"])) @ w[p + "wd"]
        return (self.rms(x, w["norm"]) @ w["lm_head"]).float(), present

    @torch.no_grad()
    def generate(self, prompt, n: int, new_tokens: int, temperature=0.6, top_p=0.95, generator=None):
        logits, past = self.forward(prompt[None, :], None)
        past = [(k.expand(n, -1, -1, -1).contiguous(), v.expand(n, -1, -1, -1).contiguous()) for k, v in past]
        logits = logits[:, -1].expand(n, -1)
        out = []
        for _ in range(new_tokens):
            probs = (logits / temperature).softmax(-1)
            sorted_p, idx = probs.sort(-1, descending=True)
            cum = sorted_p.cumsum(-1)
            sorted_p = torch.where(cum - sorted_p < top_p, sorted_p, 0.0)
            pick = torch.multinomial(sorted_p, 1, generator=generator)
            token = idx.gather(-1, pick)
            out.append(token)
            logits, past = self.forward(token, past)
            logits = logits[:, -1]
        return torch.cat(out, dim=1)
