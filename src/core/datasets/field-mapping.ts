import type { Result } from '../result.ts';

/** Target field ← source field path (dot-separated for nested objects, e.g. `meta.id`). */
export interface FieldMapping {
  id?: string;
  problem: string;
  answer?: string;
  solution?: string;
}

const TARGETS = ['id', 'problem', 'answer', 'solution'] as const;

/** Parses `problem=question,answer=final,id=meta.id` as typed on the command line. */
export function parseFieldMapping(text: string): Result<FieldMapping> {
  const fields: Partial<Record<(typeof TARGETS)[number], string>> = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const [target, source, ...rest] = pair.split('=').map((s) => s.trim());
    if (target === undefined || source === undefined || source === '' || rest.length > 0) {
      return { ok: false, error: `mapping "${pair}" is not TARGET=SOURCE` };
    }
    if (!(TARGETS as readonly string[]).includes(target)) {
      return { ok: false, error: `mapping target "${target}" is not one of ${TARGETS.join(', ')}` };
    }
    fields[target as (typeof TARGETS)[number]] = source;
  }
  if (fields.problem === undefined) return { ok: false, error: 'the mapping needs problem=SOURCE_FIELD' };
  return { ok: true, value: { ...fields, problem: fields.problem } };
}

/** The value at a dot path, or undefined. */
export function getField(record: unknown, path: string): unknown {
  let value: unknown = record;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A scalar field as text: strings as they are, numbers via String (27.0 → "27"). */
export function fieldText(record: unknown, path: string): Result<string> {
  const value = getField(record, path);
  if (typeof value === 'string') return { ok: true, value };
  if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value: String(value) };
  if (typeof value === 'bigint') return { ok: true, value: value.toString() };
  if (value === undefined || value === null) return { ok: false, error: `field "${path}" is missing` };
  return { ok: false, error: `field "${path}" is a ${Array.isArray(value) ? 'list' : typeof value}, expected text or a number` };
}
