import { lastBoxed } from './extract-answer.ts';

const TEXT_COMMANDS = ['\\text', '\\textbf', '\\textit', '\\textrm', '\\textnormal', '\\mbox', '\\mathrm', '\\mathbf', '\\mathit', '\\operatorname'];

const UNIT_WORDS = new Set(
  (
    'cm m km mm nm inch inches in ft feet foot yard yards yd mile miles mi meter meters metre metres ' +
    'centimeter centimeters kilometer kilometers millimeter millimeters sq square units unit cubic ' +
    'cents cent dollar dollars degree degrees deg radians radian rad second seconds sec s minute minutes min ' +
    'hour hours hr hrs h day days week weeks month months year years yr kg g gram grams mg lb lbs pound pounds ' +
    'ounce ounces oz liter liters litre l ml gallon gallons mph kph percent points point students people ' +
    'marbles apples hz khz mhz ghz k kelvin j kj ev kev mev w kw v a n pa kpa atm ohm ohms c au pc kpc mpc ly ' +
    'pct percentage usd eur euros euro gbp cm2 m2 km2 mm2 cm3 m3 sqft mi2 miles2 hours2 ' +
    'bit bits byte bytes arcsec arcsecs arcseconds arcmin arcminutes magnitude magnitudes mag erg ergs ' +
    'angstrom angstroms parsec parsecs micron microns lightyears joule joules watt watts volt volts amu mol mole moles'
  ).split(' '),
);

/** Index just past the `{…}` group opening at `open`, or -1. */
function groupEnd(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i += 1) {
    if (s[i] === '\\') {
      i += 1;
      continue;
    }
    if (s[i] === '{') depth += 1;
    else if (s[i] === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

function isUnitText(content: string): boolean {
  if (/^\s*[ap]\.?\s*m\.?\s*$/i.test(content)) return false; // a.m. is not ampere-metres
  const words = content
    .replace(/\^\{?-?\d\}?/g, ' ')
    .replace(/[\\/.\s~]+/g, ' ')
    .trim()
    .toLowerCase()
    .split(' ')
    .filter((w) => w !== '');
  return words.length > 0 && words.every((w) => UNIT_WORDS.has(w));
}

/**
 * Unwraps `\text{…}`-like groups. A group of unit words beside other content (`5.4 \text{ cents}`,
 * `15\mbox{ cm}^2`) is dropped together with its exponent; anything else keeps its content.
 */
function unwrapText(s: string): string {
  for (let guard = 0; guard < 50; guard += 1) {
    let found = -1;
    let command = '';
    for (const c of TEXT_COMMANDS) {
      const re = new RegExp(c.replace(/\\/g, '\\\\') + '\\s*\\{', 'g');
      const m = re.exec(s);
      if (m && (found < 0 || m.index < found)) {
        found = m.index;
        command = m[0];
      }
    }
    if (found < 0) return s;
    const open = found + command.length - 1;
    const end = groupEnd(s, open);
    if (end < 0) return s;
    const content = s.slice(open + 1, end - 1);
    const rest = (s.slice(0, found) + s.slice(end)).trim();
    // A unit follows what it measures: `\mathbf{v} = …` and `\mathrm{m}^2 + …` open with a name.
    if (isUnitText(content) && /\d/.test(rest) && /(?:[\w})\]/]|\\cdot)\s*$/.test(s.slice(0, found))) {
      const exponent = /^\s*\^\s*(\{[^{}]*\}|\d)/.exec(s.slice(end));
      s = s.slice(0, found) + s.slice(end + (exponent ? exponent[0].length : 0));
    } else {
      s = s.slice(0, found) + content + s.slice(end);
    }
  }
  return s;
}

/** Drops `\$`, the surrounding `$…$`, `\(…\)`, `\[…\]`, and a `\boxed{}` around the whole. */
export function stripDelimiters(raw: string): string {
  let s = raw.trim();
  const boxed = lastBoxed(s);
  if (boxed !== null) s = boxed;
  s = s.replace(/\\\$/g, '').replace(/\$/g, '').replace(/[€£¥]/g, '');
  s = s.replace(/^\\\(|\\\)$/g, '').replace(/^\\\[|\\\]$/g, '');
  return s.trim();
}

