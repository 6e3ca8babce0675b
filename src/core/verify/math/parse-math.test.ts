import { describe, expect, it } from 'vitest';
import { evaluateMathJson } from './evaluate-math-json.ts';
import { parseMath } from './parse-math.ts';

function valueOf(latex: string, scope: Record<string, number> = {}): number {
  const parsed = parseMath(latex);
  if (!parsed.ok) throw new Error(`${latex}: ${parsed.why}`);
  const v = evaluateMathJson(parsed.value, new Map(Object.entries(scope).map(([k, re]) => [k, { re, im: 0 }])));
  return v.re;
}

describe('parseMath', () => {
  it('reads operators with TeX precedence', () => {
    expect(valueOf('1+2\\cdot 3')).toBe(7);
    expect(valueOf('-2^2')).toBe(-4);
    expect(valueOf('2x/4', { x: 6 })).toBe(3);
    expect(valueOf('x^23', { x: 3 })).toBe(27); // TeX: an unbraced exponent is one token, x²·3
    expect(valueOf('2\\frac{1}{2}')).toBe(2.5); // a mixed number
    expect(valueOf('2\\frac{x}{2}', { x: 3 })).toBe(3); // a product
    expect(valueOf('\\sqrt[3]{27}')).toBeCloseTo(3, 12);
    expect(valueOf('\\sin^2 x + \\cos^2 x', { x: 0.7 })).toBeCloseTo(1, 12);
    expect(valueOf('\\sin 2x', { x: 0.25 })).toBeCloseTo(Math.sin(0.5), 12);
    expect(valueOf('\\tan^{-1} 1')).toBeCloseTo(Math.PI / 4, 12);
    expect(valueOf('\\log_2 8')).toBeCloseTo(3, 12);
    expect(valueOf('|x-5|', { x: 2 })).toBe(3);
    expect(valueOf('||x|-5|', { x: -2 })).toBe(3);
    expect(valueOf('\\lfloor 2.7 \\rfloor + \\lceil 0.2 \\rceil')).toBe(3);
    expect(valueOf('5!')).toBe(120);
    expect(valueOf('204_5')).toBe(54);
    expect(valueOf('0.\\overline{3}')).toBeCloseTo(1 / 3, 12);
    expect(valueOf('1.5e3')).toBe(1500);
  });

  it('tells unsupported from malformed', () => {
    expect(parseMath('\\sum_{k=1}^{n} k')).toEqual({ ok: false, why: 'unsupported' });
    expect(parseMath("y' + y")).toEqual({ ok: false, why: 'unsupported' });
    expect(parseMath('\\frac{1}{')).toEqual({ ok: false, why: 'malformed' });
    expect(parseMath('x \\leq 3')).toEqual({ ok: false, why: 'malformed' });
    expect(parseMath('(1, 2)')).toEqual({ ok: false, why: 'malformed' });
    expect(parseMath('')).toEqual({ ok: false, why: 'malformed' });
  });

  it('refuses nesting deeper than its bound instead of overflowing the stack', () => {
    expect(parseMath('('.repeat(5000) + 'x' + ')'.repeat(5000))).toEqual({ ok: false, why: 'malformed' });
  });
});
