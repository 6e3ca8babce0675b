import { z } from 'zod';
import { VERIFIER_KINDS } from '../spec/experiment-spec.ts';

/** One imported benchmark item, the shape every importer produces and every experiment reads. */
export const benchmarkProblemSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(VERIFIER_KINDS),
  /** The text put into the prompt template. */
  problem: z.string().min(1),
  /** Math: the gold final answer. Code: null (the tests live in `task`). */
  answer: z.string().min(1).nullable(),
  /** A reference solution when the benchmark has one (worked solution or canonical code). */
  solution: z.string().nullable(),
  /** Code: the benchmark record that the code verifier's `toCodeTask` reads. */
  task: z.record(z.string(), z.unknown()).nullable(),
  /** Difficulty level where the benchmark has one (MATH500: 1–5, the bundled benchmark: 1–5), for per-level analysis. */
  level: z.string().min(1).max(100).optional(),
  /** Subject where the benchmark has one (MATH500's subject, OlympiadBench's subfield). */
  subject: z.string().min(1).max(200).optional(),
});
export type BenchmarkProblem = z.infer<typeof benchmarkProblemSchema>;
