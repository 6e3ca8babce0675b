import { Tokenizer } from '@huggingface/tokenizers';
import type { ModelFolder } from '../../src/node/model-folder/read-model-folder.ts';
import { createPromptRenderer, tokenText, type PromptRenderer } from './prompt-renderer.ts';

/** Tokenizer, chat template and EOS ids of one model folder, all offline. */
export interface TextCodec extends PromptRenderer {
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  eosTokenIds: ReadonlySet<number>;
  /** The text of one token as the tokenizer spells it (special tokens included), for logprob listings. */
  tokenString(id: number): string;
  /** Decoded with special tokens spelled out: an echoed prompt's tokens add up to the prompt as sent. */
  decodeVerbatim(ids: readonly number[]): string;
}

export function createTextCodec(folder: ModelFolder): TextCodec {
  const tokenizer = new Tokenizer(folder.tokenizerJson, folder.tokenizerConfig);
  const eos = new Set(folder.eosTokenIds);
  const eosText = tokenText(folder.tokenizerConfig.eos_token);
  if (eosText !== null) {
    const id = tokenizer.token_to_id(eosText);
    if (id !== undefined) eos.add(id);
  }
  return {
    ...createPromptRenderer(folder),
    // Prompts arrive already rendered (special tokens spelled out), so encoding adds none.
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    // The tokenizer throws on an empty list; incremental decoding asks for one.
    decode: (ids) => (ids.length === 0 ? '' : tokenizer.decode([...ids], { skip_special_tokens: true })),
    tokenString: (id) => tokenizer.decode([id], { skip_special_tokens: false }),
    decodeVerbatim: (ids) => (ids.length === 0 ? '' : tokenizer.decode([...ids], { skip_special_tokens: false })),
    eosTokenIds: eos,
  };
}
