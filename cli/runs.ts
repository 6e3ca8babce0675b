import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { digestOf, runProgress, runSummary } from '../src/coordinator/runs/run-service.ts';
import { describeTrust, runAttribution } from '../src/coordinator/runs/run-trust.ts';
import { Scheduler } from '../src/coordinator/scheduler/scheduler.ts';
import { exportRun, importArchive } from '../src/coordinator/store/archive.ts';
import { deleteRun } from '../src/coordinator/store/delete-run.ts';
import type { Store } from '../src/coordinator/store/open-store.ts';
import { listRuns } from '../src/coordinator/store/runs.ts';
import { countSamples, countSamplesPerRun, countVerdicts } from '../src/coordinator/store/samples.ts';
import { compareRuns } from '../src/core/analysis/compare-runs.ts';
import { parseKList } from '../src/core/stats/k-grid.ts';
import { listSampleSources } from '../src/coordinator/store/sample-sources.ts';
import { describeSampleSources } from '../src/core/runs/describe-sources.ts';
import { defaultDataDir } from '../src/node/app-dirs.ts';
import { UsageError, type Command } from './command.ts';
import { DATA_DIR_OPTION, openDataDir, runNamed } from './data-dir.ts';
import { flag, str, unwrap, type Values } from './options.ts';
import { VERSION } from './version.ts';

const usage = `passk runs list [--json]
passk runs show RUN [--json]
passk runs delete RUN [--yes]
passk runs export RUN --out FILE.passk
passk runs import FILE.passk
passk runs compare A B [--json] [--k LIST]
(each takes --data-dir D; default ${defaultDataDir()})

The runs kept in the data directory, read from its database: no coordinator, worker or
model folder is needed.

  list         every run: name, status, models and roles, benchmark, problems × n, size, created
  show RUN     one run (by name or id): its spec, the settings each model was sampled with,
               progress, shards by state, failed shards with their errors, the samples digest
  delete RUN   remove a run and everything of it (asks first unless --yes)
  export RUN   write the run whole to one .passk file (SQLite: spec, models with config and
               sha256, problems with gold, samples, verdicts, scores, labels), checksummed
  import FILE  read a .passk file back: a corrupt, truncated or foreign file is refused with
               the reason and nothing written; the same run imported twice stays one run
  compare A B  two runs of one benchmark side by side: pass@k of matched models (same id,
               else same role) over the shared problems, with paired intervals of B − A`;

export const runsCommand: Command = {
  summary: 'list the runs in the data directory, or show one',
  usage,
  allowPositionals: true,
  options: { json: { type: 'boolean' }, yes: { type: 'boolean' }, out: { type: 'string' }, k: { type: 'string' }, ...DATA_DIR_OPTION },
  async run(values, positionals) {
    const [action, ...args] = positionals;
    const expect = (count: number, what: string) => {
      if (args.length !== count) throw new UsageError(`usage: passk runs ${action} ${what}`);
    };
    const db = openDataDir(values, action === 'import');
    try {
      switch (action) {
        case 'list': expect(0, ''); return list(db, flag(values, 'json'));
        case 'show': expect(1, 'RUN'); return show(db, args[0], flag(values, 'json'));
        case 'delete': expect(1, 'RUN [--yes]'); return remove(db, args[0], flag(values, 'yes'));
        case 'export': expect(1, 'RUN --out FILE.passk'); return exportTo(db, args[0], str(values, 'out'));
        case 'import': expect(1, 'FILE.passk'); return importFrom(db, args[0]);
        case 'compare': expect(2, 'A B'); return compare(db, args[0], args[1], values);
        default: throw new UsageError(`passk runs ${action ?? ''}: expected list, show, delete, export, import or compare; see \`passk runs --help\``);
      }
    } finally {
      db.close();
    }
  },
};

async function remove(db: Store, name: string, yes: boolean): Promise<number> {
  const run = runNamed(db, name);
  const samples = countSamples(db, run.id);
  if (!yes) {
    if (!process.stdin.isTTY) throw new UsageError(`deleting run ${run.name} (${samples} samples) needs --yes when there is no terminal to ask`);
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(`Delete run ${run.name} (${run.status}, ${samples} samples)? This cannot be undone; export it first to keep it. [y/N] `);
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      process.stderr.write('passk runs: nothing deleted\n');
      return 1;
    }
  }
  deleteRun(db, run.id);
  process.stderr.write(`passk runs: deleted ${run.name} (${samples} samples)\n`);
  return 0;
}

function exportTo(db: Store, name: string, out: string | undefined): number {
  if (!out) throw new UsageError('passk runs export RUN --out FILE.passk: where should it go?');
  if (existsSync(out)) throw new UsageError(`--out ${out}: exists; choose a new file name (nothing is overwritten)`);
  if (!existsSync(dirname(resolve(out)))) throw new UsageError(`--out ${out}: no folder ${dirname(resolve(out))}`);
  const run = runNamed(db, name);
  const started = performance.now();
  const { bytes } = exportRun(db, run.id, out, VERSION, Date.now());
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(`passk runs: exported ${run.name} to ${out} (${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s)\n`);
  return 0;
}

function importFrom(db: Store, file: string): number {
  const started = performance.now();
  const result = importArchive(db, file);
  if (!result.ok) {
    process.stderr.write(`passk runs: ${result.error}\n`);
    return 1;
  }
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(result.value.imported
    ? `passk runs: imported ${result.value.name} from ${file} in ${seconds.toFixed(1)} s\n`
    : `passk runs: ${result.value.name} is already here with the same samples; nothing imported\n`);
  process.stdout.write(`${result.value.name}\n`);
  return 0;
}

