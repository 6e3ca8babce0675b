"""Batched sampling with a KV cache (temperature + top-p), answer checking and pass@k.

Each prompt is prefilled once; its n samples read its cache in place (no copies)."""
import math
import re
import torch
from model import TinyQwen, rotate_half
from hf_files import ENDOFTEXT, IM_END, chat_prompt, decode, encode
from train_sft import user_message

BOXED = re.compile(r"\\boxed\{([^{}]*)\}")


def boxed_answer(text: str):
    found = BOXED.findall(text)
    return found[-1].strip() if found else None


def is_correct(text: str, answer: str) -> bool:
    return boxed_answer(text) == answer


def top_p_sample(logits, temperature: float, top_p: float, gen: torch.Generator):
    probs = torch.softmax(logits / temperature, dim=-1)
    if top_p < 1.0:
        sorted_p, idx = torch.sort(probs, dim=-1, descending=True)
        cum = torch.cumsum(sorted_p, dim=-1)
        sorted_p = sorted_p.masked_fill(cum - sorted_p > top_p, 0.0)
        choice = torch.multinomial(sorted_p, 1, generator=gen)
        return idx.gather(-1, choice).squeeze(-1)
    return torch.multinomial(probs, 1, generator=gen).squeeze(-1)


def _rope(model: TinyQwen, pos):
    freqs = pos.to(torch.float32).unsqueeze(-1) * model.inv_freq
    emb = torch.cat([freqs, freqs], dim=-1)
    return emb.cos()[:, None, None, :], emb.sin()[:, None, None, :]


def _decode_step(model: TinyQwen, tok, pos, prefix, prefix_mask, suffix, g: int, n: int):
    """One token for R = problems * n rows. The prompt cache `prefix` ([problems, kv, P, hd]
    per layer) is shared by the n rows of its problem instead of being copied to each row;
    `suffix` ([R, kv, G, hd] per layer) holds generated tokens, filled up to index g."""
    cfg = model.cfg
    h, kvh, hd = cfg.num_attention_heads, cfg.num_key_value_heads, cfg.head_dim
    rep = h // kvh
    r = tok.shape[0]
    npb = r // n
    x = model.embed_tokens(tok)  # [R, d]
    cos, sin = _rope(model, pos)
    scale = 1.0 / math.sqrt(hd)
    pmask = prefix_mask.bool()[:, None, None, None, :]  # [npb,1,1,1,P]
    for layer, (pk, pv), (sk, sv) in zip(model.layers, prefix, suffix):
        att = layer.self_attn
        hx = layer.input_layernorm(x)
        q = att.q_proj(hx).view(r, h, 1, hd)
        k = att.k_proj(hx).view(r, kvh, 1, hd)
        v = att.v_proj(hx).view(r, kvh, 1, hd)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        sk[:, :, g:g + 1] = k
        sv[:, :, g:g + 1] = v
        # prefix scores: fold the n rows of a problem into the query axis
        qp = q.view(npb, n, kvh, rep, hd).permute(0, 2, 1, 3, 4).reshape(npb, kvh, n * rep, hd)
        sp = torch.matmul(qp, pk.transpose(2, 3)) * scale  # [npb, kv, n*rep, P]
        sp = sp.view(npb, kvh, n, rep, -1).permute(0, 2, 1, 3, 4)  # [npb, n, kv, rep, P]
        sp = sp.masked_fill(~pmask, torch.finfo(sp.dtype).min).reshape(r, kvh, rep, -1)
        ss = torch.matmul(q.view(r, kvh, rep, hd), sk[:, :, :g + 1].transpose(2, 3)) * scale
        probs = torch.softmax(torch.cat([sp, ss], dim=-1), dim=-1)
        plen = sp.shape[-1]
        pp = probs[..., :plen].reshape(npb, n, kvh, rep, plen).permute(0, 2, 1, 3, 4).reshape(npb, kvh, n * rep, plen)
        op = torch.matmul(pp, pv).view(npb, kvh, n, rep, hd).permute(0, 2, 1, 3, 4).reshape(r, kvh, rep, hd)
        os_ = torch.matmul(probs[..., plen:], sv[:, :, :g + 1])
        x = x + att.o_proj((op + os_).reshape(r, h * hd))
        x = x + layer.mlp(layer.post_attention_layernorm(x))
    return model.lm_head(model.norm(x))


@torch.no_grad()
def sample(model: TinyQwen, problems, n: int, temperature: float, top_p: float, seed: int,
           max_new_tokens: int = 110):
    """problems: list of problem texts. Returns, per problem, n lists of generated token ids
    (ending with the eos token unless cut at max_new_tokens)."""
    cfg = model.cfg
    gen = torch.Generator().manual_seed(seed)
    prompts = [encode(chat_prompt(user_message(p))) for p in problems]
    plen = max(len(p) for p in prompts)
    npb = len(prompts)
    ids = torch.full((npb, plen), ENDOFTEXT, dtype=torch.long)
    mask = torch.zeros((npb, plen), dtype=torch.long)
    for i, p in enumerate(prompts):  # left padding
        ids[i, plen - len(p):] = torch.tensor(p)
        mask[i, plen - len(p):] = 1
    pos = (mask.cumsum(-1) - 1).clamp(min=0)
    logits, prefix = model(ids, mask, pos, model.empty_past(npb))
    r = npb * n
    last = logits[:, -1].repeat_interleave(n, dim=0)
    next_pos = (pos[:, -1] + 1).repeat_interleave(n)
    suffix = [(torch.zeros(r, cfg.num_key_value_heads, max_new_tokens, cfg.head_dim),
               torch.zeros(r, cfg.num_key_value_heads, max_new_tokens, cfg.head_dim))
              for _ in range(cfg.num_hidden_layers)]
    out = torch.full((r, max_new_tokens), -1, dtype=torch.long)
    finished = torch.zeros(r, dtype=torch.bool)
    for g in range(max_new_tokens):
        tok = top_p_sample(last, temperature, top_p, gen)
        out[:, g] = torch.where(finished, torch.full_like(tok, -1), tok)
        finished |= (tok == IM_END) | (tok == ENDOFTEXT)
        if finished.all() or g == max_new_tokens - 1:
            break
        # finished rows keep computing (rows stay grouped by problem); their tokens are dropped
        last = _decode_step(model, tok, next_pos, prefix, mask, suffix, g, n)
        next_pos = next_pos + 1
    rows = [[t for t in row if t >= 0] for row in out.tolist()]
    return [rows[i * n:(i + 1) * n] for i in range(npb)]


def pass_at_k(n: int, c: int, k: int) -> float:
    if n - c < k:
        return 1.0
    return 1.0 - math.prod((n - c - i) / (n - i) for i in range(k))


def count_correct(model, problems, n, temperature, top_p, seed, chunk_rows=1024):
    """problems: dicts with problem/answer. Returns the number of correct samples per problem."""
    per_chunk = max(1, chunk_rows // n)
    counts = []
    for s in range(0, len(problems), per_chunk):
        part = problems[s:s + per_chunk]
        samples = sample(model, [p["problem"] for p in part], n, temperature, top_p, seed + s)
        for p, outs in zip(part, samples):
            counts.append(sum(is_correct(decode(o), p["answer"]) for o in outs))
    return counts
