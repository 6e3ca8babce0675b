"""Supervised training of a TinyQwen on chat-formatted worked solutions (loss on the answer only)."""
import math
import random
import time
import torch
import torch.nn.functional as F
from model import Config, TinyQwen
from hf_files import IM_END, ENDOFTEXT, PROMPT_SUFFIX, VOCAB_SIZE, chat_prompt, encode


def user_message(problem: str) -> str:
    return f"{problem}\n{PROMPT_SUFFIX}"


def encode_example(problem: str, solution: str):
    prompt = encode(chat_prompt(user_message(problem)))
    answer = encode(solution) + [IM_END]
    return prompt, answer


def make_batch(examples):
    """Right-padded ids, attention mask, position ids and loss targets (-100 outside answers)."""
    seqs = [p + a for p, a in examples]
    t = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), t), ENDOFTEXT, dtype=torch.long)
    tgt = torch.full((len(seqs), t), -100, dtype=torch.long)
    mask = torch.zeros((len(seqs), t), dtype=torch.long)
    for r, ((p, a), s) in enumerate(zip(examples, seqs)):
        ids[r, :len(s)] = torch.tensor(s)
        mask[r, :len(s)] = 1
        # predict token j+1 at position j, only for answer tokens
        tgt[r, len(p) - 1:len(s) - 1] = torch.tensor(a)
    pos = torch.arange(t).unsqueeze(0).expand(len(seqs), -1)
    return ids, mask, pos, tgt


def train(model: TinyQwen, examples, steps: int, batch_size: int, lr: float, seed: int,
          log_every: int = 50, warmup: int = 50, on_checkpoint=None, checkpoint_every: int = 0,
          schedule_steps: int | None = None):
    """Cosine schedule (to 10 %) over schedule_steps (default: steps); stopping before its end
    is early stopping, the same run cut short."""
    rng = random.Random(seed)
    torch.manual_seed(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.98), weight_decay=0.01)
    model.train()
    t0 = time.time()
    running = None
    for step in range(steps):
        frac = step / max(1, schedule_steps or steps)
        cur = lr * min(1.0, (step + 1) / warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = cur
        batch = [examples[rng.randrange(len(examples))] for _ in range(batch_size)]
        ids, mask, pos, tgt = make_batch(batch)
        logits, _ = model(ids, mask, pos, model.empty_past(ids.shape[0]))
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1), ignore_index=-100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
        if step % log_every == 0 or step == steps - 1:
            print(f"  step {step:5d} loss {running:.4f} lr {cur:.2e} {time.time() - t0:.0f}s", flush=True)
        if on_checkpoint and checkpoint_every and (step + 1) % checkpoint_every == 0:
            on_checkpoint(model, step + 1)
    model.eval()
    return time.time() - t0
