import { useEffect, useRef, useState } from 'react';
import type { StatsReport } from '../../../../core/protocol/stats-report-schema.ts';
import { isRunOpen, type RunReport, type RunSummary } from '../../../../core/protocol/ui-protocol.ts';
import { curveLegend, markLegend } from '../../charts/chart-export.tsx';
import { ExportButtons } from '../../charts/export-buttons.tsx';
import { HistogramChart } from '../../charts/histogram-chart.tsx';
import { PassAtKChart } from '../../charts/pass-at-k-chart.tsx';
import { useRequest } from '../../client/client-context.tsx';
import { useRunProgress } from '../../client/live-data.ts';
import { runHref } from '../../routes.ts';
import { counted, duration, fixed3, integer, interval3, signed3 } from '../../ui/format.ts';
import { Empty, ErrorNotice, Loaded } from '../../ui/states.tsx';
import { Card, RoleChip } from '../../ui/widgets.tsx';
import { AnalysisSections } from './analysis-sections.tsx';
import { crossoverMarks, curveSeries, fileStem, histogramSeries, parseReport, reportCsv, waitingReason } from './report-data.ts';

/**
 * A run's results as the coordinator computed them (src/core/stats): curves, table, histogram,
 * coverage, crossover, ΔSE from `run:report`; below them the rest of the analysis, from
 * `run:analysis` on its own, so the curves do not wait for the per-level and perplexity work.
 * While the run goes, Refresh asks for both again (the bootstrap is real work, so not on every
 * verdict); when the run ends they are asked for again by themselves.
 */
export function ResultsScreen({ run, onStatusChange }: { run: RunSummary; onStatusChange?: () => void }) {
  const answer = useRequest('run:report', { runId: run.id });
  const progress = useRunProgress(run.id);
  const status = progress.status === 'ok' ? progress.value.status : run.status;
  const verified = progress.status === 'ok' ? progress.value.models.reduce((sum, m) => sum + m.verified, 0) : null;
  const [generation, setGeneration] = useState(0);
  const refresh = () => {
    answer.reload();
    setGeneration((g) => g + 1);
  };
  const seen = useRef(status);
  useEffect(() => {
    if (status === seen.current) return;
    seen.current = status;
    refresh();
    onStatusChange?.();
  }, [status]); // eslint-disable-line react-hooks/exhaustive-deps -- once per change of status
  const live = { status, verified, generation, refresh };
  return (
    <Loaded data={answer} what="the report">
      {(r) => {
        const parsed = parseReport(r);
        if (!parsed.ok) {
          const progressLink = <>the <a href={runHref(run.id)}>Progress</a> tab shows how far the run is.</>;
          // A run that goes is waiting, not failing: said plainly, not as an error.
          if (isRunOpen(status)) {
            return (
              <Empty title="No results yet">
                <p>{waitingReason(parsed.error)}</p>
                <p>Results appear here by themselves when the run ends, or now with Refresh once every model has a verdict on every problem; {progressLink}</p>
                <button type="button" onClick={refresh}>Refresh now</button>
              </Empty>
            );
          }
          return <ErrorNotice title="No results" error={parsed.error} hint={<>This run is {status}, so no more verdicts will come; {progressLink}</>} onRetry={refresh} />;
        }
        return <ResultsView run={run} r={r} report={parsed.value} live={live} />;
      }}
    </Loaded>
  );
}

interface LiveState { status: RunSummary['status']; verified: number | null; generation: number; refresh(): void }

