/**
 * How a problem becomes a prompt. `chat` renders the model's own chat template around the
 * user message; `raw` feeds the text as is; `qwen-boxed` is the paper's prompt (Yue et al.
 * 2025, after SimpleRL-Zoo): the problem plus the boxed-answer instruction in Qwen's
 * ChatML, independent of the model's template so every model sees the same bytes.
 */
export const PROMPT_FORMATS = ['chat', 'raw', 'qwen-boxed'] as const;
export type PromptFormat = (typeof PROMPT_FORMATS)[number];

export const BOXED_INSTRUCTION = 'Please reason step by step, and put your final answer within \\boxed{}.';

/** Replaces every `{problem}` in `template` (no other placeholders, no escapes). */
export function substituteProblem(template: string, problem: string): string {
  return template.split('{problem}').join(problem);
}

export function qwenBoxedPrompt(problem: string): string {
  return '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n'
    + `<|im_start|>user\n${problem}\n${BOXED_INSTRUCTION}<|im_end|>\n`
    + '<|im_start|>assistant\n';
}
