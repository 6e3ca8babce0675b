import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runProgress, runSummary } from '../src/coordinator/runs/run-service.ts';
import { Scheduler } from '../src/coordinator/scheduler/scheduler.ts';
import { openStore, type Store } from '../src/coordinator/store/open-store.ts';
import { findRun, listRuns } from '../src/coordinator/store/runs.ts';
import { samplesDigest } from '../src/coordinator/store/samples.ts';
import { listSampleSources } from '../src/coordinator/store/sample-sources.ts';
import { describeSampleSources } from '../src/core/runs/describe-sources.ts';
import { defaultDataDir } from '../src/node/app-dirs.ts';
import { UsageError, type Command } from './command.ts';
import { flag, str } from './options.ts';

const usage = `passk runs list [--json] [--data-dir D]
passk runs show RUN [--json] [--data-dir D]

The runs kept in the data directory (default ${defaultDataDir()}), read from its database:
no coordinator, worker or model folder is needed.

  list         every run: name, status, models and roles, benchmark, problems × n, created
  show RUN     one run (by name or id): its spec, the settings each model was sampled with,
               progress, shards by state, failed shards with their errors, the samples digest`;

export const runsCommand: Command = {
  summary: 'list the runs in the data directory, or show one',
  usage,
  allowPositionals: true,
  options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' } },
  async run(values, positionals) {
    const [action, name, ...rest] = positionals;
    if (rest.length > 0) throw new UsageError(`unexpected ${rest.join(' ')}; see \`passk runs --help\``);
    const dataDir = resolve(str(values, 'data-dir') ?? defaultDataDir());
    const path = join(dataDir, 'passk.sqlite');
    if (!existsSync(path)) throw new UsageError(`${dataDir} holds no runs (no passk.sqlite); pass --data-dir`);
    const db = openStore(path);
    try {
      if (action === 'list') return list(db, flag(values, 'json'));
      if (action === 'show') {
        if (!name) throw new UsageError('passk runs show RUN: which run? (passk runs list names them)');
        return show(db, name, flag(values, 'json'));
      }
      throw new UsageError(`passk runs ${action ?? ''}: expected list or show; see \`passk runs --help\``);
    } finally {
      db.close();
    }
  },
};

function list(db: Store, json: boolean): number {
  const scheduler = new Scheduler(db);
  const runs = listRuns(db).map((run) => runSummary(scheduler, run));
  if (json) {
    process.stdout.write(JSON.stringify(runs) + '\n');
    return 0;
  }
  if (runs.length === 0) {
    process.stdout.write('no runs yet\n');
    return 0;
  }
  const rows = runs.map((r) => [r.name, r.status, r.models.map((m) => `${m.id}=${m.role}`).join(' '), r.benchmark, `${r.problems}×${r.n}`, new Date(r.createdAt).toISOString().slice(0, 16).replace('T', ' ')]);
  const header = ['name', 'status', 'models', 'benchmark', 'problems×n', 'created'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  for (const row of [header, ...rows]) process.stdout.write(row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd() + '\n');
  return 0;
}

function show(db: Store, name: string, json: boolean): number {
  const run = findRun(db, name);
  if (!run) throw new UsageError(`no run "${name}" in ${db.name} (passk runs list names them)`);
  const scheduler = new Scheduler(db);
  const summary = runSummary(scheduler, run);
  const progress = runProgress(scheduler, run);
  const models = scheduler.runModels(run.id).map(({ id, role, folder, dtype, sha256, prompt, settings, served }) => ({ id, role, folder, dtype, sha256, prompt, settings, served }));
  const { digest, samples } = samplesDigest(db, run.id);
  const sources = listSampleSources(db, run.id);
  const reproducible = !sources.some((s) => s.ep === 'server');
  if (json) {
    process.stdout.write(JSON.stringify({ ...summary, spec: run.spec, error: run.error, models, progress, samplesDigest: digest, samples, sources, reproducible }) + '\n');
    return 0;
  }
  const lines = [
    `run ${run.name} (${run.id}): ${run.status}${run.error ? ` — ${run.error}` : ''}`,
    `benchmark ${run.benchmark}, ${summary.problems} problems × n=${run.n}, seed ${run.seed}, verifier ${run.verifier}`,
    `created ${new Date(run.createdAt).toISOString()}${run.finishedAt ? `, finished ${new Date(run.finishedAt).toISOString()}` : ''}`,
    '',
    'models (settings as used):',
    ...models.map((m) => {
      const s = m.settings as Partial<{ temperature: number; topP: number; topK: number; maxNewTokens: number }>;
      const p = progress.models.find((x) => x.modelId === m.id);
      const served = m.served ? `, served as "${m.served.model}" (${m.served.endpoint})` : '';
      return `  ${m.id} (${m.role}) ${m.folder} [${m.dtype}, sha256 ${m.sha256?.slice(0, 12) ?? '—'}${served}]: T=${s.temperature} top-p=${s.topP} top-k=${s.topK} max-new-tokens=${s.maxNewTokens}, prompt ${m.prompt.format}`
        + `\n    ${p?.sampled ?? 0}/${p?.total ?? 0} sampled, ${p?.verified ?? 0} verified, ${p?.correct ?? 0} correct`;
    }),
    '',
    `shards: ${(['sample', 'verify', 'score'] as const).map((k) => `${k} ${Object.entries(progress.shards[k]).filter(([, n]) => n > 0).map(([state, n]) => `${n} ${state}`).join(', ') || 'none'}`).join('; ')}`,
    ...(progress.failures.length > 0 ? ['failed shards:', ...progress.failures.map((f) => `  ${f.kind} ${f.modelId}/${f.problemId} [${f.start},${f.end}) after ${f.attempts} attempts: ${f.error}`)] : []),
    `samples digest ${digest} (${samples} samples)${reproducible ? '' : '; some samples came from an inference server and are not bitwise reproducible'}`,
    ...(sources.length > 0 ? ['sources of the samples:', ...describeSampleSources(sources).map((l) => `  ${l}`)] : []),
    '',
    'spec:',
    ...JSON.stringify(run.spec, null, 2).split('\n').map((l) => `  ${l}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