function ResultsView({ run, r, report, live }: { run: RunSummary; r: RunReport; report: StatsReport; live: LiveState }) {
  const base = fileStem(run.name);
  const pct = Math.round(report.level * 100);

  return (
    <div className="results">
      {live.status !== 'done' && (
        <p className="notice" role="status">
          This run is {live.status}: the numbers below come from the {integer(r.samples)} samples stored when they were computed
          {isRunOpen(live.status) && live.verified !== null && <> ({integer(live.verified)} verified now)</>}
          {(report.problems < run.problems || report.models.length < run.models.length) && <>, over the {integer(report.problems)} of {integer(run.problems)} problems every model shown has verdicts on ({report.models.length} of {run.models.length} models)</>}
          {isRunOpen(live.status) ? <>; they are computed again when it ends. <button type="button" onClick={live.refresh}>Refresh now</button></> : '.'}
        </p>
      )}
      <div className="summary-cards">
        {report.crossover.pairs.map((pair) => (
          <Card key={`${pair.base}-${pair.rl}`} title={`${pair.base} vs ${pair.rl}`} className="summary-card">
            <p className="big-number">{pair.k === null ? 'no crossover' : `crossover at k = ${pair.k}`}</p>
            {pair.kMax === 0 ? <p className="small">The two share no k of the grid.</p>
              : pair.k === null && <p className="small">{pair.base} stays below {pair.rl} up to k = {pair.kMax}.</p>}
            <VerdictLines pair={pair} />
            {pair.deltaSE && <p className="small">ΔSE = {pair.base} pass@{pair.deltaSE.k} − {pair.rl} pass@1 = <strong>{signed3(pair.deltaSE.value)}</strong> [{signed3(pair.deltaSE.ci[0])}, {signed3(pair.deltaSE.ci[1])}]</p>}
          </Card>
        ))}
        {report.crossover.note && <Card title="Crossover" className="summary-card"><p className="small">{report.crossover.note}</p></Card>}
        <Card title="Data" className="summary-card">
          <p className="small">{counted(report.problems, 'problem')} · {counted(r.samples, 'sample')}{r.seconds !== null ? ` · ${duration(r.seconds)}` : ''}</p>
          <p className="small">{pct}% percentile bootstrap over problems, B = {integer(report.resamples)}, bootstrap seed {report.seed} (not the sampling seed)</p>
          <p className="small digest" title={r.samplesDigest}>samples digest <code>{r.samplesDigest.slice(0, 16)}…</code></p>
        </Card>
      </div>

      <Card title="pass@k" actions={
        <ExportButtons name={`${base}-pass-at-k`} what="pass@k" csv={() => reportCsv(report)}
          figure={{
            panels: (width) => [{ chart: <PassAtKChart size={width === 'column' ? 'small' : 'full'} legend={false} title={`pass@k of run ${run.name}`} series={curveSeries(report)} crossovers={crossoverMarks(report)} level={report.level} /> }],
            legend: curveLegend(curveSeries(report)),
            note: `Bands: ${pct}% paired bootstrap intervals over ${report.problems} problems (run ${run.name}).`,
          }}
          json={() => ({ run: run.name, runId: run.id, samplesDigest: r.samplesDigest, samples: r.samples, ...report })} />
      }>
        <PassAtKChart title={`pass@k of run ${run.name}, ${report.problems} problems`} series={curveSeries(report)} crossovers={crossoverMarks(report)} level={report.level} />
        <div className="table-scroll"><PassAtKTable report={report} /></div>
      </Card>

      <div className="grid-2">
        <Card title="Accuracy histogram" actions={
          <ExportButtons name={`${base}-accuracy-histogram`} what="the accuracy histogram" figure={{
            panels: (width) => [{ chart: <HistogramChart size={width === 'column' ? 'small' : 'full'} title="Problems per accuracy bin" series={histogramSeries(report)} /> }],
            legend: markLegend(histogramSeries(report), 'box'),
            note: `Fraction of the ${report.problems} problems in each bin of accuracy c/n (run ${run.name}).`,
          }} />
        }>
          <HistogramChart title="Problems per accuracy bin" series={histogramSeries(report)} />
        </Card>
        <Card title="Solvable problems">
          <p className="muted small">Solvable: at least one correct sample. Each count opens the list of those problems.</p>
          {report.coverage.map((c) => <CoverageRow key={`${c.a}-${c.b}`} run={run} c={c} />)}
        </Card>
      </div>
      <AnalysisSections run={run} generation={live.generation} />
    </div>
  );
}