function compare(db: Store, a: string, b: string, values: Values): number {
  const [runA, runB] = [runNamed(db, a), runNamed(db, b)];
  const ks = str(values, 'k') !== undefined ? unwrap(parseKList(str(values, 'k')!), '--k') : undefined;
  const result = compareRuns({ name: runA.name, counts: countVerdicts(db, runA.id) }, { name: runB.name, counts: countVerdicts(db, runB.id) }, ks ? { ks } : {});
  if (!result.ok) throw new UsageError(result.error);
  const c = result.value;
  if (flag(values, 'json')) {
    process.stdout.write(JSON.stringify(c) + '\n');
    return 0;
  }
  const lines = [`${c.b} − ${c.a} over ${c.sharedProblems} shared problems${c.onlyA + c.onlyB > 0 ? ` (${c.onlyA} only in ${c.a}, ${c.onlyB} only in ${c.b}, left out)` : ''}; 95% paired bootstrap intervals`];
  for (const pair of c.pairs) {
    lines.push('', `${pair.modelA} (${c.a}) vs ${pair.modelB} (${c.b}), matched by ${pair.matchedBy}:`);
    for (const p of pair.points) {
      const sign = p.difference >= 0 ? '+' : '−';
      lines.push(`  k=${String(p.k).padEnd(5)} ${p.a.toFixed(3)} → ${p.b.toFixed(3)}  ${sign}${Math.abs(p.difference).toFixed(3)} [${p.ci[0].toFixed(3)}, ${p.ci[1].toFixed(3)}]`);
    }
  }
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

function list(db: Store, json: boolean): number {
  const scheduler = new Scheduler(db);
  const sizes = countSamplesPerRun(db);
  const runs = listRuns(db).map((run) => ({ ...runSummary(scheduler, run), samples: sizes.get(run.id) ?? 0, origin: run.origin.tool }));
  if (json) {
    process.stdout.write(JSON.stringify(runs) + '\n');
    return 0;
  }
  if (runs.length === 0) {
    process.stdout.write('no runs yet\n');
    return 0;
  }
  const rows = runs.map((r) => [r.name, r.status, r.models.map((m) => `${m.id}=${m.role}`).join(' '), r.benchmark, `${r.problems}×${r.n}`,
    r.samples.toLocaleString('en-US'), new Date(r.createdAt).toISOString().slice(0, 16).replace('T', ' ')]);
  const header = ['name', 'status', 'models', 'benchmark', 'problems×n', 'samples', 'created'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  for (const row of [header, ...rows]) process.stdout.write(row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd() + '\n');
  return 0;
}

function show(db: Store, name: string, json: boolean): number {
  const run = runNamed(db, name);
  const scheduler = new Scheduler(db);
  const summary = runSummary(scheduler, run);
  const progress = runProgress(scheduler, run);
  const models = scheduler.runModels(run.id).map(({ id, role, folder, dtype, sha256, prompt, settings, served }) => ({ id, role, folder, dtype, sha256, prompt, settings, served }));
  const { digest, samples } = digestOf(scheduler, run);
  const sources = listSampleSources(db, run.id);
  const reproducible = !sources.some((s) => s.ep === 'server');
  const workers = runAttribution(db, run.id);
  if (json) {
    process.stdout.write(JSON.stringify({ ...summary, spec: run.spec, error: run.error, models, progress, samplesDigest: digest, samples, sources, reproducible, workers }) + '\n');
    return 0;
  }
  const lines = [
    `run ${run.name} (${run.id}): ${run.status}${run.error ? ` — ${run.error}` : ''}`,
    `benchmark ${run.benchmark}, ${summary.problems} problems × n=${run.n}, seed ${run.seed}, verifier ${run.verifier}`,
    `created ${new Date(run.createdAt).toISOString()}${run.finishedAt ? `, finished ${new Date(run.finishedAt).toISOString()}` : ''}`,
    '',
    'models (settings as used):',
    ...models.map((m) => {
      const p = progress.models.find((x) => x.modelId === m.id);
      const served = m.served ? `, served as "${m.served.model}" (${m.served.endpoint})` : '';
      const s = m.settings;
      return `  ${m.id} (${m.role}) ${m.folder} [${m.dtype}, sha256 ${m.sha256?.slice(0, 12) ?? '—'}${served}]: ${s === null ? 'settings not recorded' : `T=${s.temperature} top-p=${s.topP} top-k=${s.topK} max-new-tokens=${s.maxNewTokens}`}, prompt ${m.prompt.format}`
        + `\n    ${p?.sampled ?? 0}/${p?.total ?? 0} sampled, ${p?.verified ?? 0} verified, ${p?.correct ?? 0} correct`;
    }),
    '',
    `shards: ${(['sample', 'verify', 'score'] as const).map((k) => `${k} ${Object.entries(progress.shards[k]).filter(([, n]) => n > 0).map(([state, n]) => `${n} ${state}`).join(', ') || 'none'}`).join('; ')}`,
    ...(progress.failures.length > 0 ? ['failed shards:', ...progress.failures.map((f) => `  ${f.kind} ${f.modelId}/${f.problemId} [${f.start},${f.end}) after ${f.attempts} attempts: ${f.error}`)] : []),
    `samples digest ${digest} (${samples} samples)${reproducible ? '' : '; some samples came from an inference server and are not bitwise reproducible'}`,
    ...(sources.length > 0 ? ['sources of the samples:', ...describeSampleSources(sources).map((l) => `  ${l}`)] : []),
    ...describeTrust(progress.incidents, workers),
    '',
    'spec:',
    ...JSON.stringify(run.spec, null, 2).split('\n').map((l) => `  ${l}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
