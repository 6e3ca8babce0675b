import { DEFAULT_MATH_OPTIONS, type MathJudgeOptions } from './judge-options.ts';
import { findBoxes, findMathSpans, lastUnclosedBox, type Span } from './scan-response.ts';

/**
 * How an answer was found, i.e. the extraction rule that decided. Only `last-number` is a
 * guess: verdicts from it carry `fallback: true`.
 */
export type ExtractionMethod =
  | 'boxed'
  | 'gsm8k'
  | 'answer-line'
  | 'final-answer'
  | 'the-answer-is'
  | 'math-environment'
  | 'stated-value'
  | 'bare-latex'
  | 'last-number';

export interface ExtractedAnswer {
  answer: string;
  method: ExtractionMethod;
  /** Every `\boxed{}` content in order; a gold with several parts may be answered one box each. */
  boxes: string[];
}

/** Beyond this a response is not read (15× the paper's 16k-token cap); see judgeMath. */
export const MAX_RESPONSE_LENGTH = 1_000_000;

/** The content of the last `\boxed{…}` / `\fbox{…}` (also `\boxed 5`), or null. */
export function lastBoxed(text: string): string | null {
  const boxes = findBoxes(text);
  return boxes.length === 0 ? null : boxes[boxes.length - 1]!.content;
}

/** A number as written in prose: `-12`, `1,234.5`, `.25`, `7/8`, `40%`. */
const VALUE = String.raw`-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*/\s*\d+)?%?|-?\.\d+%?`;
// Digits glued to letters (a signature such as `sepehr2010`, `x2`) are not a number.
const LAST_NUMBER = new RegExp(`(?<![A-Za-z_\\d.\\\\])(?:${VALUE})(?![\\d])`, 'g');
const STATED_VALUE = new RegExp(`(?:\\bis|\\bare|\\bwas|\\bequals?|=|:)\\s*(?:approximately\\s+|about\\s+|\\\\approx\\s*)?\\$?\\s*(${VALUE})`, 'g');
const MARKER = /(\bfinal\s+answer|\banswer|\bresult|\bcorrect\s+(?:option|choice))\**(?:\s+(?:is|was|would be|will be|should be)\b|\s*[:=])\**[ \t]*:?/gi;
const STATED_AFTER_FORMULA = new RegExp(`^\\s*,?\\s*(?:which\\s+)?(?:is|equals|gives|yields|becomes|comes to)\\s+(?:approximately\\s+|about\\s+|roughly\\s+)?(${VALUE})(?![\\d])`);
const STATED_AFTER_NAME = new RegExp(`^\\s*(?:is|are|was|equals?|=)\\s*(?:approximately\\s+|about\\s+)?(${VALUE})(?![\\d])`);
/** `0.375, as expected`: a value opening the sentence, then a comma or a conjunction. */
const LEADING_VALUE = new RegExp(`^\\$?\\s*(${VALUE})(?=\\s*(?:[,;]|$)|\\s+(?:and|so|since|because|which|as|for)\\b)`);
/** `42 seats, counting 2 aisles`: a value and what it counts, then a comma or a qualifier. */
const COUNTED_VALUE = new RegExp(`^\\$?\\s*(${VALUE})\\s+[A-Za-z]+(?:\\s+[A-Za-z]+)?(?=\\s*(?:[,;(]|$)|\\s+(?:and|so|since|because|which|as|for|counting|including|excluding|not|after|before|with|in|left|remaining|total|altogether)\\b)`);
/** `Evelyn has the greatest average speed`: a named subject stated as the answer. */
const NAMED_SUBJECT = /^((?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+)?)\s+(?:has|had|is|was|wins|won|will|gets|got|can|could|ran|runs|must|should|did|does|finished|finishes|arrived|arrives|scored|scores|needs|owns|ate|sold|made)\b/;
const BARE_FUNCTION = /^\\(?:sin|cos|tan|cot|sec|csc|log|ln|exp|lim|max|min|gcd|det)$/;
/** A name (`n`, `ABCDEFGH`, `f(x)`, `a_{1}`) rather than a value: a value may follow it. */
const NAME_ONLY = /^\s*(?:[A-Za-z]+|\\[A-Za-z]+)(?:_\{?[\w\\]+\}?)?(?:\([A-Za-z]\))?\s*$/;

