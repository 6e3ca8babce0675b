import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPreset, presetFromMapping } from '../src/core/datasets/presets.ts';
import { BOXED_INSTRUCTION, PROMPT_FORMATS } from '../src/core/sampling/prompt-format.ts';
import { formatStatsReport } from '../src/core/stats/format-report.ts';
import { renderPassAtKSvg, seriesOfReport } from '../src/core/stats/pass-at-k-svg.ts';
import { computeStatsReport } from '../src/core/stats/stats-report.ts';
import type { Role } from '../src/core/stats/types.ts';
import { addModel } from '../src/coordinator/store/models.ts';
import { openStore } from '../src/coordinator/store/open-store.ts';
import { addProblems } from '../src/coordinator/store/problems.ts';
import { createRun, setRunStatus } from '../src/coordinator/store/runs.ts';
import { countVerdicts, recordSamples, recordVerdicts } from '../src/coordinator/store/samples.ts';
import { loadDataset } from '../src/node/datasets/import-dataset.ts';
import { EP_CHOICES } from '../workers/engine/execution-provider.ts';
import { DECODE_PATHS } from '../workers/engine/resident/open-decode-path.ts';
import { createProgress } from './progress-bar.ts';
import { runLocalExperiment, spreadSubset, type LocalModel } from '../workers/pipeline/run-local-experiment.ts';
import { UsageError, type Command } from './command.ts';
import { num, oneOf, str } from './options.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLED_BENCHMARK = join(ROOT, 'resources/benchmarks/chain-arithmetic-test.jsonl');
const BUNDLED_MODELS = (['base', 'rl', 'distilled'] as const).map((role) => `${role}=${join(ROOT, 'resources/models', role)}`);
const ROLES: readonly Role[] = ['base', 'rl', 'distilled', 'other'];

const usage = `passk run [--model ROLE=DIR …] [--benchmark FILE] [--n N] [--limit P] [--out DIR] [options]

Runs a whole experiment on this machine: samples N answers per problem from every model,
verifies each against the gold answer (math), and reports pass@k with paired bootstrap
intervals, accuracy histograms, solvable coverage and the base-vs-RL crossover.
With no options it is the demo: the bundled base, RL and distilled models on the bundled
chain-arithmetic benchmark (\`npm run demo\`).

  --model ROLE=DIR     a model folder and its role (base | rl | distilled | other); repeatable
                       (default: the bundled trio in resources/models)
  --benchmark FILE     math problems (JSONL/JSON/CSV/Parquet; default the bundled benchmark)
  --preset NAME        how to read FILE: gsm8k, math500, aime24, amc23, minerva, olympiadbench
                       (default: fields id, problem, answer, solution)
  --limit P            use P problems spread evenly over the file (default 50; 0 = all)
  --n N                samples per problem and model (default 64)
  --seed S             run seed: the same seed draws the same samples anywhere (default 0)
  --temperature T, --top-p P, --top-k K, --max-new-tokens M
                       default: each model's generation_config.json, then the paper's (0.6, 0.95)
  --prompt-format F    chat | raw | qwen-boxed (default chat: the model's own template)
  --template TEXT      the user message, {problem} substituted (default: the paper's,
                       "{problem}\\nPlease reason step by step, and put your final answer within \\boxed{}.")
  --batch B            rows decoded together (default min(N, 64))
  --ep EP              auto | cpu | cuda | webgpu (default auto)
  --threads T          CPU threads for onnxruntime
  --decode D           resident (default) | step: how tokens are drawn (same samples on the CPU)
  --out DIR            where the run is written (default passk-runs/run-<time>)

Writes to DIR: run.sqlite (the run: spec, models, problems, samples, verdicts — the
truth the reports are computed from), samples.jsonl (every sample with its verdict),
counts.jsonl (per problem n and c; \`passk stats --input\` reads it), report.json,
report.txt, pass-at-k.svg.`;

