import { Template } from '@huggingface/jinja';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { qwenBoxedPrompt, substituteProblem, type PromptFormat } from '../../src/core/sampling/prompt-format.ts';
import type { ModelFolder } from '../../src/node/model-folder/read-model-folder.ts';
import type { Result } from '../../src/core/result.ts';

/** Tokenizer, chat template and EOS ids of one model folder, all offline. */
export interface TextCodec {
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  eosTokenIds: ReadonlySet<number>;
  hasChatTemplate: boolean;
  /**
   * Why the chat template cannot be used (it does not parse, or fails on a sample prompt,
   * e.g. an unknown filter), naming its file; absent when it renders or there is none.
   * Checked when the codec is made, so a command asking for `chat` can refuse before any work.
   */
  chatTemplateProblem?: string;
  /**
   * The prompt for a problem. `template` is the user message (chat) or the whole prompt
   * (raw), with `{problem}` substituted; it defaults to the bare problem.
   */
  formatPrompt(problem: string, format: PromptFormat, template?: string): string;
}

function tokenText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && 'content' in v && typeof v.content === 'string') return v.content;
  return null;
}

export function createTextCodec(folder: ModelFolder): TextCodec {
  const tokenizer = new Tokenizer(folder.tokenizerJson, folder.tokenizerConfig);
  const eos = new Set(folder.eosTokenIds);
  const eosText = tokenText(folder.tokenizerConfig.eos_token);
  if (eosText !== null) {
    const id = tokenizer.token_to_id(eosText);
    if (id !== undefined) eos.add(id);
  }
  const bos = tokenText(folder.tokenizerConfig.bos_token);
  const compiled = folder.chatTemplate === null ? null : compileChatTemplate(folder);
  const render = (message: string): string => {
    if (compiled === null) {
      throw new ChatTemplateError(`${folder.dir}: no chat template (tokenizer_config.json "chat_template" or chat_template.jinja); use --prompt-format raw or qwen-boxed`);
    }
    if (!compiled.ok) throw new ChatTemplateError(compiled.error);
    try {
      return compiled.value.render({
        messages: [{ role: 'user', content: message }],
        add_generation_prompt: true,
        bos_token: bos ?? '',
        eos_token: eosText ?? '',
      });
    } catch (error) {
      throw new ChatTemplateError(`${chatTemplateSource(folder)}: the chat template fails: ${(error as Error).message}; fix the template or use --prompt-format raw or qwen-boxed`);
    }
  };
  let chatTemplateProblem: string | undefined;
  if (compiled !== null) {
    try {
      render('1 + 1 = ?');
    } catch (error) {
      chatTemplateProblem = (error as Error).message;
    }
  }
  return {
    // Prompts arrive already rendered (special tokens spelled out), so encoding adds none.
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    decode: (ids) => tokenizer.decode([...ids], { skip_special_tokens: true }),
    eosTokenIds: eos,
    hasChatTemplate: compiled !== null,
    ...(chatTemplateProblem === undefined ? {} : { chatTemplateProblem }),
    formatPrompt(problem, format, template = '{problem}') {
      const message = substituteProblem(template, problem);
      if (format === 'raw') return message;
      if (format === 'qwen-boxed') return qwenBoxedPrompt(problem);
      return render(message);
    },
  };
}

/** A chat template that does not parse or render; the message names its file. */
export class ChatTemplateError extends Error {}

/** Where the folder's chat template came from, as read-model-folder.ts picks it. */
function chatTemplateSource(folder: ModelFolder): string {
  const jinja = join(folder.dir, 'chat_template.jinja');
  return existsSync(jinja) ? jinja : `${join(folder.dir, 'tokenizer_config.json')} "chat_template"`;
}

function compileChatTemplate(folder: ModelFolder): Result<Template> {
  try {
    return { ok: true, value: new Template(folder.chatTemplate as string) };
  } catch (error) {
    return { ok: false, error: `${chatTemplateSource(folder)}: not a valid chat template: ${(error as Error).message}; fix the template or use --prompt-format raw or qwen-boxed` };
  }
}
