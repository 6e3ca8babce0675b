import type { z } from 'zod';
import type { Result } from '../result.ts';

/**
 * A boundary's contract, written once: each request event names the schema of what the
 * caller sends and of what the answer (a socket.io acknowledgement) carries. Both sides
 * import the same map; each parses what it receives with it.
 */
export interface RequestSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  request: Req;
  response: Res;
}
export type RequestMap = Record<string, RequestSpec>;

export type RequestOf<M extends RequestMap, K extends keyof M> = z.input<M[K]['request']>;
export type ParsedRequestOf<M extends RequestMap, K extends keyof M> = z.output<M[K]['request']>;
export type ResponseOf<M extends RequestMap, K extends keyof M> = z.output<M[K]['response']>;

/** Every answer is a Result: a refusal carries the reason, never a stack trace. */
export type Ack<T> = Result<T>;

/** The socket.io event signatures a request map gives (for typed sockets). */
export type RequestEvents<M extends RequestMap> = {
  [K in keyof M & string]: (payload: RequestOf<M, K>, ack: (answer: Ack<ResponseOf<M, K>>) => void) => void;
};

/** The answers of one side of a boundary: one function per request, callable without a socket. */
export type HandlerMap<M extends RequestMap> = {
  [K in keyof M & string]: (request: ParsedRequestOf<M, K>) => Ack<ResponseOf<M, K>> | Promise<Ack<ResponseOf<M, K>>>;
};

/** Events pushed one way, with no answer. */
export type PushEvents<P extends Record<string, z.ZodType>> = {
  [K in keyof P & string]: (payload: z.output<P[K]>) => void;
};

/** Schema errors as one line: `field.path: message; …` (at most three). */
export function describeZodError(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((issue) => `${issue.path.length ? issue.path.join('.') : '(message)'}: ${issue.message}`).join('; ');
}
