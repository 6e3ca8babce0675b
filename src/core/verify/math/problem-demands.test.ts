import { describe, expect, it } from 'vitest';
import { formViolation, NO_DEMANDS, readFormDemands } from './problem-demands.ts';

describe('readFormDemands', () => {
  it('reads rounding places, including a tenth of a cent', () => {
    expect(readFormDemands('Express your answer to the nearest whole number.').digits).toBe(0);
    expect(readFormDemands('Round to the nearest hundredth.').digits).toBe(2);
    expect(readFormDemands('Give it to the nearest tenth of a cent.').digits).toBe(3);
    expect(readFormDemands('rounded to two decimal places').digits).toBe(2);
  });

  it('reads the form words and nothing from a problem without them', () => {
    expect(readFormDemands('Express your answer as a common fraction.')).toMatchObject({ fraction: true, decimal: false });
    expect(readFormDemands('Express $\\frac{5}{8}$ as a decimal.')).toMatchObject({ decimal: true });
    expect(readFormDemands('Factor $x^2 - 4$.')).toMatchObject({ factored: true });
    expect(readFormDemands('What is the largest prime factor of 91?')).toMatchObject({ factored: false });
    expect(readFormDemands(undefined)).toEqual(NO_DEMANDS);
    expect(readFormDemands('How many apples are left?')).toEqual(NO_DEMANDS);
  });
});

describe('formViolation', () => {
  const simplest = { ...NO_DEMANDS, simplest: true };
  it('names what keeps an answer from simplest form', () => {
    expect(formViolation('\\frac{2}{3}', '\\frac{4}{6}', simplest)).toContain('4/6');
    expect(formViolation('3\\sqrt{2}', '\\sqrt{18}', simplest)).toContain('square factor 9');
    expect(formViolation('\\frac{2}{3}', '\\frac{2}{3}', simplest)).toBeNull();
  });
  it('never applies a demand the gold itself does not meet', () => {
    expect(formViolation('\\frac{4}{6}', '\\frac{4}{6}', simplest)).toBeNull();
    expect(formViolation('x^2-1', 'x^2-1', { ...NO_DEMANDS, factored: true })).toBeNull();
    expect(formViolation('0.25', '0.25', { ...NO_DEMANDS, fraction: true })).toBeNull();
  });
});