/** Whether an answer is written as a percentage: `25\%`, `25 %`, `25 percent`. */
export function mentionsPercent(raw: string): boolean {
  return /%|\bpercent(?:age)?\b|\bpct\b/i.test(raw);
}

/** One spelling for each symbol a model may type in Unicode or in a LaTeX variant. */
const SPELLINGS: [RegExp, string][] = [
  [/−|–/g, '-'],
  [/≤|⩽|\\leqslant(?![a-zA-Z])|\\le(?![a-zA-Z])|<=/g, '\\leq '],
  [/≥|⩾|\\geqslant(?![a-zA-Z])|\\ge(?![a-zA-Z])|>=/g, '\\geq '],
  // `x != 3`, but `5!=120` is a factorial: ASCII != only after a space.
  [/≠|\\ne(?![a-zA-Z])|(?<=\s)!=/g, '\\neq '],
  [/≈|\\simeq(?![a-zA-Z])/g, '\\approx '],
  // Congruences state their last side: `17 \equiv 3 \pmod{7}` answers 3.
  [/\\pmod\s*(?:\{[^{}]*\}|\w+)|\(\s*\\mod\s*(?:\{[^{}]*\}|\w+)\s*\)/g, ''],
  [/\\equiv(?![a-zA-Z])/g, '='],
  // `10,\!080` and `12{,}500` inside a larger expression: LaTeX thousands separators, never lists.
  [/(\d)(?:,\\!|\{,\})(?=\d{3}(?!\d))/g, '$1'],
  // Arc-second primes and Ångström after a number are units.
  [/(\d)\s*\^\s*\{?\s*\\prime(?:\s*\\prime)*\s*\}?/g, '$1'],
  [/(\d\s*)\\AA(?![a-zA-Z])/g, '$1'],
  // `4.4 x 10^7`: an ASCII x between a number and a power of ten is a times sign.
  [/(\d)\s*[x*]\s*10\s*\^/g, '$1 \\times 10^'],
  [/\\gt(?![a-zA-Z])/g, '>'],
  [/\\lt(?![a-zA-Z])/g, '<'],
  [/∞|\\infin(?![a-zA-Z])/g, '\\infty '],
  [/\+\s*\\infty/g, '\\infty'],
  [/∪/g, '\\cup '],
  [/∈/g, '\\in '],
  [/π/g, '\\pi '],
  [/×/g, '\\times '],
  [/·/g, '\\cdot '],
  // `3√13`, `√(x+1)`, `∛2`: the radical sign typed in Unicode.
  [/∛\s*/g, '\\sqrt[3]'],
  [/√\s*\(([^()]*)\)/g, '\\sqrt{$1}'],
  [/√\s*(\d+(?:\.\d+)?|[a-zA-Z](?![a-zA-Z]))/g, '\\sqrt{$1}'],
  [/√/g, '\\sqrt'],
  [/\\lvert(?![a-zA-Z])|\\rvert(?![a-zA-Z])|\\vert(?![a-zA-Z])/g, '|'],
  [/\\backslash(?![a-zA-Z])/g, '\\setminus '],
  [/²/g, '^2'],
  [/³/g, '^3'],
  [/∅|\\varnothing(?![a-zA-Z])|\\\{\s*\\\}/g, '\\emptyset '],
  [/\\langle(?![a-zA-Z])/g, '('],
  [/\\rangle(?![a-zA-Z])/g, ')'],
  [/\{,\}/g, ','],
  [/\\cfrac/g, '\\frac'],
  [/\\mathbb\s*\{?\s*R\s*\}?|\\text\s*\{\s*all real numbers\s*\}|^all real numbers$/gi, '(-\\infty,\\infty)'],
];

/**
 * A canonical LaTeX string for one answer: spacing, `\left`/`\right`, `\dfrac`, text and units,
 * degrees, percent, thousands separators, `x \in` prefixes. Equations keep their `=`: deciding
 * whether `x = 3` means `3` needs the other side, so judgeMath does it.
 */
