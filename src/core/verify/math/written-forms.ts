import type { Comparison } from './equivalent-scalars.ts';

/**
 * Answers written in forms a CAS does not read: multiple-choice letters, clock times, ratios,
 * and numbers with a decimal comma. Each function returns null when its form does not apply,
 * so the caller goes on to the general comparison.
 */

const CHOICE = /^\(?([A-E])\)?(?:[\s.:)]|$)/;

/** Gold `C` (or `(C)`, `\textbf{(C)}`) against an answer that opens with that choice: `(C) 12`. */
export function compareChoice(gold: string, answer: string): Comparison | null {
  const g = /^\(?([A-E])\)?$/.exec(gold.trim());
  if (g === null) return null;
  const a = CHOICE.exec(answer.trim());
  if (a === null) return null;
  const equal = a[1] === g[1];
  return { equal, how: equal ? `same choice ${g[1]}` : `choice ${a[1]} is not ${g[1]}` };
}

const COLON = /^(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*(a\.?m\.?|p\.?m\.?)?$/i;

interface Colon {
  left: string;
  right: string;
  meridiem: 'am' | 'pm' | null;
}

function readColon(s: string): Colon | null {
  const m = COLON.exec(s.trim());
  if (m === null || m[1] === undefined || m[2] === undefined) return null;
  const meridiem = m[3] === undefined ? null : m[3].toLowerCase().startsWith('a') ? 'am' : 'pm';
  return { left: m[1], right: m[2], meridiem };
}

/** Two-digit minutes (`7:30`, `12:05`) or a.m./p.m. make a clock time; `3:4` is a ratio. */
function isTime(c: Colon): boolean {
  return c.meridiem !== null || (/^\d{2}$/.test(c.right) && Number(c.right) < 60 && /^\d{1,2}$/.test(c.left) && Number(c.left) <= 24);
}

function minutesOfDay(c: Colon, ignoreMeridiem: boolean): number {
  let hours = Number(c.left) % (ignoreMeridiem ? 12 : 24);
  if (!ignoreMeridiem && c.meridiem === 'pm' && hours < 12) hours += 12;
  if (!ignoreMeridiem && c.meridiem === 'am' && hours === 12) hours = 0;
  return hours * 60 + Number(c.right);
}

/**
 * `7:30` ≡ `7:30 a.m.` (lenient) and ≢ `7:03`; ratios are equal when proportional (`3:4` ≡
 * `6:8`) and, when lenient, equal to their quotient (`3:4` ≡ `\frac{3}{4}` ≡ `0.75`);
 * `quotientEquals` compares a quotient with the other answer.
 */
export function compareColonForms(gold: string, answer: string, lenient: boolean, quotientEquals: (quotient: string, other: string) => boolean): Comparison | null {
  const g = readColon(gold);
  const a = readColon(answer);
  if (g === null && a === null) return null;
  if (g !== null && a !== null) {
    if (isTime(g) || isTime(a)) {
      const ignore = (g.meridiem === null || a.meridiem === null) && lenient;
      const equal = minutesOfDay(g, ignore) === minutesOfDay(a, ignore);
      return { equal, how: equal ? 'same clock time' : 'different clock times' };
    }
    const equal = Math.abs(Number(g.left) * Number(a.right) - Number(g.right) * Number(a.left)) <= 1e-9 * Math.max(1, Number(g.left) * Number(a.right));
    return { equal, how: equal ? 'same ratio' : 'different ratios' };
  }
  const ratio = (g ?? a)!;
  const other = g === null ? gold : answer;
  if (!lenient || isTime(ratio) || Number(ratio.right) === 0) return { equal: false, how: 'a ratio or time against a value' };
  const equal = quotientEquals(`\\frac{${ratio.left}}{${ratio.right}}`, other);
  return { equal, how: equal ? 'ratio equal to its quotient' : 'ratio differs from the value' };
}

/**
 * `3,75` read as 3.75 when it cannot be a thousands separator (not exactly three digits after
 * the comma, or a leading `0,`): `1000,99`, `1,22`, `0,111`. Null when not of that form.
 */
export function decimalCommaReading(s: string): string | null {
  const m = /^(-?\d+),(\d+)$/.exec(s.trim());
  if (m === null || m[1] === undefined || m[2] === undefined) return null;
  if (m[2].length === 3 && !/^-?0$/.test(m[1])) return null;
  return `${m[1]}.${m[2]}`;
}

/** `52_8`, `52_{8}`, `(52)_8`, `1A_{16}`: a numeral with its base; digits must be valid in it. */
const BASE_NUMERAL = /^\(?([0-9A-Za-z]+)\)?_\{?\s*(\d{1,2})\s*\}?$/;

function readNumeral(s: string): { digits: string; base: number } | null {
  const m = BASE_NUMERAL.exec(s.trim());
  if (m?.[1] === undefined || m[2] === undefined) return null;
  const base = Number(m[2]);
  if (base < 2 || base > 36) return null;
  const digits = m[1].toLowerCase();
  if (![...digits].every((d) => parseInt(d, 36) < base)) return null;
  return { digits: digits.replace(/^0+(?=.)/, ''), base };
}

/**
 * A numeral in a stated base (`52_8`) is answered by the same digits, with or without the
 * subscript: `42` is its value in base 10, not the form the problem asks for, and `52_{10}`
 * names another base. Null when neither side is a subscripted numeral.
 */
export function compareBaseNumerals(gold: string, answer: string): Comparison | null {
  const g = readNumeral(gold);
  const a = readNumeral(answer);
  if (g === null && a === null) return null;
  const plain = (s: string): string | null => (/^[0-9A-Za-z]+$/.test(s.trim()) ? s.trim().toLowerCase().replace(/^0+(?=.)/, '') : null);
  const gd = g?.digits ?? plain(gold);
  const ad = a?.digits ?? plain(answer);
  if (g !== null && a !== null && g.base !== a.base) return { equal: false, how: `a base-${a.base} numeral, not base ${g.base}` };
  if (gd === null || ad === null) return { equal: false, how: `a base-${(g ?? a)!.base} numeral against another form` };
  const equal = gd === ad;
  return { equal, how: equal ? `same base-${(g ?? a)!.base} numeral` : `different numerals in base ${(g ?? a)!.base}` };
}

/** `(B) 12` against a gold that is not a letter: the option's text is the answer. */
export function optionText(answer: string): { letter: string; text: string } | null {
  const m = /^\(([A-E])\)\s*(.+)$/.exec(answer.trim());
  return m?.[1] === undefined || m[2] === undefined ? null : { letter: m[1], text: m[2] };
}
