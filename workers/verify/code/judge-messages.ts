import { z } from 'zod';

/**
 * What the judge (judge-py.ts) writes on descriptor 3, one JSON object a line. Every message
 * carries the nonce Node gave the judge on its stdin; only the judge ever held it.
 */
export const judgeMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), nonce: z.string() }),
  z.object({ type: z.literal('verdict'), nonce: z.string(), passed: z.boolean(), reason: z.string() }),
  z.object({
    type: z.literal('run'),
    nonce: z.string(),
    index: z.number().int().nonnegative(),
    stdout: z.string(),
    stderrTail: z.string(),
    exitCode: z.number().int().nullable(),
    signal: z.string().nullable(),
    timedOut: z.boolean(),
    outputCapped: z.boolean(),
  }),
]);
export type JudgeMessage = z.infer<typeof judgeMessage>;
export type StdioRun = Extract<JudgeMessage, { type: 'run' }>;

/** The judge's stdin: the job, read whole before the judge says it is ready. */
export type JudgeJob =
  | { mode: 'call'; nonce: string; isolated: boolean; candidate: string; trusted: string; test: string; remote: string[]; discover: boolean; entryPoints: string[] }
  | { mode: 'stdio'; nonce: string; isolated: boolean; source: string; inputs: string[]; timeoutMs: number; outputBytes: number };
