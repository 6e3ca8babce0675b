import { Template } from '@huggingface/jinja';
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
   * The prompt for a problem. `template` is the user message (chat) or the whole prompt
   * (raw), with `{problem}` substituted; it defaults to the bare problem.
   */
  formatPrompt(problem: string, format: PromptFormat, template?: string): string;
  /** A conversation rendered by the chat template, ending with the assistant's turn opened. */
  renderChat(messages: readonly ChatMessage[]): string;
}

export function tokenText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && 'content' in v && typeof v.content === 'string') return v.content;
  return null;
}

export function createPromptRenderer(source: { dir: string; chatTemplate: string | null; tokenizerConfig: Record<string, unknown> }): PromptRenderer {
  const compiled = source.chatTemplate === null ? null : new Template(source.chatTemplate);
  const bos = tokenText(source.tokenizerConfig.bos_token) ?? '';
  const eos = tokenText(source.tokenizerConfig.eos_token) ?? '';
  const renderChat = (messages: readonly ChatMessage[]): string => {
    if (compiled === null) {
      throw new Error(`${source.dir}: no chat template (tokenizer_config.json "chat_template" or chat_template.jinja); use --prompt-format raw or qwen-boxed`);
    }
    return compiled.render({ messages: messages.map((m) => ({ role: m.role, content: m.content })), add_generation_prompt: true, bos_token: bos, eos_token: eos });
  };
  return {
    hasChatTemplate: compiled !== null,
    renderChat,
    formatPrompt(problem, format, template = '{problem}') {
      const message = substituteProblem(template, problem);
      if (format === 'raw') return message;
      if (format === 'qwen-boxed') return qwenBoxedPrompt(problem);
      return renderChat([{ role: 'user', content: message }]);
    },
  };
}
