/** How an answer was found in a response; `last-number` is a guess and verdicts say so. */
export type ExtractionMethod = 'boxed' | 'gsm8k' | 'answer-line' | 'final-answer' | 'the-answer-is' | 'last-number';

export interface ExtractedAnswer {
  answer: string;
  method: ExtractionMethod;
}

const BOX_COMMANDS = ['\\boxed', '\\fbox'];

/**
 * The argument of the group that opens at `text[open]` (`{`), with braces balanced, or null
 * when the text ends before the group closes.
 */
function readGroup(text: string, open: number): { body: string; end: number } | null {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\\') {
      i += 1; // an escaped brace such as `\{` does not count
      continue;
    }
    if (ch === '{') depth += 1;
    else if (ch === '}') {
      depth -= 1;
      if (depth === 0) return { body: text.slice(open + 1, i), end: i + 1 };
    }
  }
  return null;
}

/** The content of the last `\boxed{…}` / `\fbox{…}` (also `\boxed 5`), or null. */
export function lastBoxed(text: string): string | null {
  let best: { at: number; body: string } | null = null;
  for (const command of BOX_COMMANDS) {
    let from = text.length;
    while (from >= 0) {
      const at = text.lastIndexOf(command, from);
      if (at < 0) break;
      from = at - 1;
      const after = at + command.length;
      if (/[A-Za-z]/.test(text[after] ?? '')) continue; // e.g. \boxedx is another command
      let i = after;
      while (text[i] === ' ') i += 1;
      let body: string | null = null;
      if (text[i] === '{') body = readGroup(text, i)?.body ?? null;
      else if (i > after) body = /^[^\s$]+/.exec(text.slice(i))?.[0] ?? null; // `\boxed 5`
      if (body === null) continue;
      if (best === null || at > best.at) best = { at, body };
      break;
    }
  }
  return best === null ? null : best.body.trim();
}

// Digits glued to letters (a signature such as `sepehr2010`, `x2`) are not a number.
const NUMBER = /(?<![A-Za-z_\d.])(?:-?\d[\d,]*(?:\.\d+)?|-?\.\d+)/g;

function trimSentence(answer: string): string {
  let a = answer.trim();
  a = a.replace(/^[:\s]+/, '');
  // Stop at the end of the sentence: a period followed by a space/end that is not a decimal point.
  const stop = /\.(?:\s|$)(?![\d])/.exec(a);
  if (stop) a = a.slice(0, stop.index);
  a = a.replace(/^\$+|\$+$/g, '').replace(/^\\\(|\\\)$/g, '');
  return a.trim().replace(/[.;,]+$/, '').trim();
}

/**
 * The final answer a response commits to, in order of how explicit the marker is:
 * the last \boxed{}; GSM8K's `#### `; a DAPO-style `Answer:` line; "final answer is";
 * "the answer is"; and only then the last number in the text.
 */
export function extractAnswer(response: string): ExtractedAnswer | null {
  const boxed = lastBoxed(response);
  if (boxed !== null && boxed !== '') return { answer: boxed, method: 'boxed' };

  const hashes = [...response.matchAll(/####\s*(.+)/g)].pop();
  if (hashes?.[1] !== undefined && hashes[1].trim() !== '') {
    return { answer: hashes[1].trim().replace(/[.]$/, ''), method: 'gsm8k' };
  }

  const answerLine = [...response.matchAll(/^\s*\**Answer\**\s*:\s*(.+?)\s*$/gim)].pop();
  if (answerLine?.[1] !== undefined) {
    const a = trimSentence(answerLine[1]);
    if (a !== '') return { answer: a, method: 'answer-line' };
  }

  const final = [...response.matchAll(/final answer\s*(?:is|:)\s*([^\n]+)/gi)].pop();
  if (final?.[1] !== undefined) {
    const a = trimSentence(final[1]);
    if (a !== '') return { answer: a, method: 'final-answer' };
  }

  const theAnswer = [...response.matchAll(/the answer is\s*:?\s*([^\n]+)/gi)].pop();
  if (theAnswer?.[1] !== undefined) {
    const a = trimSentence(theAnswer[1]);
    if (a !== '') return { answer: a, method: 'the-answer-is' };
  }

  const last = [...response.matchAll(NUMBER)].pop();
  if (last !== undefined) return { answer: last[0].replace(/,/g, ''), method: 'last-number' };
  return null;
}
