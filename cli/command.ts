import type { ParseArgsConfig } from 'node:util';

/** One `passk` subcommand. `run` returns the process exit code. */
export interface Command {
  summary: string;
  /** Usage text printed by `passk <name> --help`, starting with the synopsis line. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Whether the command takes positional arguments. */
  allowPositionals?: boolean;
  run(values: Record<string, string | boolean | (string | boolean)[] | undefined>, positionals: string[]): Promise<number>;
}

/** An error the user can act on: printed without a stack trace. */
export class UsageError extends Error {}
