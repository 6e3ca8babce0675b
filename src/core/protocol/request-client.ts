import { z } from 'zod';
import { describeZodError, type RequestMap, type RequestOf, type ResponseOf } from './requests.ts';

/** What a socket.io client socket offers for requests (kept structural, so core imports no socket library). */
export interface AckSocket {
  timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> };
}

/** A refusal carries the other side's reason; a timeout (no answer at all) may be retried. */
export type RequestResult<T> = { ok: true; value: T } | { ok: false; error: string; timedOut: boolean };

/**
 * Sends one request and parses the answer with the response schema of the same map the
 * other side serves, so a reply is checked at this edge too. Never throws: a timeout, a
 * refusal or a malformed answer comes back as `{ ok: false, error }`.
 */
export async function sendRequest<M extends RequestMap, K extends keyof M & string>(
  socket: AckSocket, map: M, name: K, payload: RequestOf<M, K>, timeoutMs: number,
): Promise<RequestResult<ResponseOf<M, K>>> {
  let answer: unknown;
  try {
    answer = await socket.timeout(timeoutMs).emitWithAck(name, payload);
  } catch {
    return { ok: false, error: `${name}: no answer within ${(timeoutMs / 1000).toFixed(1)} s`, timedOut: true };
  }
  const schema = z.union([
    z.strictObject({ ok: z.literal(true), value: map[name].response }),
    z.strictObject({ ok: z.literal(false), error: z.string() }),
  ]);
  const parsed = schema.safeParse(answer);
  if (!parsed.success) return { ok: false, error: `${name}: malformed answer (${describeZodError(parsed.error)})`, timedOut: false };
  return parsed.data.ok ? { ok: true, value: parsed.data.value as ResponseOf<M, K> } : { ok: false, error: parsed.data.error, timedOut: false };
}
