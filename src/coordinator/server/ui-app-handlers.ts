import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { mapRecords } from '../../core/datasets/map-records.ts';
import { presets } from '../../core/datasets/presets.ts';
import { estimateSeconds } from '../../core/planner/plan-shards.ts';
import type { HandlerMap } from '../../core/protocol/requests.ts';
import type { ExperimentCheck, UiAppRequests } from '../../core/protocol/ui-app-requests.ts';
import { isRunOpen } from '../../core/protocol/ui-protocol.ts';
import type { Result } from '../../core/result.ts';
import { folderName, parseExperimentSpec } from '../../core/spec/experiment-spec.ts';
import { cappedInflate, DEFAULT_MAX_RECORD_BYTES } from '../../node/datasets/import-dataset.ts';
import { readRecords } from '../../node/datasets/read-records.ts';
import { externalDataFiles, listOnnxVariants, readModelFolder } from '../../node/model-folder/read-model-folder.ts';
import { BUNDLED_BENCHMARK, bundledModelDir } from '../../node/resources.ts';
import { benchmarkSource, resolveExperiment } from '../runs/resolve-experiment.ts';
import { workerRows } from '../runs/run-service.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import { exportRun, importArchive } from '../store/archive.ts';
import { deleteRun } from '../store/delete-run.ts';
import { clearLabel, setLabels } from '../store/labels.ts';
import { getProblem } from '../store/problems.ts';
import { problemCounts, problemGroups, problemPage } from '../store/problem-pages.ts';
import { findRun, type Run } from '../store/runs.ts';
import { getSample, samplePage } from '../store/sample-pages.ts';

export interface UiAppContext {
  /** A new workers' join token: saved, the workers that used the old one disconnected. */
  revokeWorkerToken(): Promise<{ joinCommand: string; workerUrl: string }>;
  /** This PassK Lab's version, written into exported archives. */
  version: string;
  /** Where relative paths in a request are taken from (the coordinator's working directory). */
  baseDir?: string;
}

const TEXT_IN_LIST = 400;
const GOLD_IN_LIST = 200;

const goldText = (gold: unknown) => (typeof gold === 'string' ? gold : JSON.stringify(gold));

/** The first record's field names, nested objects one level deep as dot paths: what a field map names. */
function fieldNames(record: unknown): string[] {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return [];
  return Object.entries(record).flatMap(([key, value]) => (typeof value === 'object' && value !== null && !Array.isArray(value)
    ? [key, ...Object.keys(value).map((inner) => `${key}.${inner}`)] : [key]));
}

let bundledCount: number | null = null;

