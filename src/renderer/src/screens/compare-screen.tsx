import { curveLegend } from '../charts/chart-export.tsx';
import { ExportButtons } from '../charts/export-buttons.tsx';
import { PassAtKChart } from '../charts/pass-at-k-chart.tsx';
import { useRequest } from '../client/client-context.tsx';
import { runHref } from '../routes.ts';
import { integer } from '../ui/format.ts';
import { ErrorNotice, Loaded } from '../ui/states.tsx';
import { Card } from '../ui/widgets.tsx';
import { DifferenceTable, PairedDifferences } from './compare-differences.tsx';
import { curveSeries, fileStem, parseReport } from './results/report-data.ts';
import { PassAtKTable } from './results/results-screen.tsx';

/**
 * Two runs side by side: their curves on one chart (the second dashed), each its own run's
 * report; beside them the paired differences b − a over the problems both have
 * (`runs:compare`); then each run's table.
 */
export function CompareScreen({ a, b }: { a: string; b: string }) {
  const runs = useRequest('runs:list', {});
  const ra = useRequest('run:report', { runId: a });
  const rb = useRequest('run:report', { runId: b });
  const comparison = useRequest('runs:compare', { a, b });
  return (
    <div className="screen">
      <header className="screen-header"><h1>Compare runs</h1></header>
      <Loaded data={runs} what="the runs">
        {(list) => {
          const runA = list.find((r) => r.id === a || r.name === a);
          const runB = list.find((r) => r.id === b || r.name === b);
          if (!runA || !runB) return <ErrorNotice title="No such run" error={`The coordinator has no run "${!runA ? a : b}"; it may have been deleted.`} hint={<a href="#/runs">See the runs there are.</a>} />;
          if (ra.status !== 'ok' || rb.status !== 'ok') {
            const failed = [ra, rb].find((x) => x.status === 'error');
            return failed && failed.status === 'error' ? <ErrorNotice title="Could not load a report" error={failed.error} onRetry={() => { ra.reload(); rb.reload(); }} /> : <p className="muted" role="status">Loading the two reports…</p>;
          }
          const pa = parseReport(ra.value);
          const pb = parseReport(rb.value);
          if (!pa.ok || !pb.ok) return <ErrorNotice title="A run has no results yet" error={(!pa.ok ? `${runA.name}: ${pa.error}` : '') + (!pb.ok ? `\n${runB.name}: ${pb.error}` : '')} />;
          const series = [...curveSeries(pa.value, `${runA.name} · `), ...curveSeries(pb.value, `${runB.name} · `, true)];
          return (
            <>
              <div className="grid-2 compare-figures">
                <Card title="pass@k, each run on its own" actions={
                  <ExportButtons name={`${fileStem(runA.name)}-and-${fileStem(runB.name)}-pass-at-k`} what="pass@k of both runs" figure={{
                    panels: () => [{ chart: <PassAtKChart size="small" legend={false} title={`pass@k of ${runA.name} and ${runB.name}`} series={series} level={pa.value.level} /> }],
                    legend: curveLegend(series),
                    note: `Solid: ${runA.name} (${pa.value.problems} problems), with ${Math.round(pa.value.level * 100)}% bootstrap bands; dashed: ${runB.name} (${pb.value.problems} problems). Each run's own intervals, not paired.`,
                  }} />
                }>
                  <p className="muted small">Solid: <a href={runHref(runA.id, 'results')}>{runA.name}</a> ({integer(pa.value.problems)} problems). Dashed: <a href={runHref(runB.id, 'results')}>{runB.name}</a> ({integer(pb.value.problems)} problems). Bands are drawn for the solid run; hover gives every interval. These intervals are each run's own, not paired: the difference beside has the paired one.</p>
                  <PassAtKChart size="small" title={`pass@k of ${runA.name} and ${runB.name}`} series={series} level={pa.value.level} />
                </Card>
                <PairedDifferences comparison={comparison} a={runA} b={runB} onRetry={comparison.reload} />
              </div>
              <DifferenceTable comparison={comparison} a={runA} b={runB} />
              <div className="grid-2">
                <Card title={runA.name}><div className="table-scroll"><PassAtKTable report={pa.value} /></div></Card>
                <Card title={runB.name}><div className="table-scroll"><PassAtKTable report={pb.value} /></div></Card>
              </div>
            </>
          );
        }}
      </Loaded>
    </div>
  );
}
