import { randomInt } from 'node:crypto';
import type { VerifyLease } from '../../core/protocol/worker-protocol.ts';

/**
 * A sandbox probe: a code verify lease whose right verdicts the coordinator knows. It carries
 * two completions of a task made up on the spot (random function name and constant): one
 * right, one wrong (a program that exits early, or an answer off by one), in random order.
 * A worker whose sandbox works judges the first correct and the second wrong; one without a
 * sandbox, or one that answers `correct: true` to everything, does not. It looks to the
 * worker like any verify lease and runs through the same shard kind.
 */
export interface CodeProbe {
  lease: VerifyLease;
  /** The right verdict of each sample index. */
  expected: Map<number, boolean>;
}

/** Lease ids of probes are counted down from here: far above any lease row's id, so the two never meet. */
export const FIRST_PROBE_LEASE_ID = Number.MAX_SAFE_INTEGER - 1;

export function makeCodeProbe(leaseId: number, runId: string, modelId: string, ttlMs: number): CodeProbe {
  const name = `f_${randomInt(1 << 30).toString(36)}`;
  const k = randomInt(1000, 100_000);
  const x = randomInt(1, 1000);
  // Plain Python, as a code model's completion reaches the sandbox (no fences are stripped there).
  const right = `def ${name}(x):\n    return x + ${k}\n`;
  const wrong = randomInt(2) === 0 ? `raise SystemExit(1)\n${right}` : `def ${name}(x):\n    return x + ${k + 1}\n`;
  const rightFirst = randomInt(2) === 0;
  const texts = rightFirst ? [right, wrong] : [wrong, right];
  return {
    lease: {
      kind: 'verify', leaseId, shardId: leaseId, runId, start: 0, end: 2, ttlMs,
      problem: { id: `probe-${name}`, text: `Write ${name}(x), which returns x + ${k}.` },
      modelId, verifier: 'code', gold: null, mathOptions: null,
      task: { test_list: [`assert ${name}(${x}) == ${x + k}`] },
      samples: texts.map((text, index) => ({ index, text })),
    },
    expected: new Map([[0, rightFirst], [1, !rightFirst]]),
  };
}

/** Whether the verdicts are the probe's right ones, or why not. */
export function judgeProbe(probe: CodeProbe, verdicts: readonly { index: number; correct: boolean }[]): { passed: true } | { passed: false; why: string } {
  const got = new Map(verdicts.map((v) => [v.index, v.correct]));
  for (const [index, right] of probe.expected) {
    if (!got.has(index)) return { passed: false, why: `no verdict for the probe's ${right ? 'right' : 'wrong'} completion` };
    if (got.get(index) !== right) return { passed: false, why: `it judged the probe's ${right ? 'right completion wrong' : 'wrong completion (a program that must fail) correct'}` };
  }
  return { passed: true };
}
