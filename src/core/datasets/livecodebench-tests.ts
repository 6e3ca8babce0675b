import { z } from 'zod';
import { decodePickledString } from './pickle-string.ts';
import type { Result } from '../result.ts';

export const liveCodeBenchTestSchema = z.object({
  input: z.string(),
  output: z.string(),
  testtype: z.enum(['stdin', 'functional']),
});
export type LiveCodeBenchTest = z.infer<typeof liveCodeBenchTestSchema>;

/**
 * Decompresses zlib data, refusing output past a cap (its error says which); injected so
 * that this module stays free of Node built-ins.
 */
export type Inflate = (bytes: Uint8Array) => Result<Uint8Array>;

function parseTests(json: string): Result<LiveCodeBenchTest[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    return { ok: false, error: `tests are not JSON: ${(error as Error).message}` };
  }
  const parsed = z.array(liveCodeBenchTestSchema).safeParse(raw);
  if (!parsed.success) return { ok: false, error: `tests do not have the LiveCodeBench shape: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  return { ok: true, value: parsed.data };
}

function base64ToBytes(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(text)) return null;
  const binary = atob(text.replace(/\s/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * LiveCodeBench test cases: either a JSON list (public tests) or base64 → zlib → pickled
 * JSON string (private tests in code_generation_lite).
 */
export function decodeLiveCodeBenchTests(value: unknown, inflate: Inflate): Result<LiveCodeBenchTest[]> {
  if (Array.isArray(value)) return parseTests(JSON.stringify(value));
  if (typeof value !== 'string') return { ok: false, error: 'tests must be a string or a list' };
  const text = value.trim();
  if (text.startsWith('[')) return parseTests(text);
  const compressed = base64ToBytes(text);
  if (compressed === null) return { ok: false, error: 'tests are neither JSON nor base64' };
  const pickled = inflate(compressed);
  if (!pickled.ok) return { ok: false, error: `tests: ${pickled.error}` };
  const json = decodePickledString(pickled.value);
  return json.ok ? parseTests(json.value) : json;
}
