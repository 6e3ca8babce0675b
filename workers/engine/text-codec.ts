import { Template } from '@huggingface/jinja';
import { Tokenizer } from '@huggingface/tokenizers';
import { qwenBoxedPrompt, substituteProblem, type PromptFormat } from '../../src/core/sampling/prompt-format.ts';
import type { ModelFolder } from '../../src/node/model-folder/read-model-folder.ts';

/** Tokenizer, chat template and EOS ids of one model folder, all offline. */
export interface TextCodec {
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  eosTokenIds: ReadonlySet<number>;
  hasChatTemplate: boolean;
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
  const compiled = folder.chatTemplate === null ? null : new Template(folder.chatTemplate);
  return {
    // Prompts arrive already rendered (special tokens spelled out), so encoding adds none.
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    decode: (ids) => tokenizer.decode([...ids], { skip_special_tokens: true }),
    eosTokenIds: eos,
    hasChatTemplate: compiled !== null,
    formatPrompt(problem, format, template = '{problem}') {
      const message = substituteProblem(template, problem);
      if (format === 'raw') return message;
      if (format === 'qwen-boxed') return qwenBoxedPrompt(problem);
      if (compiled === null) {
        throw new Error(`${folder.dir}: no chat template (tokenizer_config.json "chat_template" or chat_template.jinja); use --prompt-format raw or qwen-boxed`);
      }
      return compiled.render({
        messages: [{ role: 'user', content: message }],
        add_generation_prompt: true,
        bos_token: bos ?? '',
        eos_token: eosText ?? '',
      });
    },
  };
}
