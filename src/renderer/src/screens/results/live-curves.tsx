import { useEffect, useRef, useState } from 'react';
import type { StatsReport } from '../../../../core/protocol/stats-report-schema.ts';
import type { RunSummary } from '../../../../core/protocol/ui-protocol.ts';
import { curveLegend } from '../../charts/chart-export.tsx';
import { ExportButtons } from '../../charts/export-buttons.tsx';
import { PassAtKChart } from '../../charts/pass-at-k-chart.tsx';
import { useClient } from '../../client/client-context.tsx';
import { integer } from '../../ui/format.ts';
import { crossoverMarks, curveSeries, fileStem, parseReport, waitingReason } from './report-data.ts';

/** The coordinator's bootstrap costs it real work, so a running run is asked for its report at most this often. */
const REFRESH_MS = 3000;

/**
 * pass@k as far as the verdicts go: asked of the coordinator again when more samples are
 * verified (at most every few seconds), so the curves fill in while the run goes.
 */
export function LiveCurves({ run, verified, open }: { run: RunSummary; verified: number; open: boolean }) {
  const client = useClient();
  const [report, setReport] = useState<{ value: StatsReport; verified: number } | null>(null);
  // Why there are no curves yet, and for how many verified samples that answer was given.
  const [waiting, setWaiting] = useState<{ text: string; verified: number } | null>(null);
  // One loop at a time: it asks again while the verified count moved past what it last asked for.
  const pump = useRef({ target: -1, fetched: -1, running: false, lastAt: 0, mounted: true });
  useEffect(() => {
    const s = pump.current;
    s.mounted = true;
    return () => { s.mounted = false; };
  }, []);
  useEffect(() => {
    const s = pump.current;
    s.target = verified;
    if (s.running) return;
    s.running = true;
    void (async () => {
      while (s.mounted && s.fetched !== s.target) {
        const wait = s.lastAt + REFRESH_MS - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const want = s.target;
        s.lastAt = Date.now();
        const answer = await client.request('run:report', { runId: run.id });
        s.fetched = want;
        if (!s.mounted) break;
        if (!answer.ok) {
          setWaiting({ text: answer.error, verified: want });
          continue;
        }
        const parsed = parseReport(answer.value);
        if (parsed.ok) {
          setReport({ value: parsed.value, verified: want });
          setWaiting(null);
        } else {
          setWaiting({ text: waitingReason(parsed.error), verified: want });
        }
      }
      s.running = false;
    })();
  }, [client, run.id, verified]);

  return (
    <div className="live-curves">
      {report && (
        <>
          <p className="muted small" role="status">{open
            ? <>From the {integer(report.verified)} samples verified so far, over the {integer(report.value.problems)} of {integer(run.problems)} problems every model shown has verdicts on ({report.value.models.length} of {run.models.length} models); redrawn as more are verified. k goes up to the fewest verified samples of any of those problems (now {report.value.ks.at(-1)}).</>
            : <>From all {integer(report.verified)} verified samples.</>}</p>
          <ExportButtons name={`${fileStem(run.name)}-pass-at-k-so-far`} what="pass@k so far" figure={{
            panels: (width) => [{ chart: <PassAtKChart size={width === 'column' ? 'small' : 'full'} legend={false} title="pass@k so far" series={curveSeries(report.value)} crossovers={crossoverMarks(report.value)} level={report.value.level} /> }],
            legend: curveLegend(curveSeries(report.value)),
            note: `From the ${report.verified} samples verified${open ? ' so far' : ''} over ${report.value.problems} of ${run.problems} problems (run ${run.name}); bands: ${Math.round(report.value.level * 100)}% paired bootstrap intervals.`,
          }} />
          <PassAtKChart title={`pass@k so far, run ${run.name}`} series={curveSeries(report.value)} crossovers={crossoverMarks(report.value)} level={report.value.level} />
        </>
      )}
      {!report && <p className="muted" role="status">{waiting && waiting.verified === verified ? waiting.text : 'Asking the coordinator for pass@k…'}</p>}
    </div>
  );
}
