"""Batched sampling with a KV cache (temperature + top-p), answer checking and pass@k.

Each prompt is prefilled once and its cache tiled to its samples; finished rows are dropped
from the batch so the cost follows the live rows only."""
import math
import re
import torch
from model import TinyQwen
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


@torch.no_grad()
def sample(model: TinyQwen, problems, n: int, temperature: float, top_p: float, seed: int,
           max_new_tokens: int = 120):
    """problems: list of problem texts. Returns, per problem, n lists of generated token ids."""
    gen = torch.Generator().manual_seed(seed)
    prompts = [encode(chat_prompt(user_message(p))) for p in problems]
    plen = max(len(p) for p in prompts)
    b0 = len(prompts)
    ids = torch.full((b0, plen), ENDOFTEXT, dtype=torch.long)
    mask = torch.zeros((b0, plen), dtype=torch.long)
    for r, p in enumerate(prompts):  # left padding
        ids[r, plen - len(p):] = torch.tensor(p)
        mask[r, plen - len(p):] = 1
    pos = (mask.cumsum(-1) - 1).clamp(min=0)
    logits, past = model(ids, mask, pos, model.empty_past(b0))
    rows = torch.arange(b0).repeat_interleave(n)
    past = [(k[rows], v[rows]) for k, v in past]
    mask = mask[rows]
    next_pos = pos[rows, -1] + 1
    last = logits[rows, -1]
    out = [[] for _ in range(b0 * n)]
    live = torch.arange(b0 * n)
    for _ in range(max_new_tokens):
        tok = top_p_sample(last, temperature, top_p, gen)
        done = (tok == IM_END) | (tok == ENDOFTEXT)
        for j, t in zip(live.tolist(), tok.tolist()):
            out[j].append(t)
        keep = ~done
        if not keep.any():
            break
        if not keep.all():
            sel = keep.nonzero().squeeze(-1)
            live, tok, mask, next_pos = live[sel], tok[sel], mask[sel], next_pos[sel]
            past = [(k[sel], v[sel]) for k, v in past]
        mask = torch.cat([mask, torch.ones(len(live), 1, dtype=torch.long)], dim=1)
        logits, past = model(tok.unsqueeze(1), mask, next_pos.unsqueeze(1), past)
        next_pos = next_pos + 1
        last = logits[:, -1]
    return [[out[i * n + j] for j in range(n)] for i in range(b0)]


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
