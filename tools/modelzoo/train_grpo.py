"""GRPO with a 0/1 exact-match reward on the boxed answer: no value network, no KL term,
one on-policy gradient step per batch (so the PPO ratio is 1 and clipping is moot)."""
import random
import time
import torch
import torch.nn.functional as F
from model import TinyQwen
from hf_files import decode
from sample import is_correct, sample
from train_sft import encode_example, make_batch


def grpo(model: TinyQwen, problems, steps: int, problems_per_step: int, group: int, lr: float,
         temperature: float, seed: int, log_every: int = 5):
    rng = random.Random(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.98), weight_decay=0.0)
    t0 = time.time()
    history = []
    for step in range(steps):
        batch = [problems[rng.randrange(len(problems))] for _ in range(problems_per_step)]
        model.eval()
        outs = sample(model, [p["problem"] for p in batch], group, temperature, 1.0, seed * 100003 + step)
        examples, advantages = [], []
        mean_reward = 0.0
        for p, group_outs in zip(batch, outs):
            rewards = torch.tensor([float(is_correct(decode(o), p["answer"])) for o in group_outs])
            mean_reward += rewards.mean().item() / len(batch)
            if rewards.std() == 0:
                continue  # all equal: zero advantage, nothing to learn from this group
            adv = (rewards - rewards.mean()) / (rewards.std() + 1e-4)
            for o, a in zip(group_outs, adv.tolist()):
                prompt, _ = encode_example(p["problem"], "")
                examples.append((prompt, list(o)))
                advantages.append(a)
        history.append(mean_reward)
        if examples:
            model.train()
            ids, mask, pos, tgt = make_batch_raw(examples)
            logits, _ = model(ids, mask, pos, model.empty_past(ids.shape[0]))
            logp = -F.cross_entropy(logits.transpose(1, 2), tgt, ignore_index=-100, reduction="none")
            valid = (tgt != -100).float()
            adv = torch.tensor(advantages).unsqueeze(1)
            loss = -(adv * logp * valid).sum() / valid.sum()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
        if step % log_every == 0 or step == steps - 1:
            recent = sum(history[-log_every:]) / len(history[-log_every:])
            print(f"  rl step {step:4d} reward {recent:.3f} groups-with-signal {len(examples) // group}"
                  f" {time.time() - t0:.0f}s", flush=True)
    model.eval()
    return time.time() - t0, history


def make_batch_raw(examples):
    """Like make_batch, but completions are given as token ids (already ending in eos or cut)."""
    return make_batch([(p, c) for p, c in examples])
