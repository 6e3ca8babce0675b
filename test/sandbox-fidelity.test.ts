import { describe, expect, it } from 'vitest';
import { bwrapWorks, createCodePool } from '../workers/verify/code/index.ts';
import { FIDELITY } from './fidelity-programs.ts';

const sandbox = bwrapWorks();
if (!sandbox) console.warn('skipping fidelity tests: bubblewrap is missing or cannot create namespaces (apt-get install bubblewrap)');

describe.skipIf(!sandbox)('the judge judges as the test compares (issue 25)', () => {
  it('passes every right program and fails every wrong one, in each category', async () => {
    const pool = createCodePool({ sandbox: 'bwrap', concurrency: 2, timeoutMs: 10_000, warn: () => {} });
    const verdicts = await Promise.all(FIDELITY.map((c) => pool.verify(c.task, c.completion)));
    await pool.close();
    const misjudged = FIDELITY.flatMap((c, i) => (verdicts[i].correct === (c.expect === 'right') ? [] : [`${c.category}: ${c.name} (${c.expect}: ${c.reason}) judged ${verdicts[i].correct ? 'right' : 'wrong'}: ${verdicts[i].reason}`]));
    expect(misjudged).toEqual([]);
    // Every category has cases both ways, except StopIteration's, whose right side is the ordinary one.
    for (const category of new Set(FIDELITY.map((c) => c.category))) {
      expect(FIDELITY.filter((c) => c.category === category && c.expect === 'wrong').length, category).toBeGreaterThan(0);
      expect(FIDELITY.filter((c) => c.category === category && c.expect === 'right').length, category).toBeGreaterThan(0);
    }
    // The reasons say what went wrong.
    const reason = (name: string) => verdicts[FIDELITY.findIndex((c) => c.name === name)].reason;
    expect(reason('raises StopIteration for the inputs all() maps')).toMatch(/^RuntimeError: the completion raised StopIteration at test line 2/);
    expect(reason('own class merely named ValueError')).toMatch(/^Exception: \{bad at test line 3/);
    expect(reason('an object that imitates a match')).toBe('find_ab() returned an object of class M, which is not plain data');
  });
});
