import type { HandlerMap } from '../../core/protocol/requests.ts';
import type { UiCoreRequests } from '../../core/protocol/ui-protocol.ts';
import type { Result } from '../../core/result.ts';
import { parseExperimentSpec } from '../../core/spec/experiment-spec.ts';
import { resolveExperiment } from '../runs/resolve-experiment.ts';
import { controlRun, runProgress, runReport, runSummary, startRun, workerRows } from '../runs/run-service.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import { findRun, listRuns, type Run } from '../store/runs.ts';
import { uiArchiveHandlers } from './ui-archive-handlers.ts';

/** What a UI connection may do besides answering: join the rooms progress is pushed to. */
export interface UiSession {
  join(room: string): void;
  leave(room: string): void;
}

export interface CoordinatorInfo {
  version: string;
  protocol: number;
  workerUrl: string;
  joinCommand: string;
  dataDir: string;
}

export const runRoom = (runId: string) => `run:${runId}`;
export const WORKERS_ROOM = 'workers';

/** The coordinator's answers to a UI client (`passk run`, the desktop app), callable without a socket. */
export function uiHandlers(scheduler: Scheduler, info: CoordinatorInfo, session: UiSession, baseDir = process.cwd()): HandlerMap<UiCoreRequests> {
  return { ...uiRunHandlers(scheduler, info, session, baseDir), ...uiArchiveHandlers(scheduler) };
}

type RunRequests = Omit<UiCoreRequests, keyof ReturnType<typeof uiArchiveHandlers>>;

/** Launching and following runs, and the workers. */
function uiRunHandlers(scheduler: Scheduler, info: CoordinatorInfo, session: UiSession, baseDir: string): HandlerMap<RunRequests> {
  const run = (idOrName: string): Result<Run> => {
    const found = findRun(scheduler.db, idOrName);
    return found ? { ok: true, value: found } : { ok: false, error: `no run "${idOrName}" (passk runs list shows them)` };
  };
  return {
    'coordinator:info': () => ({ ok: true, value: info }),
    'runs:list': () => ({ ok: true, value: listRuns(scheduler.db).map((r) => runSummary(scheduler, r)) }),
    'run:create': async ({ spec, maxSamples }) => {
      const parsed = parseExperimentSpec(spec);
      if (!parsed.ok) return { ok: false, error: parsed.error.join('\n') };
      const resolved = await resolveExperiment(parsed.value, baseDir);
      if (!resolved.ok) return { ok: false, error: resolved.error.join('\n') };
      const { models, problems, spec: { sampling } } = resolved.value;
      const samples = models.length * problems.length * sampling.n;
      if (maxSamples !== undefined && samples > maxSamples) {
        const tokens = models.reduce((sum, m) => sum + problems.length * sampling.n * m.settings.maxNewTokens, 0);
        return {
          ok: false,
          error: `the experiment draws ${samples.toLocaleString('en-US')} samples (${models.length} models × ${problems.length} problems × n=${sampling.n.toLocaleString('en-US')}), `
            + `up to ${tokens.toLocaleString('en-US')} new tokens: more than the ${maxSamples.toLocaleString('en-US')} this request allows unconfirmed`,
        };
      }
      return { ok: true, value: runSummary(scheduler, startRun(scheduler, resolved.value)) };
    },
    'run:progress': ({ runId }) => {
      const found = run(runId);
      return found.ok ? { ok: true, value: runProgress(scheduler, found.value) } : found;
    },
    'run:control': ({ runId, action }) => {
      const found = run(runId);
      return found.ok ? { ok: true, value: runSummary(scheduler, controlRun(scheduler, found.value, action)) } : found;
    },
    'run:report': ({ runId }) => {
      const found = run(runId);
      return found.ok ? { ok: true, value: runReport(scheduler, found.value) } : found;
    },
    'run:subscribe': ({ runId }) => {
      const found = run(runId);
      if (!found.ok) return found;
      session.join(runRoom(found.value.id));
      return { ok: true, value: runProgress(scheduler, found.value) };
    },
    'run:unsubscribe': ({ runId }) => {
      const found = run(runId);
      if (found.ok) session.leave(runRoom(found.value.id));
      return { ok: true, value: {} };
    },
    'workers:list': () => ({ ok: true, value: workerRows(scheduler) }),
    'workers:subscribe': () => {
      session.join(WORKERS_ROOM);
      return { ok: true, value: workerRows(scheduler) };
    },
  };
}
