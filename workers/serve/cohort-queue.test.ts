import { describe, expect, it } from 'vitest';
import { CohortQueue, cohortKey } from './cohort-queue.ts';

describe('cohort queue', () => {
  it('gathers rows of one prompt and settings into one batch, oldest group first', () => {
    const queue = new CohortQueue<string>();
    const a = cohortKey([1, 2], { temperature: 0.6 });
    const b = cohortKey([1, 2], { temperature: 1 });
    queue.add(a, ['a1']);
    queue.add(b, ['b1', 'b2']);
    queue.add(a, ['a2', 'a3']);
    expect(queue.rows).toBe(5);
    expect(queue.take()).toEqual({ key: a, rows: ['a1', 'a2', 'a3'] });
    expect(queue.take()).toEqual({ key: b, rows: ['b1', 'b2'] });
    expect(queue.take()).toBeNull();
  });

  it('drops the rows of a client that went away, and groups left empty', () => {
    const queue = new CohortQueue<{ client: number }>();
    queue.add('x', [{ client: 1 }, { client: 2 }]);
    queue.add('y', [{ client: 1 }]);
    expect(queue.remove((row) => row.client === 1)).toBe(2);
    expect(queue.take()).toEqual({ key: 'x', rows: [{ client: 2 }] });
    expect(queue.take()).toBeNull();
  });

  it('keys differ when prompts differ only in where tokens split', () => {
    expect(cohortKey([12, 3], {})).not.toBe(cohortKey([1, 23], {}));
  });
});
