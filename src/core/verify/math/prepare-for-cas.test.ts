import { describe, expect, it } from 'vitest';
import { equivalentAnswers } from './judge-math.ts';
import { prepareForCas } from './prepare-for-cas.ts';

describe('prepareForCas', () => {
  it.each([
    ['\\frac{N}{2}', '\\frac{\\mathrm{N}}{2}'],
    ['C_{1} e^{t}', '\\mathrm{Csub1} e^{t}'],
    ['\\omega_{d}^{2}', '\\mathrm{omegasubd}^{2}'],
    ['\\lambda_{\\text {red}} / \\sqrt{2}', '\\mathrm{lambdasubred} / \\sqrt{2}'],
    ['\\log_2 8', '\\log_2 8'],
    ['-1./3', '-1/3'],
    ['\\binom{5}{2}', '\\frac{(5)!}{(2)!((5)-(2))!}'],
  ])('%s → %s', (raw, prepared) => {
    expect(prepareForCas(raw)).toBe(prepared);
  });
});

describe('unknowns compute-engine would misread', () => {
  it.each([
    ['2^{N-2}+1', '1+\\frac{2^N}{4}'],
    ['\\frac{N}{2}', '0.5N'],
    ['\\binom{2n}{n}', '\\frac{(2n)!}{(n!)^2}'],
    ['\\binom{5}{2}', '10'],
    ['\\sqrt[3]{-8}', '-2'],
    ['2\\sqrt[4]{x}', '2x^{1/4}'],
    ['\\frac{1}{3} E_{1}+\\frac{2}{3} E_{2}', '\\frac{E_1 + 2E_2}{3}'],
    ['\\frac{s+\\sigma}{(s+\\sigma)^{2}+\\omega_{d}^{2}}', '\\frac{\\sigma+s}{\\omega_d^2+(s+\\sigma)^2}'],
    ['\\lfloor\\sqrt{n-1}\\rfloor', '\\lfloor \\sqrt{n-1} \\rfloor'],
    ['\\frac{1}{2}(\\exp{a*t} + \\exp{-a*t})', '\\cosh(at)'],
    ['[P_{0}^{2 / 5}-\\frac{2}{5} g K^{-3 / 5} z]^{5 / 2}', '(P_0^{0.4}-0.4 g K^{-0.6} z)^{2.5}'],
  ])('%s ≡ %s', (a, b) => {
    expect(equivalentAnswers(a, b)).toMatchObject({ equal: true });
  });
  it.each([
    ['\\frac{N}{2}', '\\frac{M}{2}'],
    ['\\binom{2n}{n}', '\\binom{2n}{n-1}'],
    ['C_{1} e^{t}', 'C_{2} e^{t}'],
    ['x - y', 'y - x'],
    ['\\lfloor\\frac{2 n-1}{5}\\rfloor', '\\lfloor\\frac{2 n-1}{6}\\rfloor'],
    ['\\frac{e^{-2 t}}{15}+C_{1} e^{t}+C_{2} e^{-t}', '\\frac{e^{-2 t}}{25}+C_{1} e^{t}+C_{2} e^{-t}'],
    ['\\frac{2-\\omega^{2}-\\omega i / 4}{\\omega^{4}+4}', '\\frac{3-\\omega^{2}-\\omega i / 4}{\\omega^{4}+4}'],
  ])('%s ≢ %s', (a, b) => {
    expect(equivalentAnswers(a, b)).toMatchObject({ equal: false });
  });
});
