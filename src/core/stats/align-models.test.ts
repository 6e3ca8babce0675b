import { describe, expect, it } from 'vitest';
import { alignModels } from './align-models.ts';

describe('alignModels', () => {
  it('lays every model out over one problem order, with roles and smallest n', () => {
    const result = alignModels([
      { model: 'b', role: 'base', problem: 'p1', n: 8, c: 1 },
      { model: 'r', problem: 'p2', n: 4, c: 4 },
      { model: 'b', problem: 'p2', n: 8, c: 0 },
      { model: 'r', problem: 'p1', n: 16, c: 3 },
    ]);
    expect(result).toEqual({
      ok: true,
      value: {
        problems: ['p1', 'p2'],
        models: [
          { model: 'b', role: 'base', n: [8, 8], c: [1, 0], minN: 8 },
          { model: 'r', role: 'other', n: [16, 4], c: [3, 4], minN: 4 },
        ],
      },
    });
  });

  it('names the model and the problem it lacks', () => {
    const result = alignModels([
      { model: 'b', problem: 'p1', n: 8, c: 1 },
      { model: 'b', problem: 'p2', n: 8, c: 1 },
      { model: 'r', problem: 'p1', n: 8, c: 1 },
    ]);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/model "r" has no result for problem "p2" \(model "b" has one\)/) });
  });

  it('refuses duplicate rows, two roles and impossible counts', () => {
    expect(alignModels([{ model: 'b', problem: 'p', n: 2, c: 1 }, { model: 'b', problem: 'p', n: 2, c: 1 }])).toMatchObject({ ok: false, error: expect.stringContaining('two rows') });
    expect(alignModels([{ model: 'b', role: 'base', problem: 'p', n: 2, c: 1 }, { model: 'b', role: 'rl', problem: 'q', n: 2, c: 1 }])).toMatchObject({ ok: false, error: expect.stringContaining('two roles') });
    expect(alignModels([{ model: 'b', problem: 'p', n: 2, c: 3 }])).toMatchObject({ ok: false, error: expect.stringContaining('0 ≤ c ≤ n') });
  });
});
