import { basename, resolve } from 'node:path';
import { resolveGenerationSettings } from '../src/core/sampling/generation-settings.ts';
import { parseProblemsJsonl, type ProblemInput } from '../src/core/sampling/parse-problems.ts';
import { EP_CHOICES, type EpChoice } from '../workers/engine/execution-provider.ts';
import { describeDecode, openEngine } from '../workers/engine/open-engine.ts';
import { DECODE_PATHS } from '../workers/engine/resident/open-decode-path.ts';
import type { Sample } from '../workers/engine/sample-request.ts';
import { runSampleJob } from '../workers/engine/sample-job.ts';
import { UsageError, type Command } from './command.ts';
import { readRegularFile } from '../src/node/fs/read-regular-file.ts';
import { num, oneOf, promptFormatOption, str } from './options.ts';
import { createProgress } from './progress-bar.ts';

const usage = `passk sample --model DIR (--prompt TEXT | --input problems.jsonl) --n N [options]

Draws N samples per problem from an ONNX model and prints them.

  --model DIR            Hugging Face folder with an Optimum decoder-with-past ONNX model
  --prompt TEXT          one problem given inline (its id is "prompt")
  --input FILE           problems JSONL: "problem" (or "question", "prompt") and an id
                         from "id" | "unique_id" | "task_id" (else the line number)
  --n N                  samples per problem (default 1)
  --seed S               run seed; sample i of a problem is the same in any batch or shard (default 0)
  --temperature T        default: generation_config.json, else 0.6
  --top-p P              default: generation_config.json, else 0.95
  --top-k K              0 = off (default: generation_config.json, else 0)
  --max-new-tokens M     default: generation_config.json, else 16384
  --stop TEXT            stop string (repeatable); the text is cut before it
  --batch B              rows decoded together (default min(N, 32))
  --ep EP                auto | cpu | cuda | webgpu (default auto: CUDA if its EP loads, else CPU)
  --dtype D              ONNX variant: fp32 (model.onnx), fp16, q4, … (onnx/model_D.onnx)
  --prompt-format F      chat | raw | qwen-boxed (default chat when the model has a template, else raw)
  --template TEXT        user message (chat) or whole prompt (raw) with {problem} substituted
  --model-id ID          id keying the random streams (default: the folder's name)
  --threads T            CPU threads for onnxruntime (default: its choice)
  --decode D             resident (default: decode steps in chunks inside one ONNX Loop) |
                         step (one onnxruntime run per token); the same samples on the CPU
  --token-logprobs       add per-token log-probabilities
  --json                 JSONL, one line per sample: problem, sample, text, tokens, finish, logprob
`;

