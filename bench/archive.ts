// npm run bench:archive [-- --json] [--problems P] [--n N] [--text BYTES] [--keep] [--compare MODULE [--rounds R]]
//
// --compare MODULE imports the same archive, side by side in this run, with another archive
// module's importArchive too (e.g. the code of an earlier commit:
//   git show BASE:src/coordinator/store/archive.ts > src/coordinator/store/archive-before.ts
// then --compare src/coordinator/store/archive-before.ts, and remove it after), alternating
// which goes first over R rounds (default 2), and prints both rates and their ratio.
//
// A run of 3 models × 500 problems × n = 1024 (1.5 M samples, ~2 KB of text each: a few GB)
// written straight into a store, then, side by side in one run: export to a .passk file and
// import it into a fresh data directory (MB/s each), the full report (passk report's
// analysis), `passk runs show`'s figures, and one problem's 3 × 1024 samples with verdicts.
// Targets (issue 13): report ≤ 10 s, one problem ≤ 50 ms, export and import ≥ 50 MB/s.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeRun } from '../src/coordinator/runs/run-analysis.ts';
import { runProgress, runSummary } from '../src/coordinator/runs/run-service.ts';
import { Scheduler } from '../src/coordinator/scheduler/scheduler.ts';
import { exportRun, importArchive } from '../src/coordinator/store/archive.ts';
import { samplePage } from '../src/coordinator/store/sample-pages.ts';
import { sampleTexts } from '../src/coordinator/store/samples.ts';
import { addModel } from '../src/coordinator/store/models.ts';
import { openStore } from '../src/coordinator/store/open-store.ts';
import { addProblems } from '../src/coordinator/store/problems.ts';
import { createRun, getRun, setRunStatus } from '../src/coordinator/store/runs.ts';
import { recordSamples, recordVerdicts } from '../src/coordinator/store/samples.ts';
import { mulberry32 } from '../src/core/benchmarks/mulberry32.ts';
import { runModel } from '../test/support/store-fixtures.ts';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, problems: { type: 'string' }, n: { type: 'string' }, text: { type: 'string' }, keep: { type: 'boolean' }, compare: { type: 'string' }, rounds: { type: 'string' } } });
const PROBLEMS = Number(values.problems ?? 500);
const N = Number(values.n ?? 1024);
const TEXT = Number(values.text ?? 2000);
const MODELS = [['base', 'base'], ['rl', 'rl'], ['distilled', 'distilled']] as const;
const log = (line: string) => process.stderr.write(`${line}\n`);
const dir = mkdtempSync(join(tmpdir(), 'passk-bench-archive-'));
const seconds = (start: number) => (performance.now() - start) / 1000;

// A chain of arithmetic steps, different per sample, about TEXT bytes; the last line boxes an answer.
const random = mulberry32(20261201);
function chain(problem: number, answer: number): { text: string; value: number } {
  const lines: string[] = [];
  let v = problem % 97;
  while (lines.join('\n').length < TEXT - 40) {
    const step = 1 + Math.floor(random() * 9);
    const next = random() < 0.5 ? v + step : v * step;
    lines.push(`We have ${v} ${next > v + 9 ? `times ${step}` : `plus ${step}`}, which gives ${next}; keeping track of the running value.`);
    v = next % 1000;
  }
  const value = random() < 0.35 ? answer : Math.floor(random() * 50);
  lines.push(`So the answer is \\boxed{${value}}.`);
  return { text: lines.join('\n'), value };
}

log(`writing ${(PROBLEMS * N * MODELS.length).toLocaleString()} samples of ~${TEXT} bytes into ${dir} …`);
const source = openStore(join(dir, 'source.sqlite'));
createRun(source, { id: 'big', name: 'big', spec: { sampling: { n: N } }, resolved: {}, seed: '0', verifier: 'math', benchmark: 'synthetic', n: N }, 0);
for (const [id, role] of MODELS) addModel(source, 'big', runModel(id, role));
addProblems(source, 'big', Array.from({ length: PROBLEMS }, (_, p) => ({ id: `p${String(p).padStart(4, '0')}`, benchmark: 'synthetic', text: `Problem ${p}`, gold: String(p % 50), level: String(1 + (p % 5)) })));
const writeStart = performance.now();
for (const [model] of MODELS) {
  for (let p = 0; p < PROBLEMS; p++) {
    const problemId = `p${String(p).padStart(4, '0')}`;
    for (let at = 0; at < N; at += 256) {
      const rows = Array.from({ length: Math.min(256, N - at) }, (_, i) => ({ key: { runId: 'big', modelId: model, problemId, sampleIndex: at + i }, ...chain(p, p % 50) }));
      recordSamples(source, rows.map((r) => ({ ...r.key, text: r.text, tokens: Math.round(r.text.length / 4), finish: 'stop' as const, logprob: -r.text.length / 40, workerId: 'w', ep: 'cpu' })), 1);
      recordVerdicts(source, rows.map((r) => ({ ...r.key, correct: r.value === p % 50, extracted: String(r.value), reason: 'synthetic', verifier: 'math' as const })), 1);
    }
  }
  log(`  ${model} written (${seconds(writeStart).toFixed(0)} s)`);
}
setRunStatus(source, 'big', 'running', 2);
setRunStatus(source, 'big', 'done', 3);
const writeSeconds = seconds(writeStart);
source.pragma('wal_checkpoint(TRUNCATE)');
const storeBytes = statSync(join(dir, 'source.sqlite')).size;

const archive = join(dir, 'big.passk');
let start = performance.now();
const { bytes } = exportRun(source, 'big', archive, 'bench', 4);
const exportSeconds = seconds(start);
log(`export: ${(bytes / 1e6).toFixed(0)} MB in ${exportSeconds.toFixed(1)} s`);
source.close();

