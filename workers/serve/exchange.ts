import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { apiError } from '../../src/core/protocol/openai-api.ts';
import { RequestError, type ServedModel } from './served-model.ts';

/** Server-sent events as OpenAI's streaming responses send them: `data: {json}` lines, then `data: [DONE]`. */
export interface EventStream {
  send(chunk: unknown): void;
  end(): void;
}

/** One request and its answer, so handlers need not touch node:http. */
export interface Exchange {
  body: unknown;
  json(status: number, body: unknown, headers?: Record<string, string>): void;
  startStream(): EventStream;
  /** The client closed the connection. */
  gone(): boolean;
  fingerprint(model: ServedModel): string;
}

export function createExchange(req: IncomingMessage, res: ServerResponse, body: unknown, fingerprint: (model: ServedModel) => string): Exchange {
  let closed = false;
  res.on('close', () => { closed = true; });
  return {
    body,
    json(status, payload, headers = {}) {
      const text = JSON.stringify(payload);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
      res.end(text);
    },
    startStream() {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
      return {
        send: (chunk) => { if (!closed) res.write(`data: ${JSON.stringify(chunk)}\n\n`); },
        end: () => { if (!closed) res.end('data: [DONE]\n\n'); },
      };
    },
    gone: () => closed && !res.writableFinished,
    fingerprint,
  };
}

/** The body against its schema, or a RequestError naming the first field that is wrong. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue.path.map(String).join('.') || null;
  const what = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
  throw new RequestError(`${param ?? 'the body'}: ${what}`, param);
}

/** A thrown RequestError as OpenAI's error body; anything else is the server's fault (500), said plainly. */
export function errorReply(error: unknown): { status: number; body: ReturnType<typeof apiError> } {
  if (error instanceof RequestError) {
    return { status: error.status, body: apiError(error.message, { param: error.param, code: error.code, type: error.status === 404 ? 'invalid_request_error' : undefined }) };
  }
  return { status: 500, body: apiError(`passk serve failed: ${(error as Error).message}`, { type: 'server_error' }) };
}
