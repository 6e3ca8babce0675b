import type { SampleSourceInfo } from '../protocol/ui-protocol.ts';

/**
 * One line per source of a run's samples, for `passk runs show` and `passk run`:
 * `base: 384 samples by cpu (bitwise reproducible)` or `base: 384 samples from server "base"
 * at http://…/v1 (completions; temperature 0.6, …): not bitwise reproducible`.
 */
export function describeSampleSources(sources: readonly SampleSourceInfo[]): string[] {
  return sources.map((s) => {
    if (s.server === null) return `${s.modelId}: ${s.samples} samples by ${s.ep} (the same seed gives the same text on ${s.ep})`;
    const request = Object.entries(s.server.request).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ');
    const fingerprint = s.server.fingerprint ? `, fingerprint ${s.server.fingerprint}` : '';
    return `${s.modelId}: ${s.samples} samples from server model "${s.server.model}" at ${s.server.baseUrl} (${s.server.endpoint}${fingerprint}; ${request})`
      + ` by worker ${s.workerId ?? '?'}: not bitwise reproducible (per-sample seeds were sent, but servers batch requests differently)`;
  });
}