export const sampleCommand: Command = {
  summary: 'draw N samples per problem from an ONNX model (JSONL out)',
  usage,
  options: {
    model: { type: 'string' }, prompt: { type: 'string' }, input: { type: 'string' },
    n: { type: 'string' }, seed: { type: 'string' }, temperature: { type: 'string' },
    'top-p': { type: 'string' }, 'top-k': { type: 'string' }, 'max-new-tokens': { type: 'string' },
    stop: { type: 'string', multiple: true }, batch: { type: 'string' }, ep: { type: 'string' },
    dtype: { type: 'string' }, 'prompt-format': { type: 'string' }, template: { type: 'string' },
    'model-id': { type: 'string' }, threads: { type: 'string' }, decode: { type: 'string' }, 'token-logprobs': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(values) {
    const modelDir = str(values, 'model');
    if (!modelDir) throw new UsageError('--model DIR is required');
    const promptText = str(values, 'prompt');
    const inputPath = str(values, 'input');
    if ((promptText === undefined) === (inputPath === undefined)) throw new UsageError('give exactly one of --prompt TEXT or --input FILE');
    let problems: ProblemInput[];
    if (inputPath !== undefined) {
      const read = await readRegularFile(inputPath);
      if (!read.ok) throw new UsageError(`--input ${read.error}`);
      const parsed = parseProblemsJsonl(read.value.toString('utf8'), inputPath);
      if (!parsed.ok) throw new UsageError(parsed.error);
      problems = parsed.value;
    } else {
      problems = [{ id: 'prompt', problem: promptText! }];
    }
    const n = num(values, 'n', true) ?? 1;
    if (n < 1) throw new UsageError('--n must be ≥ 1');
    const batch = num(values, 'batch', true) ?? Math.min(n, 32);
    if (batch < 1) throw new UsageError('--batch must be ≥ 1');
    const seed = str(values, 'seed') ?? '0';
    const ep: EpChoice = oneOf(values, 'ep', EP_CHOICES) ?? 'auto';
    const format = promptFormatOption(values);
    const stops = (values.stop as string[] | undefined) ?? [];

    const decode = oneOf(values, 'decode', DECODE_PATHS);
    const opened = await openEngine(modelDir, { ep, dtype: str(values, 'dtype'), threads: num(values, 'threads', true), decode });
    if (!opened.ok) throw new UsageError(opened.error);
    const engine = opened.value;
    try {
      const settings = resolveGenerationSettings({
        temperature: num(values, 'temperature'), topP: num(values, 'top-p'),
        topK: num(values, 'top-k', true), maxNewTokens: num(values, 'max-new-tokens', true),
      }, engine.folder.generation);
      if (!settings.ok) throw new UsageError(settings.error);
      const promptFormat = format ?? (engine.codec.hasChatTemplate ? 'chat' : 'raw');
      if (promptFormat === 'chat' && !engine.codec.hasChatTemplate) {
        throw new UsageError(`${modelDir}: no chat template (tokenizer_config.json "chat_template" or chat_template.jinja); use --prompt-format raw or qwen-boxed`);
      }
      if (promptFormat === 'chat' && engine.codec.chatTemplateProblem !== undefined) throw new UsageError(engine.codec.chatTemplateProblem);
      const modelId = str(values, 'model-id') ?? basename(resolve(modelDir));
      const json = values.json === true;
      const perToken = values['token-logprobs'] === true;
      process.stderr.write(`passk sample: ${modelDir} (${engine.folder.dtype}) on ${engine.decoder.ep}`
        + `${engine.decoder.epFallback ? ` (${engine.decoder.epFallback})` : ''}, ${describeDecode(engine)}; `
        + `T=${settings.value.temperature} top-p=${settings.value.topP} top-k=${settings.value.topK} `
        + `max-new-tokens=${settings.value.maxNewTokens} prompt-format=${promptFormat}\n`);
      const progress = createProgress(problems.length * n);
      for (const problem of problems) {
        for (let start = 0; start < n; start += batch) {
          const samples = await runSampleJob(engine, {
            seed, modelId, problemId: problem.id, problem: problem.problem, promptFormat,
            template: str(values, 'template'), start, end: Math.min(n, start + batch),
            settings: settings.value, stop: stops, batch,
          }, { onTokens: (count) => progress.tokens(count), onSample: () => progress.sample() });
          process.stdout.write(samples.map((s) => formatSample(problem.id, s, json, perToken)).join(''));
        }
      }
      progress.done();
      return 0;
    } finally {
      await engine.release();
    }
  },
};

function formatSample(problem: string, s: Sample, json: boolean, perToken: boolean): string {
  if (json) {
    return JSON.stringify({
      problem, sample: s.index, text: s.text, tokens: s.tokenIds.length, finish: s.finish, logprob: s.logprob,
      ...(perToken ? { token_logprobs: s.tokenLogprobs } : {}),
    }) + '\n';
  }
  const head = `--- problem ${problem} · sample ${s.index} · ${s.tokenIds.length} tokens · ${s.finish} · logprob ${s.logprob.toFixed(3)}`;
  return `${head}\n${s.text}\n${perToken ? `token logprobs: ${s.tokenLogprobs.map((v) => v.toFixed(4)).join(' ')}\n` : ''}`;
}

export default sampleCommand;