type ImportArchive = typeof importArchive;
const compare = values.compare ? ((await import(resolve(values.compare))) as { importArchive: ImportArchive }).importArchive : null;
const ROUNDS = compare ? Number(values.rounds ?? 2) : 1;

/** Imports the archive into a fresh store with `run`; the seconds it took. */
function timedImport(run: ImportArchive, name: string): { seconds: number; db: ReturnType<typeof openStore> } {
  const db = openStore(join(dir, `${name}.sqlite`));
  const started = performance.now();
  const imported = run(db, archive);
  const took = seconds(started);
  if (!imported.ok) throw new Error(`${name}: ${imported.error}`);
  return { seconds: took, db };
}
const dropStore = (db: ReturnType<typeof openStore>, name: string) => {
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `${name}.sqlite${suffix}`), { force: true });
};

// This code's import and the other's alternate, each into a fresh store, so neither always
// runs first (cold) or second. The first store of this code's import is kept for the rest.
let target: ReturnType<typeof openStore> | null = null;
const importTimes: number[] = [];
const compareTimes: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? ['this', 'compare'] : ['compare', 'this'];
  for (const which of order) {
    if (which === 'compare') {
      if (!compare) continue;
      const { seconds: s, db } = timedImport(compare, `compare-${round}`);
      compareTimes.push(s);
      dropStore(db, `compare-${round}`);
      log(`import (${values.compare}): ${s.toFixed(1)} s`);
    } else {
      const { seconds: s, db } = timedImport(importArchive, `target-${round}`);
      importTimes.push(s);
      if (target) dropStore(db, `target-${round}`);
      else target = db;
      log(`import: ${s.toFixed(1)} s (integrity check, row counts and samples digest recomputed)`);
    }
  }
}
if (!target) throw new Error('no import ran');
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const importSeconds = median(importTimes);

const scheduler = new Scheduler(target);
const run = getRun(target, 'big')!;
start = performance.now();
const analysis = analyzeRun(scheduler, run);
const reportSeconds = seconds(start);
if (!analysis.ok) throw new Error(analysis.error);
start = performance.now();
runSummary(scheduler, run);
runProgress(new Scheduler(target), run);
const showSeconds = seconds(start);
const timings: number[] = [];
for (let i = 0; i < 20; i++) {
  const problem = `p${String(Math.floor(random() * PROBLEMS)).padStart(4, '0')}`;
  start = performance.now();
  // As the problem browser opens it: each model's page of samples with verdicts, and their texts.
  let rows = 0;
  for (const [model] of MODELS) {
    const slot = { runId: 'big', modelId: model, problemId: problem };
    rows += samplePage(target, slot, 'all', 0, N).rows.length;
    if (sampleTexts(target, slot, 0, N).length !== N) throw new Error(`model ${model} on ${problem}: texts missing`);
  }
  timings.push(performance.now() - start);
  if (rows !== MODELS.length * N) throw new Error(`one problem gave ${rows} samples, expected ${MODELS.length * N}`);
}
timings.sort((a, b) => a - b);
target.close();
if (!values.keep) rmSync(dir, { recursive: true, force: true });

const result = {
  samples: PROBLEMS * N * MODELS.length, text_bytes: TEXT, store_mb: Math.round(storeBytes / 1e6), archive_mb: Math.round(bytes / 1e6),
  write_seconds: Number(writeSeconds.toFixed(1)),
  export_seconds: Number(exportSeconds.toFixed(1)), export_mb_per_s: Math.round(bytes / 1e6 / exportSeconds),
  import_seconds: Number(importSeconds.toFixed(1)), import_mb_per_s: Math.round(bytes / 1e6 / importSeconds), import_rounds: importTimes.map((t) => Number(t.toFixed(1))),
  ...(compare ? {
    compare: {
      module: values.compare, import_rounds: compareTimes.map((t) => Number(t.toFixed(1))),
      import_seconds: Number(median(compareTimes).toFixed(1)), import_mb_per_s: Math.round(bytes / 1e6 / median(compareTimes)),
      // Above 1: this code imports faster than the other; within 10 % of it: ≥ 0.9.
      import_rate_ratio: Number((median(compareTimes) / importSeconds).toFixed(3)),
    },
  } : {}),
  report_seconds: Number(reportSeconds.toFixed(2)), runs_show_seconds: Number(showSeconds.toFixed(2)),
  one_problem_ms: { median: Number(timings[10].toFixed(1)), max: Number(timings.at(-1)!.toFixed(1)) },
};
if (values.json) process.stdout.write(JSON.stringify(result) + '\n');
else {
  process.stdout.write([
    `${result.samples.toLocaleString()} samples (${TEXT}-byte texts): store ${result.store_mb} MB, archive ${result.archive_mb} MB`,
    `export:  ${result.export_seconds} s = ${result.export_mb_per_s} MB/s   (target ≥ 50)`,
    `import:  ${result.import_seconds} s = ${result.import_mb_per_s} MB/s   (target ≥ 50; checks included)`,
    ...(result.compare ? [`import with ${result.compare.module}: ${result.compare.import_seconds} s = ${result.compare.import_mb_per_s} MB/s; this one's rate ÷ that one's = ${result.compare.import_rate_ratio} (medians of ${ROUNDS} alternating rounds)`] : []),
    `report:  ${result.report_seconds} s   (target ≤ 10)`,
    `runs show: ${result.runs_show_seconds} s`,
    `one problem's ${MODELS.length} × ${N} samples: median ${result.one_problem_ms.median} ms, max ${result.one_problem_ms.max} ms of 20   (target ≤ 50)`,
  ].join('\n') + '\n');
}
