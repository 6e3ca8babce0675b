import { Template } from '@huggingface/jinja';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from '../../src/core/result.ts';
import { qwenBoxedPrompt, substituteProblem, type PromptFormat } from '../../src/core/sampling/prompt-format.ts';

/** A chat message as templates read them. */
export interface ChatMessage {
  role: string;
  content: string;
}

/** How prompts are rendered from a model folder's chat template: the onnx engine, the openai backend and `passk serve` share it. */
export interface PromptRenderer {
  hasChatTemplate: boolean;
  /**
   * Why the chat template cannot be used (it does not parse, or fails on a sample prompt,
   * e.g. an unknown filter), naming its file; absent when it renders or there is none.
   * Checked when the renderer is made, so a command asking for `chat` can refuse before any work.
   */
  chatTemplateProblem?: string;
  /**
   * The prompt for a problem. `template` is the user message (chat) or the whole prompt
   * (raw), with `{problem}` substituted; it defaults to the bare problem.
   */
  formatPrompt(problem: string, format: PromptFormat, template?: string): string;
  /** A conversation rendered by the chat template, ending with the assistant's turn opened. */
  renderChat(messages: readonly ChatMessage[]): string;
}

/** A chat template that does not parse or render; the message names its file. */
export class ChatTemplateError extends Error {}

export function tokenText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && 'content' in v && typeof v.content === 'string') return v.content;
  return null;
}

interface TemplateSource {
  dir: string;
  chatTemplate: string | null;
  tokenizerConfig: Record<string, unknown>;
}

export function createPromptRenderer(source: TemplateSource): PromptRenderer {
  const compiled = source.chatTemplate === null ? null : compileChatTemplate(source);
  const bos = tokenText(source.tokenizerConfig.bos_token) ?? '';
  const eos = tokenText(source.tokenizerConfig.eos_token) ?? '';
  const renderChat = (messages: readonly ChatMessage[]): string => {
    if (compiled === null) {
      throw new ChatTemplateError(`${source.dir}: no chat template (tokenizer_config.json "chat_template" or chat_template.jinja); use --prompt-format raw or qwen-boxed`);
    }
    if (!compiled.ok) throw new ChatTemplateError(compiled.error);
    try {
      return compiled.value.render({ messages: messages.map((m) => ({ role: m.role, content: m.content })), add_generation_prompt: true, bos_token: bos, eos_token: eos });
    } catch (error) {
      throw new ChatTemplateError(`${chatTemplateSource(source)}: the chat template fails: ${(error as Error).message}; fix the template or use --prompt-format raw or qwen-boxed`);
    }
  };
  let chatTemplateProblem: string | undefined;
  if (compiled !== null) {
    try {
      renderChat([{ role: 'user', content: '1 + 1 = ?' }]);
    } catch (error) {
      chatTemplateProblem = (error as Error).message;
    }
  }
  return {
    hasChatTemplate: compiled !== null,
    ...(chatTemplateProblem === undefined ? {} : { chatTemplateProblem }),
    renderChat,
    formatPrompt(problem, format, template = '{problem}') {
      const message = substituteProblem(template, problem);
      if (format === 'raw') return message;
      if (format === 'qwen-boxed') return qwenBoxedPrompt(problem);
      return renderChat([{ role: 'user', content: message }]);
    },
  };
}

/** Where the folder's chat template came from, as read-model-folder.ts picks it. */
function chatTemplateSource(source: TemplateSource): string {
  const jinja = join(source.dir, 'chat_template.jinja');
  return existsSync(jinja) ? jinja : `${join(source.dir, 'tokenizer_config.json')} "chat_template"`;
}

function compileChatTemplate(source: TemplateSource): Result<Template> {
  try {
    return { ok: true, value: new Template(source.chatTemplate as string) };
  } catch (error) {
    return { ok: false, error: `${chatTemplateSource(source)}: not a valid chat template: ${(error as Error).message}; fix the template or use --prompt-format raw or qwen-boxed` };
  }
}
