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
  /**
   * Set when the judged answer is only the last number in the text (no box, answer phrase or
   * math): a guess at what the response meant. Reports count these apart or exclude them.
   */
  fallback?: true;
}