export function normalizeAnswer(raw: string): string {
  let s = stripDelimiters(raw);
  for (const [pattern, spelling] of SPELLINGS) s = s.replace(pattern, spelling);
  s = s.replace(/\\(?:left|right|big|Big|bigg|Bigg)(?![a-zA-Z])\s*\.?/g, '');
  s = s.replace(/(?<!\\)\\[!,;:> ]/g, ' ').replace(/\\q?quad/g, ' ').replace(/~/g, ' ');
  s = s.replace(/\\displaystyle/g, '').replace(/\\[dt]frac/g, '\\frac');
  s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\circ|°|\\degree/g, '');
  s = s.replace(/\\%|%/g, '').replace(/\s*\b(?:percent(?:age)?|pct)\b/gi, '');
  s = s.replace(/\\mathrm\s*\{\s*\}|\\text\s*\{\s*\}/g, '');
  s = unwrapText(s);
  s = s.replace(/\\(?:mathbb|mathcal|boldsymbol)\s*/g, '');
  s = s.replace(/\b(?:degrees?|radians?)\b/g, '');
  // `\frac34`, `\frac9{19}`, `\frac{9}4`, `\sqrt2` → braced forms
  s = s.replace(/\\frac\s*(\d)\s*(\d)/g, '\\frac{$1}{$2}');
  s = s.replace(/\\frac\s*(\d)\s*\{/g, '\\frac{$1}{');
  s = s.replace(/\\frac\s*(\{[^{}]*\})\s*(\d)/g, '\\frac$1{$2}');
  s = s.replace(/\\sqrt\s*(\d|[a-zA-Z](?![a-zA-Z]))/g, '\\sqrt{$1}');
  s = s.replace(/\s+/g, ' ').trim();
  // `300 / \mathrm{s}` lost its unit words above: no operator is left dangling.
  s = s.replace(/(\d\}?)\s*(?:\/|\\cdot|\\times)\s*$/, '$1');
  s = s.replace(/[.\s]+$/, '').replace(/^\+/, '');
  // trailing plain unit words after a number: "10 inches", "5 cm^2", "0.6 bits/s"
  const unitTail = /^(.*\d\}?)\s+([a-zA-Z][a-zA-Z /]*)(\^\{?\d\}?)?$/.exec(s);
  // Bare single letters stay: `3 n` is 3n, not 3 newtons (units inside \text{} were handled above).
  const tailWords = unitTail?.[2]?.trim().split(/\s+/) ?? [];
  if (unitTail?.[1] !== undefined && unitTail[2] !== undefined && tailWords.every((w) => w.length > 1) && isUnitText(unitTail[2])) {
    s = unitTail[1].trim();
  }
  // Thousands separators: `12,500`, `12, 500`, `12{,}500` (spelled `,` above), `12 500`, `12\,500`.
  // `0,111` is a decimal comma (see decimalCommaReading): no number starts with a 0 group.
  if (/^-?[1-9]\d{0,2}(?:(?:, ?| )\d{3})+(?:\.\d+)?$/.test(s)) s = s.replace(/[, ]/g, '');
  // Scientific notation as one number token: compute-engine rounds values below ~1e-14 to 0,
  // which would make every tiny physical constant equal to every other.
  const scientific = /^(-?\d+(?:\.\d+)?)\s*(?:\\times|\\cdot)\s*10\s*\^\s*(?:\{\s*([-+]?\d+)\s*\}|(\d))$/.exec(s);
  if (scientific) s = `${scientific[1] ?? ''}e${scientific[2] ?? scientific[3] ?? ''}`;
  const power = /^10\s*\^\s*(?:\{\s*([-+]?\d+)\s*\}|(\d))$/.exec(s);
  if (power) s = `1e${power[1] ?? power[2] ?? ''}`;
  // a single parenthesised value such as `(113)` or a choice `(B)`
  const single = /^\(\s*([A-Za-z]|-?\d+(?:\.\d+)?)\s*\)$/.exec(s);
  if (single?.[1] !== undefined) s = single[1];
  return s;
}
