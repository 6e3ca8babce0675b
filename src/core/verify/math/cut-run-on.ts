/**
 * A base model sampled at large k often answers and then keeps going: an end-of-turn marker
 * and a new chat turn, a new "Problem:" in the few-shot format it was prompted with, an answer
 * to a question it made up. What follows such a point is not part of this response's answer.
 */

/**
 * End-of-text and chat-template markers: the stop words of the paper's evaluation (Qwen2.5-Math's
 * `math_eval`: `</s>`, `<|im_end|>`, `<|endoftext|>`) and the turn markers of common templates.
 */
const TURN_MARKERS = [
  '</s>', '<|im_end|>', '<|im_start|>', '<|endoftext|>', '<|end_of_text|>', '<|eot_id|>', '<|start_header_id|>',
  '<|end▁of▁sentence|>', '<｜end▁of▁sentence｜>', '<｜User｜>', '<｜Assistant｜>', '<|user|>', '<|assistant|>', '<|end|>',
  '<end_of_turn>', '<start_of_turn>',
];

/**
 * A line that opens a new problem or turn: `Problem:`, `Question 2:`, `Q:`, `## Question`,
 * `### Problem` (the jiuzhang and numina formats), `Human:`, `User:`, `### Instruction`.
 * Only after the response has said something: a response may open by restating its problem.
 */
// `Q:` only before words: `Q: (3, 4)` is a point named Q.
const NEW_PROBLEM = /(?:^|\n)[ \t]*(?:#{1,4}[ \t]*(?:\*\*)?(?:Problem|Question|Exercise|Instruction)\b|(?:\*\*)?(?:Problem|Question|Human|User|Instruction)(?:[ \t]+\d+)?(?:\*\*)?[ \t]*[:：]|Q:[ \t]+(?=[A-Z][a-z]))/g;

export interface RunOnCut {
  /** The response up to the cut (all of it when there is none). */
  text: string;
  /** What started the run-on, for the verdict's reason; null when nothing was cut. */
  marker: string | null;
}

/**
 * Where a response's run-on begins: the first end-of-turn marker, a line opening a new problem
 * or turn after some text, or the problem statement repeated (a few-shot header the model
 * writes again for a problem of its own). Linear in the response's length.
 */
export function cutRunOn(response: string, problem?: string): RunOnCut {
  let at = response.length;
  let marker: string | null = null;
  for (const m of TURN_MARKERS) {
    const i = response.indexOf(m);
    if (i >= 0 && i < at) {
      at = i;
      marker = m;
    }
  }
  NEW_PROBLEM.lastIndex = 0;
  for (let m = NEW_PROBLEM.exec(response); m !== null && m.index < at; m = NEW_PROBLEM.exec(response)) {
    if (/\S/.test(response.slice(0, m.index))) {
      at = m.index;
      marker = m[0].trim();
      break;
    }
  }
  const repeated = problemRepeatedAt(response.slice(0, at), problem);
  if (repeated !== null) {
    at = repeated;
    marker = 'the problem statement again';
  }
  return marker === null ? { text: response, marker: null } : { text: response.slice(0, at), marker };
}

/** The problem's opening words, written again after the response has begun, start a new turn. */
function problemRepeatedAt(text: string, problem: string | undefined): number | null {
  if (problem === undefined) return null;
  const opening = problem.trim().slice(0, 60);
  // Short problems ("Compute $7!$.") are as likely quoted in a solution as repeated.
  if (opening.length < 40) return null;
  const at = text.indexOf(opening, 1);
  if (at <= 0 || !/(?:^|\n)\s*$/.test(text.slice(0, at))) return null;
  // Restating the problem before solving it is not a run-on: only after an answer is it one.
  return /\\boxed|\banswer\b/i.test(text.slice(0, at)) ? at : null;
}
