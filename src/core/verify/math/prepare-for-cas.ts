const GREEK = new Set(
  ('alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi rho sigma tau ' +
    'upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega').split(' '),
);

/** The `{…}` group opening at `open` (the index of `{`): its content and the index after it. */
function braced(s: string, open: number): { body: string; end: number } | null {
  if (s[open] !== '{') return null;
  let depth = 0;
  for (let i = open; i < s.length; i += 1) {
    if (s[i] === '{') depth += 1;
    else if (s[i] === '}' && --depth === 0) return { body: s.slice(open + 1, i), end: i + 1 };
  }
  return null;
}

/** `\binom{a}{b}` → `\frac{(a)!}{(b)!((a)-(b))!}`: compute-engine 0.26 does not know \binom. */
function expandBinomials(s: string): string {
  for (let guard = 0; guard < 20; guard += 1) {
    const at = s.search(/\\[dt]?binom\s*\{/);
    if (at < 0) return s;
    const first = braced(s, s.indexOf('{', at));
    const second = first ? braced(s, first.end) : null;
    if (!first || !second) return s;
    const [a, b] = [first.body, second.body];
    s = `${s.slice(0, at)}\\frac{(${a})!}{(${b})!((${a})-(${b}))!}${s.slice(second.end)}`;
  }
  return s;
}

/** `\exp{x}` → `\exp(x)`: compute-engine reads only the parenthesised form. */
function parenthesiseExp(s: string): string {
  for (let guard = 0; guard < 20; guard += 1) {
    const m = /\\exp\s*\{/.exec(s);
    if (!m) return s;
    const group = braced(s, m.index + m[0].length - 1);
    if (!group) return s;
    s = `${s.slice(0, m.index)}\\exp(${group.body})${s.slice(group.end)}`;
  }
  return s;
}

/** `\sqrt[n]{x}` → `(x)^{1/(n)}`, so that square brackets can then be read as grouping. */
function rootsAsPowers(s: string): string {
  for (let guard = 0; guard < 20; guard += 1) {
    const m = /\\sqrt\s*\[([^[\]]*)\]\s*\{/.exec(s);
    if (!m) return s;
    const group = braced(s, m.index + m[0].length - 1);
    if (!group) return s;
    s = `${s.slice(0, m.index)}(${group.body})^{1/(${m[1] ?? ''})}${s.slice(group.end)}`;
  }
  return s;
}

function flatName(text: string): string {
  return text.replace(/\\(?:text|mathrm|operatorname|mathit)\b/g, '').replace(/[^A-Za-z0-9]/g, '');
}

/**
 * Rewrites a normalised answer so compute-engine reads every unknown as a plain symbol: it
 * takes `N` for its numeric-evaluation function, `D` for a derivative, `C_{1} e^{t}` for a
 * tuple and `\omega_{d}` for indexing. Both sides of a comparison get the same rewriting, so
 * renaming cannot make different answers equal.
 */
export function prepareForCas(latex: string): string {
  let s = latex;
  s = s.replace(/(\d)\.(?!\d|\s*\\overline)/g, '$1');
  s = s.replace(/\*/g, ' \\cdot ');
  s = s.replace(/\\geqslant/g, '\\geq').replace(/\\leqslant/g, '\\leq');
  s = expandBinomials(s);
  s = parenthesiseExp(s);
  s = rootsAsPowers(s);
  // Structure (intervals, tuples) is settled before this point: brackets here only group.
  s = s.replace(/\\left|\\right/g, '').replace(/\[/g, '(').replace(/\]/g, ')');
  s = s.replace(/_\{\s*\\(?:text|mathrm|operatorname|mathit)\s*\{([^{}]*)\}\s*\}/g, '_{$1}');
  s = s.replace(/(\\[a-zA-Z]+|(?<![\\a-zA-Z])[a-zA-Z])_(?:\{([^{}]*)\}|([a-zA-Z0-9]))/g, (whole, base: string, group?: string, single?: string) => {
    const name = base.startsWith('\\') ? base.slice(1) : base;
    if (base.startsWith('\\') && !GREEK.has(name)) return whole; // \log_2, \sum_{…}
    const sub = flatName(group ?? single ?? '');
    return sub === '' ? whole : `\\mathrm{${name}sub${sub}}`;
  });
  s = s.replace(/(?<![\\a-zA-Z])([A-Z])(?![a-zA-Z])/g, '\\mathrm{$1}');
  return s;
}
