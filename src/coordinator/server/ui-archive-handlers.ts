import { compareRuns } from '../../core/analysis/compare-runs.ts';
import type { HandlerMap } from '../../core/protocol/requests.ts';
import type { UiRequests } from '../../core/protocol/ui-protocol.ts';
import type { Result } from '../../core/result.ts';
import { analyzeRun } from '../runs/run-analysis.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import { findRun, type Run } from '../store/runs.ts';
import { countVerdicts } from '../store/samples.ts';

type AnalysisRequests = Pick<UiRequests, 'run:analysis' | 'runs:compare'>;

/** The analysis of stored runs (what `passk report` and `passk runs compare` print), for the app's Results and Compare screens. */
export function uiArchiveHandlers(scheduler: Scheduler): HandlerMap<AnalysisRequests> {
  const { db } = scheduler;
  const run = (idOrName: string): Result<Run> => {
    const found = findRun(db, idOrName);
    return found ? { ok: true, value: found } : { ok: false, error: `no run "${idOrName}"` };
  };
  return {
    'run:analysis': ({ runId, ks }) => {
      const found = run(runId);
      if (!found.ok) return found;
      return analyzeRun(scheduler, found.value, ks ? { ks } : {});
    },
    'runs:compare': ({ a, b }) => {
      const [ra, rb] = [run(a), run(b)];
      if (!ra.ok) return ra;
      if (!rb.ok) return rb;
      return compareRuns({ name: ra.value.name, counts: countVerdicts(db, ra.value.id) }, { name: rb.value.name, counts: countVerdicts(db, rb.value.id) });
    },
  };
}