/** The app's requests (ui-app-requests.ts), callable without a socket like `uiHandlers`. */
export function uiAppHandlers(scheduler: Scheduler, context: UiAppContext): HandlerMap<UiAppRequests> {
  const { db } = scheduler;
  const baseDir = context.baseDir ?? process.cwd();
  const run = (idOrName: string): Result<Run> => {
    const found = findRun(db, idOrName);
    return found ? { ok: true, value: found } : { ok: false, error: `no run "${idOrName}" (it may have been deleted; the Archive lists the runs there are)` };
  };

  return {
    'experiment:options': async () => {
      if (bundledCount === null) {
        const records = await readRecords(BUNDLED_BENCHMARK, 'jsonl');
        bundledCount = records.ok ? records.value.length : 0;
      }
      return {
        ok: true,
        value: {
          bundled: [{ name: 'chain-arithmetic', problems: bundledCount }],
          bundledModels: (['base', 'rl', 'distilled'] as const).map((role) => ({ role, folder: bundledModelDir(role) })),
          presets: presets.map((p) => ({ name: p.name, kind: p.kind, description: p.description })),
        },
      };
    },

    'benchmark:preview': async ({ benchmark, limit }) => {
      const source = benchmarkSource(benchmark, baseDir);
      if (!source.ok) return source;
      const { file, preset } = source.value;
      const records = await readRecords(file, 'format' in benchmark ? benchmark.format : undefined);
      if (!records.ok) return { ok: false, error: `benchmark.file: ${records.error}` };
      const first = records.value.slice(0, limit);
      const mapped = mapRecords(file, records.value, preset, cappedInflate(DEFAULT_MAX_RECORD_BYTES));
      return {
        ok: true,
        value: {
          file, records: records.value.length, fields: fieldNames(records.value[0]?.value),
          raw: first.map((r) => ({ line: r.line, json: JSON.stringify(r.value).slice(0, 4000) })),
          problems: mapped.ok ? mapped.value.slice(0, limit).map((p) => ({ id: p.id, kind: p.kind, problem: p.problem.slice(0, 2000), answer: p.answer })) : [],
          error: mapped.ok ? null : mapped.error,
        },
      };
    },

    'model:check': ({ folder, dtype }) => {
      const dir = resolve(baseDir, folder);
      const read = readModelFolder(dir, { dtype });
      if (!read.ok) return read;
      const m = read.value;
      const bytes = [m.onnxPath, ...externalDataFiles(m.onnxPath).map((f) => join(dirname(m.onnxPath), f))].reduce((sum, f) => sum + statSync(f).size, 0);
      return {
        ok: true,
        value: {
          folder: dir, id: folderName(dir), dtype: m.dtype, variants: listOnnxVariants(dir).map((v) => v.dtype),
          modelType: m.config.modelType, layers: m.config.numLayers, vocabSize: m.config.vocabSize,
          hasChatTemplate: m.chatTemplate !== null,
          generation: {
            temperature: m.generation.temperature ?? null, topP: m.generation.topP ?? null,
            topK: m.generation.topK ?? null, maxNewTokens: m.generation.maxNewTokens ?? null,
          },
          bytes,
        },
      };
    },

    'experiment:check': async ({ spec }) => {
      const parsed = parseExperimentSpec(spec);
      if (!parsed.ok) return { ok: false, error: parsed.error.join('\n') };
      const resolved = await resolveExperiment(parsed.value, baseDir);
      if (!resolved.ok) return { ok: false, error: resolved.error.join('\n') };
      const { problems, models } = resolved.value;
      const n = parsed.value.sampling.n;
      const connected = workerRows(scheduler).filter((w) => w.state !== 'gone');
      const measured = connected.filter((w) => w.samplesPerSecond !== null);
      const samplesPerSecond = measured.length > 0 ? measured.reduce((sum, w) => sum + (w.samplesPerSecond ?? 0), 0) : null;
      const samples = problems.length * n * models.length;
      const value: ExperimentCheck = {
        problems: problems.length,
        models: models.map((m) => {
          const s = m.settings;
          return { id: m.id, role: m.role, promptFormat: m.prompt.format, temperature: s.temperature, topP: s.topP, topK: s.topK, maxNewTokens: s.maxNewTokens };
        }),
        samples,
        maxTokens: models.reduce((sum, m) => sum + problems.length * n * m.settings.maxNewTokens, 0),
        workers: connected.length,
        samplesPerSecond,
        etaSeconds: samplesPerSecond === null ? null : estimateSeconds(samples, samplesPerSecond),
      };
      return { ok: true, value };
    },

    'run:problems': ({ runId, offset, limit, solvedBy, unsolvedBy, search, level, subject }) => {
      const found = run(runId);
      if (!found.ok) return found;
      const known = new Set(scheduler.runModels(found.value.id).map((m) => m.id));
      const unknown = [...solvedBy, ...unsolvedBy].find((m) => !known.has(m));
      if (unknown !== undefined) return { ok: false, error: `run ${found.value.name} has no model "${unknown}" (models: ${[...known].join(', ')})` };
      const page = problemPage(db, found.value.id, { solvedBy, unsolvedBy, search, level, subject }, offset, limit);
      const counts = problemCounts(db, found.value.id, page.rows.map((r) => r.id));
      return {
        ok: true,
        value: {
          total: page.total, offset,
          rows: page.rows.map((r) => ({ id: r.id, text: r.text.slice(0, TEXT_IN_LIST), gold: goldText(r.gold).slice(0, GOLD_IN_LIST), level: r.level, subject: r.subject, counts: counts.get(r.id) ?? [] })),
        },
      };
    },

    'run:problem-groups': ({ runId }) => {
      const found = run(runId);
      return found.ok ? { ok: true, value: problemGroups(db, found.value.id) } : found;
    },

    'run:problem': ({ runId, problemId }) => {
      const found = run(runId);
      if (!found.ok) return found;
      const problem = getProblem(db, found.value.id, problemId);
      if (!problem) return { ok: false, error: `run ${found.value.name} has no problem "${problemId}"` };
      return { ok: true, value: { id: problem.id, text: problem.text, gold: goldText(problem.gold), level: problem.level ?? null, subject: problem.subject ?? null, counts: problemCounts(db, found.value.id, [problem.id]).get(problem.id) ?? [] } };
    },

    'run:samples': ({ runId, problemId, modelId, offset, limit, verdict }) => {
      const found = run(runId);
      if (!found.ok) return found;
      const slot = { runId: found.value.id, modelId, problemId };
      const page = samplePage(db, slot, verdict, offset, limit);
      return { ok: true, value: { total: page.total, offset, rows: page.rows } };
    },

    'sample:get': ({ runId, problemId, modelId, index }) => {
      const found = run(runId);
      if (!found.ok) return found;
      const sample = getSample(db, { runId: found.value.id, modelId, problemId }, index);
      if (!sample) return { ok: false, error: `run ${found.value.name} has no sample ${index} of ${modelId} on ${problemId} (not drawn yet?)` };
      return { ok: true, value: sample };
    },

    'sample:label': ({ runId, problemId, modelId, index, label, note }) => {
      const found = run(runId);
      if (!found.ok) return found;
      const slot = { runId: found.value.id, modelId, problemId };
      if (!getSample(db, slot, index)) return { ok: false, error: `run ${found.value.name} has no sample ${index} of ${modelId} on ${problemId}` };
      const key = { ...slot, sampleIndex: index };
      const now = scheduler.now();
      if (label === null) clearLabel(db, key);
      else setLabels(db, [{ ...key, label, note }], now);
      return { ok: true, value: { label: label === null ? null : { label, note, at: now } } };
    },

    'runs:delete': ({ runId }) => {
      const found = run(runId);
      if (!found.ok) return found;
      if (isRunOpen(found.value.status)) return { ok: false, error: `run ${found.value.name} is ${found.value.status}: cancel it first, then delete it` };
      deleteRun(db, found.value.id);
      scheduler.forgetRun(found.value.id);
      return { ok: true, value: { runId: found.value.id } };
    },

    'runs:export': ({ runId, file }) => {
      const found = run(runId);
      if (!found.ok) return found;
      const target = resolve(baseDir, file);
      if (existsSync(target)) return { ok: false, error: `${target} exists; choose a new file name (nothing is overwritten)` };
      if (!existsSync(dirname(target)) || !statSync(dirname(target)).isDirectory()) return { ok: false, error: `${dirname(target)}: no such folder on the coordinator's machine` };
      const { bytes } = exportRun(db, found.value.id, target, context.version, scheduler.now());
      return { ok: true, value: { file: target, bytes } };
    },
    'runs:import': ({ file }) => {
      const imported = importArchive(db, resolve(baseDir, file));
      return imported.ok ? { ok: true, value: { runId: imported.value.runId, name: imported.value.name } } : imported;
    },

    'tokens:revoke-worker': async () => ({ ok: true, value: await context.revokeWorkerToken() }),
  };
}
