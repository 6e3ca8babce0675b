import { z } from 'zod';
import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { num, readInput } from './options.ts';
import type { Verdict } from '../src/core/verify/verdict.ts';
import { judgeMath } from '../src/core/verify/math/judge-math.ts';
import type { CodeTask } from '../src/core/verify/code/code-task.ts';
import { jsonlLines } from '../src/core/jsonl/jsonl-lines.ts';
import type { Result } from '../src/core/result.ts';
import { DEFAULT_MATH_OPTIONS, MATH_BENCHMARKS, mathOptionsForBenchmark, type MathJudgeOptions } from '../src/core/verify/math/judge-options.ts';

const usage = `Usage: passk verify --kind math|code --input FILE [--json] [--unsafe-no-sandbox] [--concurrency N]
                   [--mode strict|lenient] [--benchmark NAME] [--no-fallback]

Judges responses, one JSON object per input line:
  math  {"gold": "\\\\frac{1}{2}", "response": "… \\\\boxed{0.5}", "problem": "…"}   (gold: text or
        number, may be written as LaTeX with $…$ or \\boxed{} around it; problem: optional, its
        demands on the answer's form — "as a decimal", "to the nearest tenth", "in simplest
        form", "factor" — are then part of the answer, and a response that writes it again
        is read only up to there)
  code  {"task": {…a HumanEval / MBPP / LiveCodeBench record…}, "completion": "…"}

Standard output gets one line per input line, in input order:
  {"correct": true|false, "extracted": "…"|null, "reason": "…"}
and nothing else. The summary (counts, accuracy, verifications per second) goes to standard
error: as text, or with --json as one JSON object.

Options:
  --kind math|code       what to verify (required)
  --input FILE           JSONL input (required; - reads standard input)
  --json                 write the summary on standard error as JSON
  --concurrency N        code: programs run at once (default: the code pool's own)
  --unsafe-no-sandbox    code: run model-written programs WITHOUT bubblewrap, as your user.
                         Only for code you trust; without it, code verification refuses to
                         run when bubblewrap is missing.
  --mode strict|lenient  math: lenient (default) lets an answer drop a name the gold states
                         (\\boxed{3} for x = 3); strict requires it
  --benchmark NAME       math: that benchmark's reading (gsm8k: $ is money, plain numbers;
                         math500, minerva, olympiadbench, aime24, amc23: LaTeX first)
  --no-fallback          math: an answer found only as the last number in the text is never
                         judged correct (such verdicts say "fallback" in their reason)
  -h, --help             this text

A math response is read up to where a base model starts a new problem or turn (</s>,
<|im_end|>, <|endoftext|>, a "Problem:" or "Question:" line); one cut off inside its final
\\boxed{ has no answer. Math answers are equal when they match after normalisation,
structurally (tuples and intervals in order with their brackets, sets in any order,
relations as sets of reals, matrices entry by entry, equations up to sides and a constant
factor), or by value: numbers within a relative 1e-6 (a decimal never equals an exact
irrational or repeating value unless rounding is asked for), expressions with unknowns at
sample points. Each reason names the extraction rule and the comparison rule that decided.
The summary counts fallback verdicts.

Exit codes: 0 done (whatever the verdicts), 1 bad input file, 2 bad options.`;

const mathLine = z.object({ gold: z.union([z.string(), z.number()]), response: z.string(), problem: z.string().optional() });
const codeLine = z.object({ task: z.record(z.string(), z.unknown()), completion: z.string() });

function parseLines<T>(text: string, file: string, schema: z.ZodType<T>): Result<T[], string[]> {
  const value: T[] = [];
  const errors: string[] = [];
  for (const line of jsonlLines(text)) {
    if (errors.length >= 20) break;
    if (!line.ok) {
      errors.push(`${file}:${line.line}: ${line.error}`);
      continue;
    }
    const parsed = schema.safeParse(line.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      errors.push(`${file}:${line.line}: field "${issue?.path.join('.') || '(line)'}": ${issue?.message ?? 'invalid'}`);
      continue;
    }
    value.push(parsed.data);
  }
  return errors.length > 0 ? { ok: false, error: errors } : { ok: true, value };
}

function writeSummary(kind: string, verdicts: readonly Verdict[], seconds: number, json: boolean): void {
  const correct = verdicts.filter((v) => v.correct).length;
  const perSecond = seconds > 0 ? verdicts.length / seconds : verdicts.length;
  const guesses = verdicts.filter((v) => v.fallback === true);
  const fallback = { verdicts: guesses.length, correct: guesses.filter((v) => v.correct).length };
  const summary = { kind, total: verdicts.length, correct, accuracy: verdicts.length ? correct / verdicts.length : 0, seconds, perSecond, fallback };
  const guessed = fallback.verdicts > 0 ? `; ${fallback.verdicts} from the last-number fallback, ${fallback.correct} of them correct` : '';
  process.stderr.write(
    json
      ? JSON.stringify({ summary }) + '\n'
      : `${kind}: ${correct}/${verdicts.length} correct (${(summary.accuracy * 100).toFixed(1)}%) in ${seconds.toFixed(2)} s, ${perSecond.toFixed(0)} verifications/s${guessed}\n`,
  );
}

