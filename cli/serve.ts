import { basename, resolve } from 'node:path';
import { EP_CHOICES } from '../workers/engine/execution-provider.ts';
import { startOpenAiServer } from '../workers/serve/openai-server.ts';
import { UsageError, type Command } from './command.ts';
import { num, oneOf, str, strings } from './options.ts';
import { VERSION } from './version.ts';

const usage = `passk serve --model [NAME=]DIR [--model …] [options]

Serves models with the project's own engine behind the OpenAI API: GET /v1/models, POST
/v1/completions (text or token-id prompts, n, echo, logprobs) and /v1/chat/completions
(the folder's chat template), streaming included. Concurrent requests with the same prompt
and settings are decoded together as one batch. Any tool that speaks the API can use it
(lm-evaluation-harness local-completions, lighteval, \`passk worker --backend openai\`).

  --model [NAME=]DIR   a model folder (as \`passk sample\` takes); served as NAME, default the folder's name; repeat for more
  --port P             default 8000
  --host H             default 127.0.0.1 (0.0.0.0 to let other machines in)
  --api-key K          ask every request for "Authorization: Bearer K" (or PASSK_SERVE_API_KEY)
  --ep EP              auto | cpu | cuda | webgpu (default auto)
  --threads T          onnxruntime threads per model
  --dtype D            the ONNX variant (onnx/model_D.onnx)
  --batch B            rows decoded together at most (default 64)
  --max-concurrent-requests N
                       answer 429 (Retry-After: 1) beyond N requests in progress (default: no limit)

A request with a seed gives the same text whatever else is batched with it (bit for bit on
the CPU); without one the server draws a seed. Generated tokens carry their own
log-probabilities; top alternatives only for echoed prompt tokens.`;

export const serveCommand: Command = {
  summary: 'serve models behind the OpenAI API (/v1/completions, /v1/chat/completions), batching concurrent requests',
  usage,
  options: {
    model: { type: 'string', multiple: true }, port: { type: 'string' }, host: { type: 'string' }, 'api-key': { type: 'string' },
    ep: { type: 'string' }, threads: { type: 'string' }, dtype: { type: 'string' }, batch: { type: 'string' },
    'max-concurrent-requests': { type: 'string' },
  },
  async run(values) {
    const models = strings(values, 'model').map((flag) => {
      const at = flag.indexOf('=');
      const name = at > 0 ? flag.slice(0, at) : basename(resolve(flag));
      const dir = resolve(at > 0 ? flag.slice(at + 1) : flag);
      if (!/^[\w.:/-]{1,200}$/.test(name)) throw new UsageError(`--model ${flag}: the name "${name}" may hold letters, digits and . _ - : / only`);
      return { name, dir };
    });
    if (models.length === 0) throw new UsageError('--model DIR is required (a model folder, as `passk sample --model` takes)');
    const names = models.map((m) => m.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) throw new UsageError(`two models are named "${twice}"; name them with --model NAME=DIR`);
    const server = await startOpenAiServer({
      models, host: str(values, 'host') ?? '127.0.0.1', port: num(values, 'port', true, 0) ?? 8000,
      apiKey: str(values, 'api-key') ?? process.env.PASSK_SERVE_API_KEY ?? null,
      ep: oneOf(values, 'ep', EP_CHOICES) ?? 'auto', threads: num(values, 'threads', true, 1), dtype: str(values, 'dtype'),
      batch: num(values, 'batch', true, 1) ?? 64, maxConcurrent: num(values, 'max-concurrent-requests', true, 1) ?? null,
      version: VERSION, log: (line) => process.stderr.write(`passk serve: ${line}\n`),
    });
    if (!server.ok) throw new UsageError(server.error);
    process.stdout.write(`passk serve ${VERSION} on ${server.value.baseUrl}: ${names.join(', ')}\n`);
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    process.stderr.write('passk serve: stopping\n');
    await server.value.close();
    return 0;
  },
};
