import { PassAtKChart } from '../charts/pass-at-k-chart.tsx';
import { useRequest } from '../client/client-context.tsx';
import { runHref } from '../routes.ts';
import { integer } from '../ui/format.ts';
import { ErrorNotice, Loaded } from '../ui/states.tsx';
import { Card } from '../ui/widgets.tsx';
import { curveSeries, parseReport } from './results/report-data.ts';
import { PassAtKTable } from './results/results-screen.tsx';

/** Two runs' reports side by side, their curves on one chart (the second dashed). Each report is its run's own. */
export function CompareScreen({ a, b }: { a: string; b: string }) {
  const runs = useRequest('runs:list', {});
  const ra = useRequest('run:report', { runId: a });
  const rb = useRequest('run:report', { runId: b });
  return (
    <div className="screen">
      <header className="screen-header"><h1>Compare runs</h1></header>
      <Loaded data={runs} what="the runs">
        {(list) => {
          const name = (id: string) => list.find((r) => r.id === id)?.name ?? id;
          if (ra.status !== 'ok' || rb.status !== 'ok') {
            const failed = [ra, rb].find((x) => x.status === 'error');
            return failed && failed.status === 'error' ? <ErrorNotice title="Could not load a report" error={failed.error} onRetry={() => { ra.reload(); rb.reload(); }} /> : <p className="muted" role="status">Loading the two reports…</p>;
          }
          const pa = parseReport(ra.value);
          const pb = parseReport(rb.value);
          if (!pa.ok || !pb.ok) return <ErrorNotice title="A run has no results yet" error={(!pa.ok ? `${name(a)}: ${pa.error}` : '') + (!pb.ok ? `\n${name(b)}: ${pb.error}` : '')} />;
          const series = [...curveSeries(pa.value, `${name(a)} · `), ...curveSeries(pb.value, `${name(b)} · `, true)];
          return (
            <>
              <Card title="pass@k">
                <p className="muted small">Solid: <a href={runHref(a, 'results')}>{name(a)}</a> ({integer(pa.value.problems)} problems). Dashed: <a href={runHref(b, 'results')}>{name(b)}</a> ({integer(pb.value.problems)} problems). Bands are drawn for the solid run; hover gives every interval. Each run's intervals are its own: the two runs are not paired.</p>
                <PassAtKChart title={`pass@k of ${name(a)} and ${name(b)}`} series={series} level={pa.value.level} />
              </Card>
              <div className="grid-2">
                <Card title={name(a)}><div className="table-scroll"><PassAtKTable report={pa.value} /></div></Card>
                <Card title={name(b)}><div className="table-scroll"><PassAtKTable report={pb.value} /></div></Card>
              </div>
            </>
          );
        }}
      </Loaded>
    </div>
  );
}