export const runCommand: Command = {
  summary: 'run an experiment locally: sample, verify, report pass@k (the demo with no options)',
  usage,
  options: {
    model: { type: 'string', multiple: true }, benchmark: { type: 'string' }, preset: { type: 'string' },
    limit: { type: 'string' }, n: { type: 'string' }, seed: { type: 'string' },
    temperature: { type: 'string' }, 'top-p': { type: 'string' }, 'top-k': { type: 'string' },
    'max-new-tokens': { type: 'string' }, 'prompt-format': { type: 'string' }, template: { type: 'string' }, batch: { type: 'string' },
    ep: { type: 'string' }, threads: { type: 'string' }, decode: { type: 'string' }, out: { type: 'string' },
  },
  async run(values) {
    const models = parseModels((values.model as string[] | undefined) ?? BUNDLED_MODELS);
    const benchmark = str(values, 'benchmark') ?? BUNDLED_BENCHMARK;
    const presetName = str(values, 'preset');
    const preset = presetName === undefined
      ? presetFromMapping({ id: 'id', problem: 'problem', answer: 'answer', solution: 'solution' })
      : findPreset(presetName);
    if (preset === undefined || preset.kind !== 'math') throw new UsageError(`--preset ${presetName}: not a math preset (see \`passk datasets --help\`)`);
    const n = num(values, 'n', true) ?? 64;
    const limit = num(values, 'limit', true) ?? 50;
    if (n < 1) throw new UsageError('--n must be ≥ 1');
    if (limit < 0) throw new UsageError('--limit must be ≥ 0');
    const batch = num(values, 'batch', true) ?? Math.min(n, 64);
    if (batch < 1) throw new UsageError('--batch must be ≥ 1');
    const out = resolve(str(values, 'out') ?? join('passk-runs', `run-${new Date().toISOString().replace(/[:.]/g, '-')}`));

    const loaded = await loadDataset(benchmark, preset);
    if (!loaded.ok) throw new UsageError(loaded.error);
    const problems = limit === 0 ? loaded.value : spreadSubset(loaded.value, limit);

    if (existsSync(join(out, 'run.sqlite'))) throw new UsageError(`${out} already holds a run (run.sqlite); choose another --out`);
    mkdirSync(out, { recursive: true });
    const seed = str(values, 'seed') ?? '0';
    const settings = {
      temperature: num(values, 'temperature'), topP: num(values, 'top-p'),
      topK: num(values, 'top-k', true), maxNewTokens: num(values, 'max-new-tokens', true),
    };
    const promptFormat = oneOf(values, 'prompt-format', PROMPT_FORMATS) ?? 'chat';
    const template = str(values, 'template') ?? `{problem}\n${BOXED_INSTRUCTION}`;
    const db = openStore(join(out, 'run.sqlite'));
    const runId = basename(out);
    db.transaction(() => {
      createRun(db, { id: runId, name: runId, seed, spec: { benchmark, n, limit, promptFormat, template, settings, models } }, Date.now());
      for (const m of models) addModel(db, runId, { id: m.id, role: m.role, name: m.dir, sha256: null, settings });
      addProblems(db, runId, problems.map((p) => ({ id: p.id, benchmark: basename(benchmark), text: p.problem, gold: p.answer })));
    })();
    setRunStatus(db, runId, 'running', Date.now());
    const samplesFile = createWriteStream(join(out, 'samples.jsonl'));
    process.stderr.write(`passk run: ${models.length} models × ${problems.length} problems of ${benchmark} × n=${n} → ${out}\n`);
    const progress = createProgress(models.length * problems.length * n);
    const started = performance.now();
    let tokens = 0;
    const result = await runLocalExperiment({
      models, problems, n, batch, seed, promptFormat, template, settings,
      ep: oneOf(values, 'ep', EP_CHOICES) ?? 'auto',
      threads: num(values, 'threads', true),
      decode: oneOf(values, 'decode', DECODE_PATHS),
    }, {
      onModel: (model, description) => process.stderr.write(`  ${model.role} ${model.id}: ${description}\n`),
      onTokens: (count) => { tokens += count; progress.tokens(count); },
      onSamples: (samples) => {
        const now = Date.now();
        const keyed = samples.map((s) => ({ runId, modelId: s.model, problemId: s.problem, sampleIndex: s.sample }));
        db.transaction(() => {
          recordSamples(db, samples.map((s, i) => ({ ...keyed[i], text: s.text, tokens: s.tokens, finish: s.finish, logprob: s.logprob, workerId: null })), now);
          recordVerdicts(db, samples.map((s, i) => ({ ...keyed[i], correct: s.correct, extracted: s.extracted, reason: s.reason, verifier: 'math' as const })), now);
        })();
        samplesFile.write(samples.map((s) => JSON.stringify(s) + '\n').join(''));
        for (let i = 0; i < samples.length; i++) progress.sample();
      },
    });
    progress.done();
    await new Promise<void>((done) => samplesFile.end(done));
    if (!result.ok) throw new UsageError(result.error);
    const seconds = (performance.now() - started) / 1000;
    setRunStatus(db, runId, 'done', Date.now());
    const counts = countVerdicts(db, runId);
    db.close();

    await writeFile(join(out, 'counts.jsonl'), counts.map((c) => JSON.stringify(c)).join('\n') + '\n');
    const report = computeStatsReport(counts);
    if (!report.ok) throw new UsageError(report.error);
    const text = formatStatsReport(report.value);
    await writeFile(join(out, 'report.json'), JSON.stringify({ benchmark, n, seconds, tokens, ...report.value }, null, 2) + '\n');
    await writeFile(join(out, 'report.txt'), text);
    await writeFile(join(out, 'pass-at-k.svg'), renderPassAtKSvg(
      seriesOfReport(report.value),
      { title: `pass@k on ${basename(benchmark)}, ${problems.length} problems, n=${n}` },
    ));
    process.stdout.write(text);
    process.stderr.write(`passk run: ${models.length * problems.length * n} samples, ${tokens} tokens in ${seconds.toFixed(1)} s `
      + `(${(tokens / seconds).toFixed(0)} tokens/s); written to ${out}\n`);
    return 0;
  },
};

function parseModels(specs: readonly string[]): LocalModel[] {
  const models = specs.map((spec) => {
    const at = spec.indexOf('=');
    const role = spec.slice(0, at) as Role;
    const dir = spec.slice(at + 1);
    if (at < 1 || !ROLES.includes(role) || dir === '') throw new UsageError(`--model ${spec}: expected ROLE=DIR with ROLE one of ${ROLES.join(', ')}`);
    if (!existsSync(dir)) throw new UsageError(`--model ${spec}: no folder ${dir}`);
    return { id: basename(resolve(dir)), role, dir };
  });
  // The folder name keys the random streams and names the model in reports: it must be unique.
  const ids = models.map((m) => m.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new UsageError(`two models named "${twice}": model folders need distinct names`);
  return models;
}
