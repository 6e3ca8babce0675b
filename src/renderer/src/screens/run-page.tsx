import { useEffect } from 'react';
import type { DesktopBridge } from '../../../core/protocol/desktop-bridge.ts';
import { useRequest } from '../client/client-context.tsx';
import { runHref, type Route } from '../routes.ts';
import { counted, integer } from '../ui/format.ts';
import { Loaded } from '../ui/states.tsx';
import { StatusBadge, Tabs } from '../ui/widgets.tsx';
import { ProblemBrowser } from './problems/problem-browser.tsx';
import { ResultsScreen } from './results/results-screen.tsx';
import { RunProgressScreen } from './run-progress.tsx';

type RunRoute = Extract<Route, { screen: 'run' }>;

/** One run: its progress, its results and its problems, as tabs. */
export function RunPage({ route, bridge, notify }: { route: RunRoute; bridge: DesktopBridge | null; notify: (message: string, tone?: 'ok' | 'error') => void }) {
  const runs = useRequest('runs:list', {});
  const run = runs.status === 'ok' ? runs.value.find((r) => r.id === route.runId || r.name === route.runId) ?? null : null;
  useEffect(() => {
    if (run) bridge?.setCurrentRun({ id: run.id, name: run.name });
    return () => bridge?.setCurrentRun(null);
  }, [bridge, run?.id, run?.name]);
  return (
    <Loaded data={runs} what="the run">
      {() => {
        if (run === null) {
          return (
            <div className="screen">
              <h1>No such run</h1>
              <p>The coordinator has no run “{route.runId}”; it may have been deleted. <a href="#/runs">See the runs there are.</a></p>
            </div>
          );
        }
        return (
          <div className="screen">
            <header className="screen-header">
              <div>
                <h1>{run.name} <StatusBadge status={run.status} /></h1>
                <p className="muted subtitle">{run.benchmark} · {counted(run.problems, 'problem')} × n = {integer(run.n)} · {run.models.map((m) => `${m.id} (${m.role})`).join(', ')}</p>
              </div>
            </header>
            <Tabs label="Run views" current={route.tab} tabs={[
              { id: 'progress', label: 'Progress', href: runHref(run.id) },
              { id: 'results', label: 'Results', href: runHref(run.id, 'results') },
              { id: 'problems', label: 'Problems', href: runHref(run.id, 'problems') },
            ]} />
            {route.tab === 'progress' && <RunProgressScreen run={run} onStatusChange={runs.reload} notify={notify} />}
            {route.tab === 'results' && <ResultsScreen run={run} onStatusChange={runs.reload} />}
            {route.tab === 'problems' && <ProblemBrowser run={run} query={route.problems} notify={notify} />}
          </div>
        );
      }}
    </Loaded>
  );
}
