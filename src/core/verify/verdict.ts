/**
 * The judgement of one sampled answer. Every verifier (math, code) returns this shape, so
 * the store, the stats and the CLI never care which kind produced it.
 */
export interface Verdict {
  correct: boolean;
  /** What the verifier judged: the extracted final answer, or for code the program's outcome. */
  extracted: string | null;
  /** Why, in words a researcher reads in a table: "equivalent: 1/2 = 0.5", "timeout after 10 s". */
  reason: string;
}
