import { describe, expect, it } from 'vitest';
import { cutRunOn } from './cut-run-on.ts';

describe('cutRunOn', () => {
  it('cuts at the first stop word or new turn', () => {
    expect(cutRunOn('So \\boxed{3}.<|im_end|><|im_start|>user\nMore?')).toEqual({ text: 'So \\boxed{3}.', marker: '<|im_end|>' });
    expect(cutRunOn('It is 5.\n\nQuestion: what is 6?\nAnswer: 6').text).toBe('It is 5.\n');
    expect(cutRunOn('x = 2\n### Problem\nFind y.').marker).toBe('### Problem');
  });
  it('keeps a response that opens by restating its problem, and one with nothing to cut', () => {
    expect(cutRunOn('Problem: find x.\nSolution: x = 2.').marker).toBeNull();
    expect(cutRunOn('The answer is 4.')).toEqual({ text: 'The answer is 4.', marker: null });
  });
  it('cuts where the problem statement is written again after an answer, not before one', () => {
    const problem = 'A bag holds 3 red and 5 blue marbles. Two are drawn without replacement.';
    expect(cutRunOn(`So the answer is \\boxed{3/28}.\n${problem} What is…`, problem).text).toBe('So the answer is \\boxed{3/28}.\n');
    expect(cutRunOn(`Restating:\n${problem}\nWe count…`, problem).marker).toBeNull();
  });
});
