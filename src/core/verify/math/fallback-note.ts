/**
 * The words every last-number fallback verdict carries in its reason. `passk verify` output has
 * no other field for it, so `passk stats` recognises fallback rows by these words; this module
 * is tiny so that the stats path does not load the verifier.
 */
export const FALLBACK_NOTE = 'fallback: last number in the text';
