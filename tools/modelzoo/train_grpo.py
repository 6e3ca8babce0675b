"""GRPO with a 0/1 exact-match reward on the boxed answer: no value network, no KL term,
one on-policy gradient step per batch (so the PPO ratio is 1 and clipping is moot).

Cost control on a 2-core CPU: a group whose rewards are all equal carries no signal and is
skipped; in a group with signal every correct sample is kept and at most `max_negatives`
wrong ones are drawn at random, their advantage scaled by (wrong / kept) so that the
gradient stays an unbiased estimate of the full group's. `max_negatives` 0 is different in
kind: only the correct samples are trained on (rl phase 2 in build.py), which with
`policy_temperature` 1 and rollouts at T 0.6 sharpens the model rather than estimating the
group's gradient."""
import random
import time
import torch
import torch.nn.functional as F
from model import TinyQwen
from hf_files import decode
from sample import is_correct, sample
from train_sft import encode_example, make_batch


def grpo(model: TinyQwen, problems, steps: int, problems_per_step: int, group: int, lr: float,
         temperature: float, seed: int, max_negatives: int = 4, log_every: int = 5,
         on_checkpoint=None, checkpoint_every: int = 0, policy_temperature: float = 1.0,
         per_sequence: bool = False):
    """policy_temperature: the policy trained is softmax(logits / policy_temperature); with it
    equal to `temperature` the rollouts are exactly on-policy (sampling at T = 0.6 and
    training the T = 1 policy, the default, is slightly off-policy). per_sequence: average
    the loss over each sample's tokens, then over samples (GRPO as published), instead of over
    all tokens of the batch (long samples weigh more)."""
    rng = random.Random(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.98), weight_decay=0.0)
    t0 = time.time()
    history = []
    for step in range(steps):
        batch = [problems[rng.randrange(len(problems))] for _ in range(problems_per_step)]
        model.eval()
        outs = sample(model, [p["problem"] for p in batch], group, temperature, 1.0, seed * 100003 + step)
        examples, advantages = [], []
        mean_reward, with_signal = 0.0, 0
        for p, group_outs in zip(batch, outs):
            rewards = torch.tensor([float(is_correct(decode(o), p["answer"])) for o in group_outs])
            mean_reward += rewards.mean().item() / len(batch)
            if rewards.std() == 0:
                continue  # all equal: zero advantage, nothing to learn from this group
            with_signal += 1
            adv = ((rewards - rewards.mean()) / (rewards.std() + 1e-4)).tolist()
            pos = [i for i, r in enumerate(rewards.tolist()) if r > 0]
            neg = [i for i, r in enumerate(rewards.tolist()) if r == 0]
            kept = neg if len(neg) <= max_negatives else rng.sample(neg, max_negatives)
            prompt, _ = encode_example(p["problem"], "")
            for i in pos:
                examples.append((prompt, list(group_outs[i])))
                advantages.append(adv[i])
            for i in kept:
                examples.append((prompt, list(group_outs[i])))
                advantages.append(adv[i] * len(neg) / len(kept))
        history.append(mean_reward)
        if examples:
            model.train()
            ids, mask, pos_ids, tgt = make_batch(examples)
            logits, _ = model(ids, mask, pos_ids, model.empty_past(ids.shape[0]))
            logits = logits / policy_temperature
            logp = -F.cross_entropy(logits.transpose(1, 2), tgt, ignore_index=-100, reduction="none")
            valid = (tgt != -100).float()
            adv_t = torch.tensor(advantages).unsqueeze(1)
            if per_sequence:
                loss = -((adv_t * logp * valid).sum(1) / valid.sum(1)).mean()
            else:  # token-level mean over the whole group batch (every sample weighs by its length)
                loss = -(adv_t * logp * valid).sum() / valid.sum()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
        if step % log_every == 0 or step == steps - 1:
            recent = sum(history[-log_every:]) / len(history[-log_every:])
            print(f"  rl step {step:4d} reward {recent:.3f} groups-with-signal {with_signal}"
                  f" trained-on {len(examples)} {time.time() - t0:.0f}s", flush=True)
        if on_checkpoint and checkpoint_every and (step + 1) % checkpoint_every == 0:
            on_checkpoint(model, step + 1)
            model.eval()
    model.eval()
    return time.time() - t0, history