function mathOptions(values: Record<string, unknown>): MathJudgeOptions {
  const mode = values.mode;
  if (mode !== undefined && mode !== 'strict' && mode !== 'lenient') throw new UsageError(`--mode must be strict or lenient, not "${String(mode)}"`);
  const benchmark = values.benchmark;
  if (benchmark !== undefined && !(MATH_BENCHMARKS as readonly unknown[]).includes(benchmark)) {
    throw new UsageError(`--benchmark must be one of ${MATH_BENCHMARKS.join(', ')}, not "${String(benchmark)}"`);
  }
  return {
    ...(typeof benchmark === 'string' ? mathOptionsForBenchmark(benchmark) : DEFAULT_MATH_OPTIONS),
    ...(mode !== undefined ? { mode } : {}),
    ...(values['no-fallback'] === true ? { creditFallback: false } : {}),
  };
}

export const verify: Command = {
  summary: 'judge math answers or run code against benchmark tests (JSONL in, verdicts out)',
  usage,
  options: {
    kind: { type: 'string' },
    input: { type: 'string' },
    json: { type: 'boolean' },
    concurrency: { type: 'string' },
    'unsafe-no-sandbox': { type: 'boolean' },
    mode: { type: 'string' },
    benchmark: { type: 'string' },
    'no-fallback': { type: 'boolean' },
  },
  async run(values) {
    const kind = values.kind;
    if (kind !== 'math' && kind !== 'code') throw new UsageError('--kind must be math or code; see `passk verify --help`');
    const input = values.input;
    if (typeof input !== 'string' || input === '') throw new UsageError('--input FILE is required (JSONL; - reads standard input)');
    const concurrency = num(values, 'concurrency', true, 1);
    const options = mathOptions(values);
    const name = input === '-' ? '<stdin>' : input;
    let text: string;
    try {
      text = await readInput(input);
    } catch (error) {
      process.stderr.write(`passk verify: ${(error as Error).message}\n`);
      return 1;
    }
    const json = values.json === true;
    const started = performance.now();
    const verdicts: Verdict[] = [];
    const emit = (v: Verdict): void => {
      verdicts.push(v);
      process.stdout.write(JSON.stringify({ correct: v.correct, extracted: v.extracted, reason: v.reason }) + '\n');
    };

    if (kind === 'math') {
      const lines = parseLines(text, name, mathLine);
      if (!lines.ok) {
        for (const e of lines.error) process.stderr.write(e + '\n');
        process.stderr.write(`passk verify: ${name} has errors; nothing was verified\n`);
        return 1;
      }
      for (const line of lines.value) emit(judgeMath(line.gold, line.response, options, line.problem));
      writeSummary(kind, verdicts, (performance.now() - started) / 1000, json);
      return 0;
    }

    const lines = parseLines(text, name, codeLine);
    if (!lines.ok) {
      for (const e of lines.error) process.stderr.write(e + '\n');
      process.stderr.write(`passk verify: ${name} has errors; nothing was verified\n`);
      return 1;
    }
    // Loaded only here, so math verification never starts the sandbox's code.
    const [{ createCodePool }, { toCodeTask }] = await Promise.all([
      import('../workers/verify/code/index.ts'), import('../src/core/verify/code/code-task.ts'),
    ]);
    const tasks: CodeTask[] = [];
    for (const [i, line] of lines.value.entries()) {
      const task = toCodeTask(line.task);
      if (!task.ok) {
        process.stderr.write(`${name}: record ${i + 1}: field "task": ${task.error}\npassk verify: nothing was verified\n`);
        return 1;
      }
      tasks.push(task.value);
    }
    let pool: ReturnType<typeof createCodePool>;
    try {
      pool = createCodePool({ sandbox: values['unsafe-no-sandbox'] === true ? 'none' : 'bwrap', concurrency });
    } catch (error) {
      process.stderr.write(`passk verify: ${(error as Error).message}\n`);
      return 1;
    }
    try {
      // The pool queues and runs in parallel; results are written in input order.
      const pending = lines.value.map((line, i) => pool.verify(tasks[i], line.completion));
      for (const p of pending) emit(await p);
    } catch (error) {
      process.stderr.write(`passk verify: ${(error as Error).message}\n`);
      return 1;
    } finally {
      await pool.close();
    }
    writeSummary(kind, verdicts, (performance.now() - started) / 1000, json);
    return 0;
  },
};
