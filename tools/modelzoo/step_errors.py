"""Where the chains of a `passk run` go wrong: checks every `a op b = c` line of each sample
against a op b (with the sample's own a, so one slip is counted once) and prints the share of
samples by their first wrong step (a slip of ±1, ±2 or ±10, as in the base corpus, or another
error, by operator) and each operator's step accuracy.

usage: python3 tools/modelzoo/step_errors.py RUN/samples.jsonl [MODEL_ID]"""
import collections
import json
import re
import sys

STEP = re.compile(r"^(-?\d+)([+\-*])(-?\d+)=(-?\d+)$")


def main() -> None:
    path = sys.argv[1]
    model = sys.argv[2] if len(sys.argv) > 2 else None
    kinds, steps, right = collections.Counter(), collections.Counter(), collections.Counter()
    n = 0
    with open(path) as f:
        for line in f:
            s = json.loads(line)
            if model and s["model"] != model:
                continue
            n += 1
            if s["correct"]:
                kinds["correct"] += 1
                continue
            first = None
            for text in s["text"].split("\n"):
                m = STEP.match(text)
                if not m:
                    continue
                a, op, b, c = int(m[1]), m[2], int(m[3]), int(m[4])
                true = a + b if op == "+" else a - b if op == "-" else a * b
                steps[op] += 1
                if true == c:
                    right[op] += 1
                elif first is None:
                    first = ("slip " if abs(c - true) in (1, 2, 10) else "other ") + op
            kinds[first or "wrong, no arithmetic error"] += 1
    print(f"{n} samples; by first wrong step: " + ", ".join(f"{k} {v / n:.3f}" for k, v in kinds.most_common()))
    print("step accuracy: " + ", ".join(f"{op} {right[op] / steps[op]:.3f}" for op in sorted(steps)))


if __name__ == "__main__":
    main()