/**
 * The plain verdict: base − RL at the largest k and at the crossover, each with its paired
 * interval and what it says, as the coordinator's report reads it (core/stats/verdict.ts).
 */
function VerdictLines({ pair }: { pair: StatsReport['crossover']['pairs'][number] }) {
  const { verdict } = pair;
  const lines = (['atKMax', 'atCrossover'] as const).filter((w) => verdict[w] && !(w === 'atCrossover' && verdict.atCrossover?.k === verdict.atKMax?.k));
  if (lines.length === 0) return null;
  return (
    <ul className="boundary-verdicts">
      {lines.map((which) => {
        const l = verdict[which]!;
        const where = which === 'atKMax' ? (verdict.atCrossover?.k === l.k ? 'largest k, the crossover' : 'largest k') : 'crossover';
        return (
          <li key={which} className={`boundary-verdict boundary-verdict-${l.side}`} data-verdict={which} data-k={l.k}>
            <span className="small">{pair.base} − {pair.rl} at k = {l.k} ({where}): <strong>{signed3(l.difference)}</strong> [{signed3(l.ci[0])}, {signed3(l.ci[1])}]</span>
            <span className="boundary-reading">{l.reading}</span>
          </li>
        );
      })}
    </ul>
  );
}

export function PassAtKTable({ report }: { report: StatsReport }) {
  return (
    <table className="table passk-table" data-testid="passk-table">
      <caption className="visually-hidden">pass@k with {Math.round(report.level * 100)}% intervals</caption>
      <thead><tr><th scope="col" className="num">k</th>{report.models.map((m) => <th key={m.model} scope="col" className="num"><RoleChip role={m.role} model={m.model} /></th>)}</tr></thead>
      <tbody>
        {report.ks.map((k) => (
          <tr key={k}>
            <th scope="row" className="num">{k}</th>
            {report.models.map((m) => {
              const value = m.passAtK[String(k)];
              return value === undefined
                ? <td key={m.model} className="num muted">— (k &gt; n = {m.minN})</td>
                : <td key={m.model} className="num" data-model={m.model} data-k={k}><span className="value">{fixed3(value)}</span> <span className="muted interval">{interval3(m.ci[String(k)])}</span></td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CoverageRow({ run, c }: { run: RunSummary; c: StatsReport['coverage'][number] }) {
  const link = (solvedBy: string[], unsolvedBy: string[]) => runHref(run.id, 'problems', { solvedBy, unsolvedBy });
  const cells: [string, number, number, string][] = [
    ['both', c.both.length, c.expected.both, link([c.a, c.b], [])],
    [`only ${c.a}`, c.onlyA.length, c.expected.onlyA, link([c.a], [c.b])],
    [`only ${c.b}`, c.onlyB.length, c.expected.onlyB, link([c.b], [c.a])],
    ['neither', c.neither.length, c.expected.neither, link([], [c.a, c.b])],
  ];
  return (
    <div className="coverage">
      <h3>{c.a} vs {c.b}</h3>
      <ul className="coverage-cells">
        {cells.map(([label, count, expected, href]) => (
          <li key={label}>
            <a href={href} className="coverage-cell">
              <span className="visually-hidden">{c.a} vs {c.b}: </span>
              <span className="coverage-count">{integer(count)}</span>
              <span className="coverage-label">{label}</span>
              <span className="muted small">expected at k={c.k}: {expected.toFixed(1)}</span>
            </a>
          </li>
        ))}
      </ul>
      {c.samplesDiffer && <p className="muted small">The two drew different numbers of samples on some problems: the sets favour the one with more; the expected counts compare both at k = {c.k}.</p>}
    </div>
  );
}