/** "the answer is correct", "the result is as follows": prose, not an answer. */
const PROSE_START = /^(?:correct|incorrect|wrong|right|as|given|shown|below|above|follows|the|this|that|these|those|it|not|to|in|on|at|from|obtained|found|computed|calculated|clear|simple|straightforward|therefore|then|we)\b/i;

/** Index of the first span starting at or after `at` (spans are sorted and disjoint). */
function firstSpanFrom(spans: Span[], at: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.start < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function inside(spans: Span[], at: number): boolean {
  const before = spans[firstSpanFrom(spans, at + 1) - 1];
  return before !== undefined && before.start < at && at < before.end;
}

/**
 * Asymptote code (`[asy] … label("$C(7,4)$", …) [/asy]`) draws figures; its `$…$` labels are not
 * statements. Blanked out, keeping positions, in one pass.
 */
function maskAsymptote(text: string): string {
  if (!text.includes('[asy]')) return text;
  let out = '';
  let from = 0;
  for (let open = text.indexOf('[asy]'); open >= 0; open = text.indexOf('[asy]', from)) {
    const close = text.indexOf('[/asy]', open);
    if (close < 0) break;
    out += text.slice(from, open) + ' '.repeat(close + 6 - open);
    from = close + 6;
  }
  return out + text.slice(from);
}

/** The answer inside a math environment: its last row (align), without trailing punctuation. */
export function answerOfSpan(content: string): string {
  let s = content.replace(/\\(?:nonumber|notag)\b|\\tag\*?\{[^{}]*\}/g, '');
  s = s.replace(/\\(?:begin|end)\{(?:aligned|split|gathered|alignedat)\*?\}(?:\{\d+\})?/g, '');
  // `a = 2 \Rightarrow b = 5`: what follows the last implication is the conclusion.
  const conclusion = s.split(/\\(?:Rightarrow|implies|Longrightarrow|rightarrow|therefore)(?![a-zA-Z])/).map((p) => p.trim()).filter((p) => p !== '').pop();
  if (conclusion !== undefined) s = conclusion;
  // Rows of a matrix or cases are one answer; rows of an alignment are steps, the last one final.
  if (s.includes('\\\\') && !s.includes('\\begin{')) {
    const rows = s.split('\\\\').map((r) => r.trim()).filter((r) => r !== '');
    s = rows[rows.length - 1] ?? '';
    // `N &= 3^4 \\ &= 81`: a continued row takes the left side of the first, or drops its `=`.
    const continued = /^&?\s*(?:\\q?quad\s*)*(=|\\equiv(?![a-zA-Z])|\\approx(?![a-zA-Z]))/.exec(s);
    const lhs = /^([^&]*)&/.exec(rows[0] ?? '')?.[1]?.trim();
    if (continued !== null) s = lhs ? `${lhs} ${s.replace(/^&/, '')}` : s.slice(continued[0].length);
  }
  if (!s.includes('\\begin{')) s = s.replace(/&/g, '');
  // A row continuing an equation with no left side left (`= 56.0`): the value.
  s = s.trim().replace(/^(?:=|\\approx(?![a-zA-Z]))\s*/, '');
  return s.replace(/(?:[.,;:!]|\\text\{\s*[.,;]\s*\})+\s*$/, '').trim();
}

function trimSentence(answer: string): string {
  let a = answer.trim().replace(/^[:\s*]+/, '');
  // Stop at the end of the sentence: a period followed by a space/end that is not a decimal point.
  const stop = /\.(?:\s|$)(?![\d])/.exec(a);
  if (stop) a = a.slice(0, stop.index);
  return a.trim().replace(/[.;,]+$/, '').trim();
}

interface Candidate {
  at: number;
  answer: string;
  method: ExtractionMethod;
  /** A marker answer read out of prose (`Jane started … 3 hours ago`) loses to a box. */
  clean: boolean;
}

/**
 * What follows an answer phrase: a math environment right after it, else the rest of the
 * sentence, from which a trailing `is 34`, a math environment, a short phrase (`Evelyn`,
 * `(B)`, `x = 5`) or a single number is taken.
 */
function answerAfterMarker(text: string, end: number, spans: Span[], options: MathJudgeOptions): { answer: string; clean: boolean } | null {
  const span = spans[firstSpanFrom(spans, end)];
  if (span !== undefined && /^[\s*:]*$/.test(text.slice(end, span.start))) {
    const a = answerOfSpan(span.content);
    return a === '' ? null : { answer: a, clean: true };
  }
  const lineEnd = text.indexOf('\n', end);
  const line = text.slice(end, lineEnd < 0 ? Math.min(text.length, end + 500) : Math.min(lineEnd, end + 500));
  const sentence = trimSentence(options.answers === 'number' ? line.replace(/(?<!\\)\$/g, '') : line);
  if (sentence === '') return null;
  const leading = LEADING_VALUE.exec(sentence) ?? COUNTED_VALUE.exec(sentence);
  if (leading?.[1] !== undefined) return { answer: leading[1], clean: true };
  const stated = [...sentence.matchAll(STATED_VALUE)].pop();
  if (stated?.[1] !== undefined && sentence.slice((stated.index ?? 0) + stated[0].length).trim() === '') return { answer: stated[1], clean: true };
  const inner = findMathSpans(sentence, options.answers === 'latex');
  if (inner.length > 0) {
    const last = inner[inner.length - 1]!;
    if (!NAME_ONLY.test(last.content)) return { answer: answerOfSpan(last.content), clean: true };
  }
  const unwrapped = sentence.replace(/^\$+|\$+$/g, '').replace(/^\\\(|\\\)$/g, '').trim();
  if (unwrapped.split(/\s+/).length <= 3 && !/\$/.test(unwrapped) && !PROSE_START.test(unwrapped)) {
    return { answer: unwrapped, clean: new RegExp(`^(?:${VALUE})$`).test(unwrapped) };
  }
  const numbers = [...sentence.matchAll(LAST_NUMBER)];
  if (numbers.length === 1 && numbers[0]) return { answer: numbers[0][0], clean: false };
  const subject = numbers.length === 0 ? NAMED_SUBJECT.exec(unwrapped) : null;
  if (subject?.[1] !== undefined && !PROSE_START.test(subject[1])) return { answer: subject[1], clean: true };
  return null;
}

function markerMethod(phrase: string, text: string, at: number): ExtractionMethod {
  if (/final/i.test(phrase)) return 'final-answer';
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return /^answer$/i.test(phrase.trim()) && /^[\s*#]*$/.test(text.slice(lineStart, at)) ? 'answer-line' : 'the-answer-is';
}

/** Answer phrases read from the end; a final answer is among the last few, and this bounds cost. */
const MAX_MARKERS = 50;

/** The last answer phrase with something answer-like after it; each costs O(log n + 500). */
function lastMarker(text: string, spans: Span[], options: MathJudgeOptions): Candidate | null {
  const markers = [...text.matchAll(MARKER)];
  for (let k = markers.length - 1; k >= Math.max(0, markers.length - MAX_MARKERS); k -= 1) {
    const m = markers[k]!;
    const at = m.index ?? 0;
    // A marker inside a math environment (`\text{answer} = 5`) is not prose.
    if (inside(spans, at)) continue;
    const found = answerAfterMarker(text, at + m[0].length, spans, options);
    if (found !== null) return { at, answer: found.answer, method: markerMethod(m[1] ?? '', text, at), clean: found.clean };
  }
  return null;
}

/** A box in a counterfactual aside: "if the digits could repeat, we would get \boxed{4}". */
function hypothetical(text: string, box: Span): boolean {
  const from = Math.max(0, box.start - 300);
  const before = text.slice(from, box.start);
  const sentence = before.slice(Math.max(before.lastIndexOf('. ') + 1, before.lastIndexOf('\n') + 1, before.lastIndexOf('? ') + 1, before.lastIndexOf(';') + 1, 0));
  if (!/\b(?:if|suppose|supposing|assuming|had|were|otherwise)\b/i.test(sentence)) return false;
  // The box must be what the conditional would give: `… we would get \boxed{4}`, not `… would be 3, so the answer is \boxed{3}`.
  const modal = [...sentence.matchAll(/\b(?:would|could|might)\b|\b(?:we|you|it|they|I)'d\b/gi)].pop();
  if (modal === undefined) return false;
  const between = sentence.slice((modal.index ?? 0) + modal[0].length);
  return between.length < 60 && !/\b(?:so|since|therefore|thus|hence|but|answer)\b/i.test(between);
}

/** Words of doubt or correction before a revised statement. */
const REVISION_CUE = /\b(?:actually|wait|hmm+|oops|mistake|error|wrong|incorrect|correction|instead|rather|re-?check\w*|re-?examin\w*|recalculat\w*|recount\w*|miscount\w*|miscalculat\w*|overlooked|forgot)\b/i;
/**
 * A later statement that revises a box: "the correct answer is 5", "so the remainder should
 * be 2", "the answer is actually 7". Read only after a cue of doubt or with "correct"/"actually"
 * in the phrase itself.
 */
const REVISION = /\b(?:(?:correct|right|actual|true|real)\s+(?:final\s+)?(?:answer|result|value|count|number|total|remainder|sum)\s+(?:is|should\s+be|must\s+be|would\s+be)|(?:answer|result|remainder|total|sum|value|count|number)\s+(?:should|must)\s+(?:actually\s+)?be|(?:answer|result|remainder|total|sum|value|count|number)\s+is\s+actually)\b[ \t]*:?/gi;

function revisionAfter(text: string, box: Span, spans: Span[], options: MathJudgeOptions): Candidate | null {
  const tail = text.slice(box.end, box.end + 4000);
  let found: Candidate | null = null;
  for (const m of tail.matchAll(REVISION)) {
    const at = box.end + (m.index ?? 0);
    const phrase = m[0];
    if (!/correct|actual|right|true|real/i.test(phrase) && !REVISION_CUE.test(tail.slice(0, m.index ?? 0))) continue;
    const read = answerAfterMarker(text, at + phrase.length, spans, options);
    if (read !== null && read.clean) found = { at, answer: read.answer, method: 'the-answer-is', clean: true };
  }
  return found;
}

/** Math environments `$x = 15$, $y = -29$`: named values in a row are one answer. */
const NAMED_VALUE = /^\s*(?:[a-zA-Z]|\\[a-zA-Z]+)(?:_\{?\w+\}?)?\s*=\s*[^=<>]+$/;
const BETWEEN_VALUES = /^\s*(?:,|;|,?\s*and)\s*$/;

function joinNamedRow(text: string, spans: Span[], k: number): { answer: string; first: number } | null {
  const span = spans[k];
  if (span === undefined || !NAMED_VALUE.test(span.content)) return null;
  let first = k;
  while (first > 0) {
    const previous = spans[first - 1]!;
    if (!NAMED_VALUE.test(previous.content) || !BETWEEN_VALUES.test(text.slice(previous.end, spans[first]!.start))) break;
    first -= 1;
  }
  if (first === k) return null;
  return { answer: spans.slice(first, k + 1).map((sp) => answerOfSpan(sp.content)).join(', '), first };
}

/** Doubt with no answer after it: "n = 4? Let me double check…", a response cut off mid-sentence. */
const DOUBT = /\?|\blet\s+me\b(?!\s+know)|\blet's\b|\bwait\b|\bhmm+\b|\bdouble[- ]check|\bre-?check|\bverify\b|…|\.\.\./i;
function unfinishedAfter(text: string, at: number): boolean {
  const tail = text.slice(at).trimEnd();
  return DOUBT.test(tail) && /(?:…|\.\.\.|[?:,(=+\-]|[A-Za-z0-9])$/.test(tail);
}

/**
 * A last sentence that concludes with a name, after all the math: "Therefore, Evelyn has the
 * greatest average speed." (no number, no math in it).
 */
const CONCLUDING_SUBJECT = /(?:^|[.!?]\s+|\n\s*)(?:\*\*)?(?:Therefore|Thus|Hence|So|In conclusion|Consequently),?\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+(?:has|had|is|was|wins|won|will|gets|got|can|could|ran|runs|must|should|did|does|finished|finishes|arrived|arrives|scored|scores|needs|owns|ate|sold|made)\b[^.!?\n\d$\\]*[.!]?(?:\*\*)?\s*$/;

function concludingSubject(text: string, spans: Span[]): string | null {
  const from = Math.max(spans.length > 0 ? spans[spans.length - 1]!.end : 0, text.length - 300);
  const m = CONCLUDING_SUBJECT.exec(text.slice(from));
  return m?.[1] !== undefined && !PROSE_START.test(m[1]) ? m[1] : null;
}

/** LaTeX written without math delimiters: `so the ratio is \frac{10}{9}`. */
// A bounded coefficient keeps the scan linear on a long run of digits.
const BARE_LATEX = /-?\d{0,12} ?(?:\\(?:[dt]?frac\s*\{[^{}]*\}\s*\{[^{}]*\}|sqrt(?:\[\d+\])?\s*\{[^{}]*\}|pi(?![a-zA-Z]))|√ ?(?:\d+|\([^()]*\)|[a-z](?![a-z])))/g;

const QUALIFIER = /^\s*(?:[A-Za-z]+\s+)?(?:after|before|since|because|counting|including|excluding|once|when|with|without|from|given|since)\b/;

/**
 * In the last math environment's sentence, an earlier value stated and then explained: "the
 * total is $42$ after removing the $3$ broken ones from $45$" states 42; the rest is working.
 */
function statedBeforeWorking(text: string, spans: Span[], k: number): string | null {
  const last = spans[k]!;
  // One sentence, and at most 500 characters of it: the scan stays linear on a response of one line.
  const start = Math.max(text.lastIndexOf('. ', last.start), text.lastIndexOf('\n', last.start), last.start - 500) + 1;
  for (let j = firstSpanFrom(spans, start); j < k; j += 1) {
    const span = spans[j]!;
    if (!/\b(?:is|are|was|equals|be)\s*$/i.test(text.slice(Math.max(start, span.start - 12), span.start))) continue;
    const value = answerOfSpan(span.content);
    if (/\d/.test(value) && !NAME_ONLY.test(value) && QUALIFIER.test(text.slice(span.end, Math.min(spans[j + 1]!.start, span.end + 60)))) return value;
  }
  return null;
}

/** The last sentence with a number, when it states one: "the total is 42 after removing the 3 …". */
function statedInLastSentence(text: string): string | null {
  const tail = text.slice(-2000);
  const hasNumber = new RegExp(LAST_NUMBER.source);
  const sentences = tail.split(/(?<=[.!?])\s+|\n+/).filter((x) => hasNumber.test(x));
  const last = sentences[sentences.length - 1];
  if (last === undefined) return null;
  // Only a value whose sentence goes on to say how it was reached: the later numbers are the working.
  const stated = [...last.matchAll(STATED_VALUE)].find((m) => QUALIFIER.test(last.slice((m.index ?? 0) + m[0].length)));
  return stated?.[1] ?? null;
}

export type FoundAnswer = (ExtractedAnswer & { why?: undefined }) | { answer: null; why: string };

/**
 * The final answer a response commits to, or why there is none. Explicit statements first: the last `\boxed{}`
 * (not one in a counterfactual aside, and none at all when the response is cut off inside its
 * final box), GSM8K's `#### `, and answer phrases ("final answer is", "Answer:", "the answer is", "the
 * result is"), whichever comes last in the text, except that after a box only a final
 * statement read cleanly ("Final Answer: … $10{,}455$") or an explicit revision ("Hmm, actually
 * … the remainder should be 2") overrides it. Then the last math environment (named values in
 * a row, `$x = 15$, $y = -29$`, together), or a value stated right after it when
 * it only names something (`the largest $n$ is 34`). Only a response with no box, phrase or
 * math at all falls back to bare LaTeX or its last number, and that verdict is flagged. A
 * response that ends in doubt after its implicit answer ("n = 4? Let me double check…") has none.
 */
export function findAnswer(response: string, options: MathJudgeOptions = DEFAULT_MATH_OPTIONS): FoundAnswer {
  const text = maskAsymptote(response);
  const allBoxes = findBoxes(text);
  const unclosed = lastUnclosedBox(text, allBoxes);
  if (unclosed >= 0) return { answer: null, why: 'no answer: the response is cut off inside its final \\boxed{' };
  // An aside's box is dropped only beside a committed one: "if we add them up we would get \boxed{42}" alone is the answer.
  // Only the last few boxes can decide; looking at those alone keeps 90k boxes cheap.
  const committed = allBoxes.filter((b, i) => i < allBoxes.length - 10 || !hypothetical(text, b));
  const boxSpans = committed.length > 0 ? committed : allBoxes;
  const boxes = boxSpans.map((b) => b.content).filter((b) => b !== '');
  const spans = findMathSpans(text, options.answers === 'latex');
  const candidates: Candidate[] = [];
  const box = [...boxSpans].reverse().find((b) => b.content !== '');
  if (box !== undefined) candidates.push({ at: box.start, answer: box.content, method: 'boxed', clean: true });
  const hashes = [...text.matchAll(/####\s*(.+)/g)].pop();
  if (hashes?.[1] !== undefined && hashes[1].trim() !== '') {
    candidates.push({ at: hashes.index ?? 0, answer: hashes[1].trim().replace(/^\$\s*/, '').replace(/[.]$/, ''), method: 'gsm8k', clean: true });
  }
  const marker = lastMarker(text, spans, options);
  if (marker !== null && !(box !== undefined && marker.at < box.end)) candidates.push(marker);
  const revision = box === undefined ? null : revisionAfter(text, box, spans, options);
  if (revision !== null) candidates.push(revision);
  // After a box, only a final statement ("Final Answer: …", an `Answer:` line) read cleanly, or a
  // revision, overrides it; "we may check our answer: $17 \cdot 44 = 748$" is a check, not an answer.
  const strong = (c: Candidate): boolean => c === revision || (c.clean && (c.method === 'final-answer' || c.method === 'answer-line' || c.method === 'gsm8k'));
  const chosen = candidates.filter((c) => box === undefined || c.method === 'boxed' || strong(c)).sort((a, b) => b.at - a.at)[0];
  if (chosen !== undefined) return { answer: joinedAfterMarker(text, spans, chosen), method: chosen.method, boxes };

  const concluded = concludingSubject(text, spans);
  if (concluded !== null) return { answer: concluded, method: 'the-answer-is', boxes };

  for (let k = spans.length - 1; k >= 0; k -= 1) {
    const last = spans[k]!;
    const content = answerOfSpan(last.content);
    // `$\sin$ repeats`: a function named in passing is no answer.
    if (content === '' || BARE_FUNCTION.test(content)) continue;
    if (unfinishedAfter(text, last.end)) return { answer: null, why: 'no final answer: the response ends in doubt or mid-thought after its last statement' };
    const after = text.slice(last.end, Math.min(text.length, last.end + 80));
    if (NAME_ONLY.test(content)) {
      const stated = STATED_AFTER_NAME.exec(after);
      if (stated?.[1] !== undefined) return { answer: stated[1], method: 'stated-value', boxes };
      // `this value of $x$ does indeed satisfy …`: a name mentioned mid-sentence is not the answer.
      if (k > 0 && /^[^.\n]*?[A-Za-z]{2,}/.test(after.split(/[.\n]/)[0] ?? '')) continue;
    } else if (!/\d/.test(content)) {
      // `namely $\theta = \lambda/d$, gives 1.2 arcseconds`: a formula, then its value.
      const stated = STATED_AFTER_FORMULA.exec(after);
      if (stated?.[1] !== undefined) return { answer: stated[1], method: 'stated-value', boxes };
    }
    const row = joinNamedRow(text, spans, k);
    if (row === null) {
      const stated = statedBeforeWorking(text, spans, k);
      if (stated !== null) return { answer: stated, method: 'stated-value', boxes };
    }
    return { answer: row?.answer ?? content, method: 'math-environment', boxes };
  }

  // Only reached when the response holds no math at all: no LaTeX answer can be overridden.
  const numbers = [...text.matchAll(LAST_NUMBER)];
  const number = numbers[numbers.length - 1];
  const bare = options.answers === 'latex' && /\\(?:[dt]?frac|sqrt|pi)|√/.test(text) ? [...text.matchAll(BARE_LATEX)].pop() : undefined;
  if (bare !== undefined && (number === undefined || (bare.index ?? 0) + bare[0].length >= (number.index ?? 0))) {
    if (unfinishedAfter(text, (bare.index ?? 0) + bare[0].length)) return { answer: null, why: 'no final answer: the response ends in doubt or mid-thought after its last statement' };
    return { answer: bare[0].trim(), method: 'bare-latex', boxes };
  }
  if (number !== undefined) {
    if (unfinishedAfter(text, (number.index ?? 0) + number[0].length)) return { answer: null, why: 'no final answer: the response ends in doubt or mid-thought after its last number' };
    const stated = statedInLastSentence(text);
    return { answer: (stated ?? number[0]).replace(/,/g, '').replace(/\s+/g, ''), method: 'last-number', boxes };
  }
  return { answer: null, why: 'no answer found in the response' };
}

/** An answer phrase followed by `$x = 15$, $y = -29$`: all the named values, not the first. */
function joinedAfterMarker(text: string, spans: Span[], chosen: Candidate): string {
  if (chosen.method === 'boxed' || chosen.method === 'gsm8k') return chosen.answer;
  const k = firstSpanFrom(spans, chosen.at);
  const first = spans[k];
  if (first === undefined || answerOfSpan(first.content) !== chosen.answer) return chosen.answer;
  let last = k;
  while (last + 1 < spans.length && NAMED_VALUE.test(spans[last + 1]!.content) && NAMED_VALUE.test(spans[last]!.content) && BETWEEN_VALUES.test(text.slice(spans[last]!.end, spans[last + 1]!.start))) last += 1;
  return last === k ? chosen.answer : spans.slice(k, last + 1).map((sp) => answerOfSpan(sp.content)).join(', ');
}

/** The final answer a response commits to (see findAnswer), or null when it has none. */
export function extractAnswer(response: string, options: MathJudgeOptions = DEFAULT_MATH_OPTIONS): ExtractedAnswer | null {
  const found = findAnswer(response, options);
  return found.answer === null ? null : found;
}
