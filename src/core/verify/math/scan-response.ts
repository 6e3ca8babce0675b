/**
 * One linear pass over a response for the places answers live: `\boxed{}` groups and math
 * environments. Everything here is O(length) whatever the input (unclosed groups, 100k nested
 * braces), so a pathological response costs time in proportion to its size and no more.
 */

/** A region of the response: `[start, end)` and the text that counts as its answer. */
export interface Span {
  start: number;
  end: number;
  content: string;
}

/** For each `{` the index of its matching `}` (or -1); escaped `\{` `\}` are not braces. */
function matchBraces(text: string): Int32Array {
  const match = new Int32Array(text.length).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (ch === 92 /* \ */) {
      i += 1;
      continue;
    }
    if (ch === 123 /* { */) stack.push(i);
    else if (ch === 125 /* } */ && stack.length > 0) match[stack.pop()!] = i;
  }
  return match;
}

const BOX = /\\(?:boxed|fbox)(?![A-Za-z])/g;

/**
 * Every outermost `\boxed{…}` / `\fbox{…}` (also `\boxed 5`) with balanced braces, in order.
 * A box inside a box is part of the outer one's content.
 */
export function findBoxes(text: string): Span[] {
  if (!text.includes('\\boxed') && !text.includes('\\fbox')) return [];
  const match = matchBraces(text);
  const boxes: Span[] = [];
  BOX.lastIndex = 0;
  for (let m = BOX.exec(text); m !== null; m = BOX.exec(text)) {
    let i = m.index + m[0].length;
    while (text[i] === ' ') i += 1;
    if (text[i] === '{') {
      const close = match[i] ?? -1;
      if (close < 0) continue;
      boxes.push({ start: m.index, end: close + 1, content: text.slice(i + 1, close).trim() });
      BOX.lastIndex = close + 1;
    } else if (i > m.index + m[0].length) {
      const word = /^[^\s$]+/.exec(text.slice(i, i + 200))?.[0];
      if (word !== undefined) boxes.push({ start: m.index, end: i + word.length, content: word });
    }
  }
  return boxes;
}

const DISPLAY_ENVIRONMENTS = 'equation|align|gather|multline|eqnarray|displaymath|math|flalign';
const BEGIN = new RegExp(`^\\\\begin\\{(${DISPLAY_ENVIRONMENTS})(\\*?)\\}`);

/** Words that occur in prose about money and never as symbols inside math. */
const PROSE_WORDS = new Set('and or for the to of per each in on at is was are but so with then plus minus from more less total'.split(' '));

/**
 * A lone-`$` pair that is really two dollar signs: it opens on a number and holds prose words
 * (`$10 and then $`), or it holds three or more space-separated words (`$10 Cost of fudge = $`).
 * Letters glued to symbols (`2ab`, `ab=`) are products, not words.
 */
function looksLikeProse(content: string): boolean {
  const bare = content
    .replace(/\\(?:begin|end)\s*\{[^{}]*\}(?:\{[^{}]*\})?/g, ' ')
    .replace(/\\(?:text\w*|mathrm|mathbf|mathit|mbox|operatorname)\s*\{[^{}]*\}/g, ' ');
  const words = bare.match(/(?<=^|\s)[A-Za-z]{2,}(?=[\s,.;:!?]|$)/g) ?? [];
  return words.length >= 3 || (/^\s*\d/.test(content) && words.some((w) => PROSE_WORDS.has(w.toLowerCase())));
}

/**
 * Math environments in order: `\(…\)`, `\[…\]`, `$$…$$`, `\begin{align}…` and, when
 * `dollarIsMath`, `$…$` on one line. `\$` is always a literal dollar sign.
 */
export function findMathSpans(text: string, dollarIsMath: boolean): Span[] {
  const spans: Span[] = [];
  // Closers that do not occur after some point need not be searched for again.
  const missing = new Set<string>();
  const findClose = (closer: string, from: number): number => {
    if (missing.has(closer)) return -1;
    const at = text.indexOf(closer, from);
    if (at < 0) missing.add(closer);
    return at;
  };
  let i = 0;
  while (i < text.length) {
    const next = nextDelimiter(text, i);
    if (next < 0) break;
    i = next;
    const two = text.slice(i, i + 2);
    if (two === '\\$') {
      i += 2;
      continue;
    }
    let closer: string | null = null;
    let open = 2;
    if (two === '\\(') closer = '\\)';
    else if (two === '\\[') closer = '\\]';
    else if (two === '$$') closer = '$$';
    else if (text.startsWith('\\begin{', i)) {
      const m = BEGIN.exec(text.slice(i, i + 40));
      if (m) {
        closer = `\\end{${m[1]}${m[2]}}`;
        open = m[0].length;
      }
    }
    if (closer !== null) {
      const close = findClose(closer, i + open);
      if (close >= 0) {
        spans.push({ start: i, end: close + closer.length, content: text.slice(i + open, close) });
        i = close + closer.length;
      } else i += open;
      continue;
    }
    if (text[i] === '$' && dollarIsMath) {
      const close = nextLoneDollar(text, i + 1);
      if (close >= 0) {
        const content = text.slice(i + 1, close);
        if (!looksLikeProse(content)) {
          spans.push({ start: i, end: close + 1, content });
          i = close + 1;
          continue;
        }
      }
    }
    i += 1;
  }
  return spans;
}

/** Index of the next `$`, `\(`, `\[`, `\$` or `\begin` at or after `from`, or -1. */
function nextDelimiter(text: string, from: number): number {
  for (let i = from; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '$') return i;
    if (ch === '\\') {
      const n = text[i + 1];
      if (n === '(' || n === '[' || n === '$' || (n === 'b' && text.startsWith('\\begin{', i))) return i;
      i += 1;
    }
  }
  return -1;
}

/** The closing `$` of an inline span: the next unescaped `$` on the same line, or -1. */
function nextLoneDollar(text: string, from: number): number {
  for (let i = from; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\n') return -1;
    if (ch === '\\') {
      i += 1;
      continue;
    }
    if (ch === '$') return text[i + 1] === '$' ? -1 : i;
  }
  return -1;
}

/**
 * Where the last `\boxed{` / `\fbox{` whose group never closes starts, when it comes after every
 * closed box (a response cut off inside its final answer), else -1.
 */
export function lastUnclosedBox(text: string, boxes: Span[]): number {
  const after = boxes.length === 0 ? 0 : boxes[boxes.length - 1]!.end;
  const re = /\\(?:boxed|fbox)\s*\{/g;
  re.lastIndex = after;
  const m = re.exec(text);
  if (m === null) return -1;
  const match = matchBraces(text.slice(m.index));
  const open = m[0].length - 1;
  return (match[open] ?? -1) < 0 ? m.index : -1;
}
