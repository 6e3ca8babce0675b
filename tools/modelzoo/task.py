"""Python twin of src/core/benchmarks/chain-arithmetic.ts (bit-for-bit, checked by build.py
against the shipped JSONL), plus training-data variants: flawed chains for the base corpus."""
import json
import os

MASK = 0xFFFFFFFF
LEVELS = [1, 2, 3, 4, 5]
MAX_VALUE = 199
OP_WORDS = {"+": "add", "-": "subtract", "*": "multiply by"}
TRAIN_SEED_BASE = 1_000_000_000  # test split seeds live near 2.0e7


def _imul(a: int, b: int) -> int:
    return (a * b) & MASK


def mulberry32(seed: int):
    state = seed & MASK

    def rand() -> float:
        nonlocal state
        state = (state + 0x6D2B79F5) & MASK
        t = _imul(state ^ (state >> 15), state | 1)
        t = ((t + _imul(t ^ (t >> 7), t | 61)) & MASK) ^ t
        return ((t ^ (t >> 14)) & MASK) / 4294967296

    return rand


def rand_int(rand, lo: int, hi: int) -> int:
    return lo + int(rand() * (hi - lo + 1))


def apply(op: str, a: int, b: int) -> int:
    return a + b if op == "+" else a - b if op == "-" else a * b


def draw_step(rand, level: int, value: int):
    max_addend = 9 if level <= 2 else 19
    while True:
        r = rand()
        op = "+" if r < 0.4 else "-" if r < 0.75 else "*"
        operand = rand_int(rand, 2, 5) if op == "*" else rand_int(rand, 2, max_addend)
        after = apply(op, value, operand)
        if 0 <= after <= MAX_VALUE:
            return (op, operand, value, after)


def draw_steps(rand, level: int):
    start = rand_int(rand, 2, 20)
    steps, value = [], start
    for _ in range(level + 1):
        s = draw_step(rand, level, value)
        steps.append(s)
        value = s[3]
    return start, steps


def problem_text(start: int, steps) -> str:
    parts = [f"{OP_WORDS[op]} {operand}" for op, operand, _, _ in steps]
    return f"Start with {start}, {', '.join(parts)}. What is the result?"


def solution_text(steps) -> str:
    lines = [f"{b}{op}{n}={a}" for op, n, b, a in steps]
    return "\n".join(lines) + "\n\\boxed{" + str(steps[-1][3]) + "}"


def generate(seed: int, level: int):
    start, steps = draw_steps(mulberry32(seed), level)
    return {"problem": problem_text(start, steps), "answer": str(steps[-1][3]),
            "level": level, "solution": solution_text(steps), "start": start, "steps": steps}


def generate_split(split_seed: int, per_level: int, prefix: str = "chain-arithmetic"):
    out, seen = [], set()
    for level in LEVELS:
        made, i = 0, 0
        while made < per_level:
            p = generate(split_seed + 1000 * level + i, level)
            i += 1
            if p["problem"] in seen:
                continue
            seen.add(p["problem"])
            out.append({"id": f"{prefix}-{level}-{made:03d}", **p})
            made += 1
    return out


def load_jsonl(path: str):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def training_problems(count: int, offset: int, exclude: set, level_weights=None):
    """count problems from seeds TRAIN_SEED_BASE + offset + i, none of whose text is in exclude."""
    weights = level_weights or {lv: 1.0 for lv in LEVELS}
    total = sum(weights.values())
    out, i = [], 0
    while len(out) < count:
        seed = TRAIN_SEED_BASE + offset + i
        i += 1
        r = mulberry32(seed ^ 0x5F3759DF)()
        acc, level = 0.0, LEVELS[-1]
        for lv in LEVELS:
            acc += weights[lv] / total
            if r < acc:
                level = lv
                break
        p = generate(seed, level)
        if p["problem"] in exclude:
            continue
        out.append(p)
    return out


def flawed_solution(p, rng) -> str:
    """A worked solution with one slip (a wrong result at one step) carried on consistently,
    the kind of mistake a careless solver makes; the boxed answer follows the slip."""
    steps = p["steps"]
    k = rng.randrange(len(steps))
    lines, value = [], p["start"]
    for idx, (op, n, _, _) in enumerate(steps):
        res = apply(op, value, n)
        if idx == k:
            delta = rng.choice([-10, -2, -1, 1, 2, 10])
            res = max(0, res + delta)
        lines.append(f"{value}{op}{n}={res}")
        value = res
    return "\n".join(lines) + "\n\\boxed{" + str(value) + "}"


def check_twin(repo_root: str) -> None:
    """The Python twin must reproduce the TypeScript-generated test split exactly."""
    path = os.path.join(repo_root, "resources/benchmarks/chain-arithmetic-test.jsonl")
    shipped = load_jsonl(path)
    mine = generate_split(20250418, 50)
    for a, b in zip(shipped, mine):
        for key in ("id", "problem", "answer", "level", "solution"):
            if a[key] != b[key]:
                raise SystemExit(f"task.py disagrees with {path} at {a['id']} field {key}")
    if len(shipped) != len(mine):
        raise SystemExit(f"task.py made {len(mine)} problems, {path} has {len(shipped)}")
