import { z } from 'zod';
import { setLabels, UnknownSampleError } from '../src/coordinator/store/labels.ts';
import { LABELS } from '../src/core/analysis/labels.ts';
import { jsonlLines } from '../src/core/jsonl/jsonl-lines.ts';
import { UsageError, type Command } from './command.ts';
import { DATA_DIR_OPTION, openDataDir, runNamed } from './data-dir.ts';
import { readInput, str } from './options.ts';

const usage = `passk label RUN --input FILE [--data-dir D]

Sets chain-of-thought labels on a run's samples from JSONL (- reads standard input), one per line:
  {"model": "rl", "problem": "chain-arithmetic-3-004", "sample": 17, "label": "valid", "note": "…"}
label is ${LABELS.join(' | ')}; a later label of a sample replaces an earlier one. The report then
shows pass@k counting only correct samples labelled valid, beside the plain pass@k. A bad line or
an unknown sample refuses the whole file (file:line), and no label is set.`;

const lineSchema = z.strictObject({
  model: z.string().min(1),
  problem: z.union([z.string().min(1), z.number().int()]).transform(String),
  sample: z.number().int().min(0),
  label: z.enum(LABELS),
  note: z.string().max(10_000).default(''),
});

export const labelCommand: Command = {
  summary: 'label sampled chains of thought valid / invalid / unsure (JSONL)',
  usage,
  allowPositionals: true,
  options: { input: { type: 'string' }, ...DATA_DIR_OPTION },
  async run(values, positionals) {
    const input = str(values, 'input');
    if (!input) throw new UsageError('--input FILE is required (JSONL; - reads standard input)');
    let text: string;
    try {
      text = await readInput(input);
    } catch (error) {
      throw new UsageError(`--input ${input}: ${(error as Error).message}`);
    }
    const rows: z.output<typeof lineSchema>[] = [];
    const lines: number[] = [];
    for (const line of jsonlLines(text)) {
      if (!line.ok) throw new UsageError(`${input}:${line.line}: ${line.error}; no label was set`);
      const parsed = lineSchema.safeParse(line.value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new UsageError(`${input}:${line.line}: ${issue.path.join('.') || 'line'}: ${issue.message}; no label was set`);
      }
      rows.push(parsed.data);
      lines.push(line.line);
    }
    const db = openDataDir(values);
    try {
      const run = runNamed(db, positionals[0]);
      try {
        setLabels(db, rows.map((r) => ({ runId: run.id, modelId: r.model, problemId: r.problem, sampleIndex: r.sample, label: r.label, note: r.note })), Date.now());
      } catch (error) {
        if (error instanceof UnknownSampleError) throw new UsageError(`${input}:${lines[error.index]}: ${error.message}; no label was set`);
        throw error;
      }
      const by = Object.fromEntries(LABELS.map((l) => [l, rows.filter((r) => r.label === l).length]));
      process.stderr.write(`passk label: ${rows.length} labels on ${run.name} (${LABELS.map((l) => `${by[l]} ${l}`).join(', ')})\n`);
      return 0;
    } finally {
      db.close();
    }
  },
};
