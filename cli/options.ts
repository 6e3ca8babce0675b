import { PROMPT_FORMATS, type PromptFormat } from '../src/core/sampling/prompt-format.ts';
import type { Result } from '../src/core/result.ts';
import { MAX_TEXT_BYTES, readRegularFile } from '../src/node/fs/read-regular-file.ts';
import { UsageError, type Command } from './command.ts';

/** The parsed options of one command, as `node:util` parseArgs gives them. */
export type Values = Parameters<Command['run']>[0];

export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function strings(values: Values, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

export function flag(values: Values, name: string): boolean {
  return values[name] === true;
}

/** A number option; with `integer` it must be a whole number, with `min` at least that. */
export function num(values: Values, name: string, integer = false, min?: number): number | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isSafeInteger(n))) {
    throw new UsageError(`--${name} ${JSON.stringify(v)}: expected ${integer ? 'an integer' : 'a number'}${min === undefined ? '' : ` ≥ ${min}`}`);
  }
  if (min !== undefined && n < min) throw new UsageError(`--${name} ${v}: must be ≥ ${min}`);
  return n;
}

export function oneOf<T extends string>(values: Values, name: string, allowed: readonly T[]): T | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} ${v}: expected one of ${allowed.join(', ')}`);
  return v as T;
}

/** The value of a Result, or a UsageError naming the option it came from. */
export function unwrap<T>(result: Result<T>, option: string): T {
  if (!result.ok) throw new UsageError(`${option}: ${result.error}`);
  return result.value;
}

/**
 * A file's text, or standard input for "-"; throws an Error whose message names the file and
 * says what is wrong (a FIFO, a device, a folder, too large), never a bare errno.
 */
export async function readInput(path: string): Promise<string> {
  if (path !== '-') {
    const read = await readRegularFile(path);
    if (!read.ok) throw new Error(read.error);
    return read.value.toString('utf8');
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length;
    if (total > MAX_TEXT_BYTES) throw new Error(`<stdin>: more than the ${MAX_TEXT_BYTES >> 20} MiB passk reads as one text; split the input`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A certificate or key named by `option` (--ca, --tls-cert, --tls-key): a regular file of at most 1 MiB, never a FIFO waited on. */
export async function readPemOption(path: string, option: string): Promise<Buffer> {
  return unwrap(await readRegularFile(path, { maxBytes: 1 << 20 }), option);
}

export function promptFormatOption(values: Values): PromptFormat | undefined {
  return oneOf(values, 'prompt-format', PROMPT_FORMATS);
}
