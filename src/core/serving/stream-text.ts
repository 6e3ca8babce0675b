import { findStop } from '../sampling/stop-strings.ts';

/**
 * How much of a growing sample may be streamed now: never text from a stop string on (the
 * final text is cut before it), never a tail that could still become one, and never a
 * character still being decoded (U+FFFD) or half a surrogate pair. What it returns only
 * grows as the text grows, and the final text (cut at its stop string) extends it.
 */
export function streamableText(text: string, stops: readonly string[]): string {
  let end = text.length;
  const at = findStop(text, stops);
  if (at >= 0) end = at;
  else {
    for (const stop of stops) {
      // The longest tail of the text that is a start of this stop string is held back.
      for (let k = Math.min(stop.length - 1, text.length); k > 0; k--) {
        if (text.endsWith(stop.slice(0, k))) {
          end = Math.min(end, text.length - k);
          break;
        }
      }
    }
  }
  let out = text.slice(0, end);
  while (out.endsWith('\uFFFD')) out = out.slice(0, -1);
  if (/[\uD800-\uDBFF]$/.test(out)) out = out.slice(0, -1);
  return out;
}
