/** An outcome where failure is expected (bad input, a model that will not load), with a message a user can act on. */
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };
