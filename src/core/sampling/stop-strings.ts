/** Index of the earliest occurrence of any stop string in `text`, or -1. Empty stops are ignored. */
export function findStop(text: string, stops: readonly string[], from = 0): number {
  let best = -1;
  for (const stop of stops) {
    if (stop.length === 0) continue;
    const at = text.indexOf(stop, from);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  return best;
}

/** Longest stop string, in UTF-16 code units: how much text tail a step must re-check. */
export function longestStop(stops: readonly string[]): number {
  return stops.reduce((m, s) => Math.max(m, s.length), 0);
}
