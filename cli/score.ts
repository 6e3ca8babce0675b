import { EP_CHOICES, type EpChoice } from '../workers/engine/execution-provider.ts';
import { openEngine } from '../workers/engine/open-engine.ts';
import { isJsonObject, jsonlLines } from '../src/core/jsonl/jsonl-lines.ts';
import { UsageError, type Command } from './command.ts';
import { readRegularFile } from '../src/node/fs/read-regular-file.ts';
import { num, oneOf, promptFormatOption, str } from './options.ts';

const usage = `passk score --model DIR --input FILE [options]

Teacher-forced log-probabilities of given completions under a model (e.g. the
perplexity of one model's answers under another). Prints JSONL, one line per input line:
line, id (when given), tokens, logprob (sum), mean_logprob, ppl.

  --model DIR            Hugging Face folder with an Optimum decoder-with-past ONNX model
  --input FILE           JSONL: "completion" plus either "prompt" (text fed as is) or
                         "problem" (formatted like passk sample does); optional "id"
  --prompt-format F      chat | raw | qwen-boxed, for "problem" lines (default chat when
                         the model has a template, else raw)
  --template TEXT        as in passk sample
  --eos                  also score the model's EOS token after each completion
  --ep EP                auto | cpu | cuda | webgpu (default auto)
  --dtype D              ONNX variant (fp32, fp16, q4, …)
  --token-logprobs       add per-token log-probabilities
`;

export const scoreCommand: Command = {
  summary: 'teacher-forced log-probabilities (perplexity) of completions under a model',
  usage,
  options: {
    model: { type: 'string' }, input: { type: 'string' }, 'prompt-format': { type: 'string' },
    template: { type: 'string' }, eos: { type: 'boolean' }, ep: { type: 'string' }, dtype: { type: 'string' },
    'token-logprobs': { type: 'boolean' }, threads: { type: 'string' },
  },
  async run(values) {
    const modelDir = str(values, 'model');
    const inputPath = str(values, 'input');
    if (!modelDir || !inputPath) throw new UsageError('--model DIR and --input FILE are required');
    const read = await readRegularFile(inputPath);
    if (!read.ok) throw new UsageError(`--input ${read.error}`);
    const text = read.value.toString('utf8');
    const records: { line: number; id?: unknown; prompt?: string; problem?: string; completion: string }[] = [];
    for (const line of jsonlLines(text)) {
      const where = `${inputPath}:${line.line}`;
      if (!line.ok) throw new UsageError(`${where}: ${line.error}`);
      const r = line.value;
      if (!isJsonObject(r)) throw new UsageError(`${where}: expected a JSON object with "completion" and "prompt" or "problem"`);
      const completion = typeof r.completion === 'string' ? r.completion : undefined;
      if (completion === undefined) throw new UsageError(`${where}: needs a string "completion"`);
      const prompt = typeof r.prompt === 'string' ? r.prompt : undefined;
      const problem = typeof r.problem === 'string' ? r.problem : undefined;
      if (prompt === undefined && problem === undefined) throw new UsageError(`${where}: needs a string "prompt" or "problem"`);
      records.push({ line: line.line, id: r.id ?? r.unique_id ?? r.task_id, prompt, problem, completion });
    }
    const ep: EpChoice = oneOf(values, 'ep', EP_CHOICES) ?? 'auto';
    const format = promptFormatOption(values);
    const opened = await openEngine(modelDir, { ep, dtype: str(values, 'dtype'), threads: num(values, 'threads', true) });
    if (!opened.ok) throw new UsageError(opened.error);
    const { codec, scorer, release } = opened.value;
    try {
      const promptFormat = format ?? (codec.hasChatTemplate ? 'chat' : 'raw');
      if (promptFormat === 'chat' && codec.chatTemplateProblem !== undefined && records.some((r) => r.prompt === undefined)) {
        throw new UsageError(codec.chatTemplateProblem);
      }
      const eos = [...codec.eosTokenIds][0];
      for (const r of records) {
        const promptText = r.prompt ?? codec.formatPrompt(r.problem!, promptFormat, str(values, 'template'));
        const completionIds = codec.encode(r.completion);
        if (values.eos === true && eos !== undefined) completionIds.push(eos);
        const score = await scorer.score(codec.encode(promptText), completionIds);
        const count = score.tokenLogprobs.length;
        const mean = count > 0 ? score.logprob / count : 0;
        process.stdout.write(JSON.stringify({
          line: r.line, ...(r.id !== undefined ? { id: r.id } : {}), tokens: count,
          logprob: score.logprob, mean_logprob: mean, ppl: Math.exp(-mean),
          ...(values['token-logprobs'] === true ? { token_logprobs: score.tokenLogprobs } : {}),
        }) + '\n');
      }
      return 0;
    } finally {
      await release();
    }
  },
};

export default scoreCommand;
