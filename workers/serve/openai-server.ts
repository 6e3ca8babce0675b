import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { apiError } from '../../src/core/protocol/openai-api.ts';
import type { Result } from '../../src/core/result.ts';
import { readModelFolder } from '../../src/node/model-folder/read-model-folder.ts';
import type { EpChoice } from '../engine/execution-provider.ts';
import { createTextCodec } from '../engine/text-codec.ts';
import { chatCompletions } from './chat.ts';
import { completions } from './completions.ts';
import { createExchange, errorReply, type Exchange } from './exchange.ts';
import { ServeEngine } from './serve-engine.ts';
import { RequestError, type ServedModel } from './served-model.ts';

export interface ServeOptions {
  models: { name: string; dir: string }[];
  host: string;
  port: number;
  /** Requests must carry `Authorization: Bearer <key>`; null: no key asked. */
  apiKey: string | null;
  ep: EpChoice;
  threads?: number;
  dtype?: string;
  /** Rows decoded together at most (the engine's batch). */
  batch: number;
  /** Requests in progress at most; more are answered 429 with Retry-After (as TGI does when full). null: no limit. */
  maxConcurrent: number | null;
  version: string;
  log: (line: string) => void;
}

export interface OpenAiServer {
  /** http://host:port/v1 */
  baseUrl: string;
  models: ServedModel[];
  close(): Promise<void>;
}

const MAX_BODY = 32 * 1024 * 1024;

/** Opens every model's engine (each in its own thread), then listens. */
export async function startOpenAiServer(options: ServeOptions): Promise<Result<OpenAiServer>> {
  const models: ServedModel[] = [];
  const closeAll = () => Promise.all(models.map((m) => m.engine.close()));
  for (const { name, dir } of options.models) {
    const folder = readModelFolder(dir, { dtype: options.dtype });
    if (!folder.ok) {
      await closeAll();
      return folder;
    }
    const engine = await ServeEngine.open({ dir, ep: options.ep, threads: options.threads, dtype: options.dtype }, options.batch);
    if (!engine.ok) {
      await closeAll();
      return { ok: false, error: `${name} (${dir}): ${engine.error}` };
    }
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { max_position_embeddings?: unknown };
    const g = folder.value.generation;
    models.push({
      name, dir, engine: engine.value, codec: createTextCodec(folder.value),
      defaults: { temperature: g.temperature, topP: g.topP, topK: g.topK, doSample: g.doSample },
      contextLength: typeof config.max_position_embeddings === 'number' ? config.max_position_embeddings : null,
      vocabSize: folder.value.config.vocabSize, created: Math.floor(Date.now() / 1000),
    });
    options.log(`${name}: ${dir} (${engine.value.ep}, ${engine.value.decode})`);
  }

  const findModel = (name: string): ServedModel => {
    const model = models.find((m) => m.name === name);
    if (!model) throw new RequestError(`The model \`${name}\` does not exist; this server serves ${models.map((m) => `\`${m.name}\``).join(', ')}`, 'model', 404, 'model_not_found');
    return model;
  };
  const fingerprint = (model: ServedModel) => `passk-serve-${options.version}-${model.engine.ep}`;
  let inFlight = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/\/+$/, '');
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => createExchange(req, res, null, fingerprint).json(status, body, headers);
    if (path === '/health' || path === '/healthz') return reply(200, { status: 'ok', models: models.map((m) => ({ name: m.name, ...m.engine.stats, waiting: m.engine.waiting })) });
    if (options.apiKey !== null && !keyMatches(req.headers.authorization, options.apiKey)) {
      return reply(401, apiError('Incorrect API key provided: passk serve was started with --api-key; send it as "Authorization: Bearer KEY"', { code: 'invalid_api_key' }));
    }
    if (req.method === 'GET' && path === '/v1/models') return reply(200, { object: 'list', data: models.map(modelEntry) });
    const one = /^\/v1\/models\/(.+)$/.exec(path);
    if (req.method === 'GET' && one) {
      const model = models.find((m) => m.name === decodeURIComponent(one[1]));
      return model ? reply(200, modelEntry(model)) : reply(404, apiError(`The model \`${decodeURIComponent(one[1])}\` does not exist`, { code: 'model_not_found', param: 'model' }));
    }
    const route = path === '/v1/completions' ? completions : path === '/v1/chat/completions' ? chatCompletions : null;
    if (route === null) return reply(404, apiError(`no route ${req.method} ${path.slice(0, 200)}: passk serve has /v1/models, /v1/completions and /v1/chat/completions`, { code: 'not_found' }));
    if (req.method !== 'POST') return reply(405, apiError(`${path} takes POST`), { Allow: 'POST' });
    if (options.maxConcurrent !== null && inFlight >= options.maxConcurrent) {
      return reply(429, apiError(`passk serve is busy: ${inFlight} requests in progress (--max-concurrent-requests ${options.maxConcurrent}); retry shortly`, { type: 'rate_limit_error', code: 'busy' }), { 'Retry-After': '1' });
    }
    inFlight++;
    let exchange: Exchange | null = null;
    try {
      const body = await readJson(req);
      exchange = createExchange(req, res, body, fingerprint);
      await route(exchange, findModel);
    } catch (error) {
      const { status, body } = errorReply(error);
      if (status === 500) options.log(`${path}: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) reply(status, body);
      else if (!res.writableEnded) res.end(`data: ${JSON.stringify(body)}\n\ndata: [DONE]\n\n`);
    } finally {
      inFlight--;
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  const listening = await new Promise<Result<null>>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, error: error.code === 'EADDRINUSE' ? `port ${options.port} is taken; choose one with --port` : error.message }));
    server.listen(options.port, options.host, () => resolve({ ok: true, value: null }));
  });
  if (!listening.ok) {
    await closeAll();
    return listening;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    ok: true,
    value: {
      baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`,
      models,
      async close() {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await closeAll();
      },
    },
  };
}

function modelEntry(model: ServedModel) {
  return { id: model.name, object: 'model', created: model.created, owned_by: 'passk-serve', root: model.dir, max_model_len: model.contextLength };
}

function keyMatches(header: string | undefined, key: string): boolean {
  const given = header?.startsWith('Bearer ') ? header.slice(7) : '';
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(key).digest());
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new RequestError(`the request body is over ${MAX_BODY / 2 ** 20} MB`, null, 413);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new RequestError(`the request body is not valid JSON: ${(error as Error).message}`);
  }
}
