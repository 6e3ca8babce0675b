import { randomBytes } from 'node:crypto';
import { chatRequestSchema } from '../../src/core/protocol/openai-api.ts';
import { tokenDeltas } from '../../src/core/sampling/detokenize.ts';
import { messageText, resolveSamplingRequest } from '../../src/core/serving/sampling-request.ts';
import type { ChatMessage } from '../engine/prompt-renderer.ts';
import { parseBody, type Exchange } from './exchange.ts';
import { checkContext, drawChoices, RequestError, type ServedModel } from './served-model.ts';

/** Without max_tokens, a chat answer may run to the context limit; a model without one gets this many. */
const DEFAULT_CHAT_TOKENS = 4096;

/** POST /v1/chat/completions: the conversation rendered by the model folder's chat template, n choices. */
export async function chatCompletions(exchange: Exchange, findModel: (name: string) => ServedModel): Promise<void> {
  const request = parseBody(chatRequestSchema, exchange.body);
  const model = findModel(request.model);
  const settings = resolveSamplingRequest(request, model.defaults, 'chat');
  if (!settings.ok) throw new RequestError(settings.error.message, settings.error.param);
  const s = settings.value;
  if (s.stream && request.logprobs) throw new RequestError('logprobs with stream is not supported by passk serve; ask without stream', 'logprobs');
  if (!model.codec.hasChatTemplate) throw new RequestError(`model ${model.name} has no chat template (${model.dir}); use /v1/completions with a prompt`, 'messages');
  const messages: ChatMessage[] = request.messages.map((m) => {
    const text = messageText(m.content);
    if (!text.ok) throw new RequestError(text.error.message, text.error.param);
    return { role: m.role === 'developer' ? 'system' : m.role, content: text.value };
  });
  const promptIds = model.codec.encode(model.codec.renderChat(messages));
  const maxTokens = s.maxTokens ?? (model.contextLength === null ? DEFAULT_CHAT_TOKENS : model.contextLength - promptIds.length);
  if (maxTokens < 1) throw new RequestError(`the conversation takes ${promptIds.length} tokens, the whole context of ${model.name} (${model.contextLength})`, 'messages');
  checkContext(model, promptIds.length, maxTokens);

  const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
  const head = { id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: model.name };
  const stream = s.stream ? exchange.startStream() : null;
  if (stream) for (let j = 0; j < s.n; j++) stream.send({ ...head, choices: [{ index: j, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] });
  const rows = await drawChoices(model, promptIds, s, maxTokens, 0, {
    gone: exchange.gone,
    onDelta: stream ? (index, content) => stream.send({ ...head, choices: [{ index, delta: { content }, logprobs: null, finish_reason: null }] }) : undefined,
  });
  const failed = rows.find((r) => !r.ok);
  if (failed && !failed.ok) throw new Error(failed.error);
  const choices = rows.map((r) => (r as Extract<typeof r, { ok: true }>).value);
  const completionTokens = choices.reduce((t, c) => t + c.ids.length, 0);
  const usage = { prompt_tokens: promptIds.length, completion_tokens: completionTokens, total_tokens: promptIds.length + completionTokens };
  if (stream) {
    choices.forEach((c, index) => stream.send({ ...head, choices: [{ index, delta: {}, logprobs: null, finish_reason: c.finish }] }));
    if (s.includeUsage) stream.send({ ...head, choices: [], usage });
    stream.end();
    return;
  }
  exchange.json(200, {
    id, object: 'chat.completion', created: head.created, model: model.name, system_fingerprint: exchange.fingerprint(model),
    choices: choices.map((c, index) => ({
      index,
      message: { role: 'assistant', content: c.text },
      logprobs: request.logprobs ? {
        content: tokenDeltas((ids) => model.codec.decode(ids), [...promptIds, ...c.ids], promptIds.length).map((token, k) => ({
          token, logprob: c.logprobs[k], bytes: [...Buffer.from(token, 'utf8')], top_logprobs: [],
        })),
      } : null,
      finish_reason: c.finish,
    })),
    usage,
  });
}
