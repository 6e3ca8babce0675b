import { z } from 'zod';

/**
 * What a model is in an experiment. The one list: zod schemas, TypeScript types and the
 * store's CHECK constraint (migration 2 writes it from here) all come from it.
 */
export const ROLES = ['base', 'rl', 'distilled', 'other'] as const;
export type Role = (typeof ROLES)[number];

export const roleSchema = z.enum(ROLES, { error: `expected one of ${ROLES.join(', ')}` });
