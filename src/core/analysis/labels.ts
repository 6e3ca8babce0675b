/** A person's judgement of a sampled chain of thought (the paper checked by hand that correct answers at large k come from valid chains). */
export const LABELS = ['valid', 'invalid', 'unsure'] as const;
export type Label = (typeof LABELS)[number];
