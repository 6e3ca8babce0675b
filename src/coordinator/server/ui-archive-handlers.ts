import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { compareRuns } from '../../core/analysis/compare-runs.ts';
import type { HandlerMap } from '../../core/protocol/requests.ts';
import type { UiRequests } from '../../core/protocol/ui-protocol.ts';
import type { Result } from '../../core/result.ts';
import { readModelFolder } from '../../node/model-folder/read-model-folder.ts';
import { analyzeRun } from '../runs/run-analysis.ts';
import { runSummary } from '../runs/run-service.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import { deleteRun, exportRun, importArchive } from '../store/archive.ts';
import { problemPage, problemSamples } from '../store/browse.ts';
import { clearLabel, setLabels } from '../store/labels.ts';
import { findRun, getRun, type Run } from '../store/runs.ts';
import { countVerdicts } from '../store/samples.ts';

type ArchiveRequests = Pick<UiRequests, 'run:analysis' | 'run:problems' | 'run:samples' | 'sample:label' | 'runs:delete' | 'runs:export' | 'runs:import' | 'runs:compare' | 'models:inspect'>;

/** The archive, the analysis and the problem browser: answers that read (or label) stored runs only. */
export function uiArchiveHandlers(scheduler: Scheduler, version: string): HandlerMap<ArchiveRequests> {
  const { db } = scheduler;
  const run = (idOrName: string): Result<Run> => {
    const found = findRun(db, idOrName);
    return found ? { ok: true, value: found } : { ok: false, error: `no run "${idOrName}"` };
  };
  const absolute = (path: string): Result<string> => (isAbsolute(path) ? { ok: true, value: path } : { ok: false, error: `${path}: give an absolute path on the coordinator's machine` });
  return {
    'run:analysis': ({ runId, ks }) => {
      const found = run(runId);
      if (!found.ok) return found;
      const analysis = analyzeRun(scheduler, found.value, ks ? { ks } : {});
      return analysis.ok ? { ok: true, value: analysis.value as unknown as Record<string, unknown> } : analysis;
    },
    'run:problems': ({ runId, offset, limit, filter }) => {
      const found = run(runId);
      return found.ok ? { ok: true, value: problemPage(db, found.value.id, { offset, limit, filter }) } : found;
    },
    'run:samples': ({ runId, problemId, modelId, offset, limit }) => {
      const found = run(runId);
      return found.ok ? { ok: true, value: problemSamples(db, found.value.id, problemId, modelId, offset, limit) } : found;
    },
    'sample:label': ({ runId, modelId, problemId, sample, label, note }) => {
      const found = run(runId);
      if (!found.ok) return found;
      const key = { runId: found.value.id, modelId, problemId, sampleIndex: sample };
      if (label === null) clearLabel(db, key);
      else setLabels(db, [{ ...key, label, note }], scheduler.now());
      return { ok: true, value: {} };
    },
    'runs:delete': ({ runId }) => {
      const found = run(runId);
      if (!found.ok) return found;
      if (found.value.status === 'running' || found.value.status === 'paused') return { ok: false, error: `run ${found.value.name} is ${found.value.status}; cancel it before deleting it` };
      deleteRun(db, found.value.id);
      scheduler.forgetRun(found.value.id);
      return { ok: true, value: {} };
    },
    'runs:export': ({ runId, path }) => {
      const found = run(runId);
      if (!found.ok) return found;
      const target = absolute(path);
      if (!target.ok) return target;
      if (existsSync(target.value)) return { ok: false, error: `${target.value} exists; choose a new file name (nothing is overwritten)` };
      if (!existsSync(dirname(target.value)) || !statSync(dirname(target.value)).isDirectory()) return { ok: false, error: `${dirname(target.value)}: no such folder` };
      return { ok: true, value: exportRun(db, found.value.id, target.value, version, scheduler.now()) };
    },
    'runs:import': ({ path }) => {
      const source = absolute(path);
      if (!source.ok) return source;
      const imported = importArchive(db, source.value);
      if (!imported.ok) return imported;
      return { ok: true, value: { run: runSummary(scheduler, getRun(db, imported.value.runId)!), imported: imported.value.imported } };
    },
    'runs:compare': ({ a, b }) => {
      const [ra, rb] = [run(a), run(b)];
      if (!ra.ok) return ra;
      if (!rb.ok) return rb;
      const c = compareRuns({ name: ra.value.name, counts: countVerdicts(db, ra.value.id) }, { name: rb.value.name, counts: countVerdicts(db, rb.value.id) });
      return c.ok ? { ok: true, value: c.value as unknown as Record<string, unknown> } : c;
    },
    'models:inspect': ({ folder, dtype }) => {
      const path = absolute(folder);
      if (!path.ok) return path;
      const read = readModelFolder(path.value, { dtype });
      if (!read.ok) return read;
      const m = read.value;
      return {
        ok: true,
        value: {
          folder: m.dir, modelType: m.config.modelType, dtype: m.dtype, layers: m.config.numLayers, hasChatTemplate: m.chatTemplate !== null,
          generation: Object.fromEntries(Object.entries(m.generation).filter(([, v]) => v !== undefined)),
        },
      };
    },
  };
}
