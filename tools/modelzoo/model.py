"""A miniature Qwen2-style decoder: RMSNorm, rotary positions, SwiGLU, grouped-query attention.

The forward signature mirrors the Optimum "text-generation-with-past" ONNX layout so the
same module is trained, sampled and exported without a second implementation.
"""
from dataclasses import dataclass, asdict
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    vocab_size: int
    hidden_size: int = 128
    intermediate_size: int = 352
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    max_position_embeddings: int = 512
    rope_theta: float = 10000.0
    rms_norm_eps: float = 1e-6

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_attention_heads

    def to_json(self) -> dict:
        return asdict(self)


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        dtype = x.dtype
        x32 = x.float()
        x32 = x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * x32.to(dtype)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.h = cfg.num_attention_heads
        self.kv = cfg.num_key_value_heads
        self.hd = cfg.head_dim
        d = cfg.hidden_size
        # Qwen2 puts biases on q/k/v and none on o.
        self.q_proj = nn.Linear(d, self.h * self.hd, bias=True)
        self.k_proj = nn.Linear(d, self.kv * self.hd, bias=True)
        self.v_proj = nn.Linear(d, self.kv * self.hd, bias=True)
        self.o_proj = nn.Linear(self.h * self.hd, d, bias=False)

    def forward(self, x, cos, sin, mask, past_k, past_v):
        b, s, _ = x.shape
        q = self.q_proj(x).view(b, s, self.h, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(b, s, self.kv, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(b, s, self.kv, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = torch.cat([past_k, k], dim=2)
        v = torch.cat([past_v, v], dim=2)
        rep = self.h // self.kv
        # Grouped-query attention without copying K/V per head: the rep query heads that
        # share a kv head are folded into the query axis (head h uses kv head h // rep).
        qg = q.reshape(b, self.kv, rep * s, self.hd)
        scores = torch.matmul(qg, k.transpose(2, 3)) / math.sqrt(self.hd)
        scores = scores.view(b, self.kv, rep, s, -1)
        # masked_fill (not an additive bias) so a fully masked padding row stays finite in fp16.
        scores = scores.masked_fill(~mask.unsqueeze(1), torch.finfo(scores.dtype).min)
        probs = torch.softmax(scores.float(), dim=-1).to(q.dtype)
        out = torch.matmul(probs.view(b, self.kv, rep * s, -1), v)
        out = out.view(b, self.h, s, self.hd).transpose(1, 2).reshape(b, s, self.h * self.hd)
        return self.o_proj(out), k, v


class MLP(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.gate_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.up_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.down_proj = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Block(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.mlp = MLP(cfg)

    def forward(self, x, cos, sin, mask, pk, pv):
        a, k, v = self.self_attn(self.input_layernorm(x), cos, sin, mask, pk, pv)
        x = x + a
        x = x + self.mlp(self.post_attention_layernorm(x))
        return x, k, v


class TinyQwen(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.cfg = cfg
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList([Block(cfg) for _ in range(cfg.num_hidden_layers)])
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)
        inv = 1.0 / (cfg.rope_theta ** (torch.arange(0, cfg.head_dim, 2).float() / cfg.head_dim))
        self.register_buffer("inv_freq", inv, persistent=False)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, std=0.02)

    def empty_past(self, batch: int, dtype=torch.float32):
        c = self.cfg
        return [(torch.zeros(batch, c.num_key_value_heads, 0, c.head_dim, dtype=dtype),
                 torch.zeros(batch, c.num_key_value_heads, 0, c.head_dim, dtype=dtype))
                for _ in range(c.num_hidden_layers)]

    def forward(self, input_ids, attention_mask, position_ids, past):
        """past: list of (key, value) [B, kv_heads, P, head_dim]; attention_mask: [B, P+S]."""
        x = self.embed_tokens(input_ids)
        s = input_ids.shape[1]
        t = attention_mask.shape[1]
        freqs = position_ids.unsqueeze(-1).to(torch.float32) * self.inv_freq
        emb = torch.cat([freqs, freqs], dim=-1).unsqueeze(1)
        cos = emb.cos().to(x.dtype)
        sin = emb.sin().to(x.dtype)
        qi = torch.arange(s, device=input_ids.device).unsqueeze(1) + (t - s)
        kj = torch.arange(t, device=input_ids.device).unsqueeze(0)
        causal = kj <= qi
        mask = causal.unsqueeze(0).unsqueeze(0) & attention_mask.bool().unsqueeze(1).unsqueeze(1)
        presents = []
        for layer, (pk, pv) in zip(self.layers, past):
            x, k, v = layer(x, cos, sin, mask, pk, pv)
            presents.append((k, v))
        return self.lm_head(self.norm(x)), presents

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())
