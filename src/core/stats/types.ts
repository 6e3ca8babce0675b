import type { Role } from '../roles.ts';

export type { Role };
/** Verdict counts of one model on one problem: c correct among n samples. */
export interface ProblemCount { model: string; role?: Role; problem: string; n: number; c: number }
