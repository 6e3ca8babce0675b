/** An outcome where failure is expected (bad input), with a message a user can act on. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };
