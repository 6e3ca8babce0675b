/**
 * Schema v5: an index of each sample's text hash and execution provider by (run, model,
 * problem).
 *
 * Answer diversity counts distinct chains per problem from the text hashes, and a run's
 * report counts its samples by execution provider. Without this index both read every
 * sample row, texts and all: 3.7 GB for a run of 1.5 M samples of 2 KB, ten seconds from a
 * cold disk. The index holds the keys, the hash and the provider (about 60 bytes a sample),
 * so those counts, and COUNT(*) of a run's samples, read it alone.
 */
export const chainIndexSchema = `
CREATE INDEX samples_chains ON samples (run_id, model_id, problem_id, text_hash, ep);
`;
