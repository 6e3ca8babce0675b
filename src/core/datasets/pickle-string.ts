import type { Result } from '../result.ts';

const PROTO = 0x80;
const FRAME = 0x95;
const SHORT_BINUNICODE = 0x8c;
const BINUNICODE = 0x58;
const BINUNICODE8 = 0x8d;
const MEMOIZE = 0x94;
const BINPUT = 0x71;
const LONG_BINPUT = 0x72;
const STOP = 0x2e;

function readLength(bytes: Uint8Array, at: number, size: 1 | 4 | 8): number | null {
  if (at + size > bytes.length) return null;
  let n = 0;
  for (let i = size - 1; i >= 0; i -= 1) n = n * 256 + (bytes[at + i] ?? 0);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Reads a Python pickle whose whole content is one `str` (LiveCodeBench's private tests are a
 * pickled JSON string). Only the opcodes such a pickle uses are understood; anything else —
 * in particular GLOBAL/REDUCE, which would call code in Python — is an error, never executed.
 */
export function decodePickledString(bytes: Uint8Array): Result<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let value: string | null = null;
  let i = 0;
  while (i < bytes.length) {
    const op = bytes[i] ?? -1;
    i += 1;
    switch (op) {
      case PROTO:
        i += 1;
        break;
      case FRAME:
        i += 8;
        break;
      case MEMOIZE:
        break;
      case BINPUT:
        i += 1;
        break;
      case LONG_BINPUT:
        i += 4;
        break;
      case SHORT_BINUNICODE:
      case BINUNICODE:
      case BINUNICODE8: {
        const size = op === SHORT_BINUNICODE ? 1 : op === BINUNICODE ? 4 : 8;
        const length = readLength(bytes, i, size);
        if (length === null || i + size + length > bytes.length) return { ok: false, error: `pickle: string at byte ${i - 1} runs past the end` };
        if (value !== null) return { ok: false, error: 'pickle: more than one object; expected a single string' };
        try {
          value = decoder.decode(bytes.subarray(i + size, i + size + length));
        } catch {
          return { ok: false, error: `pickle: string at byte ${i - 1} is not UTF-8` };
        }
        i += size + length;
        break;
      }
      case STOP:
        if (value === null) return { ok: false, error: 'pickle: STOP before any string' };
        return { ok: true, value };
      default:
        return { ok: false, error: `pickle: unsupported opcode 0x${op.toString(16).padStart(2, '0')} at byte ${i - 1} (only a pickled string is accepted)` };
    }
  }
  return { ok: false, error: 'pickle: no STOP opcode' };
}
