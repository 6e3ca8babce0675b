import type { RunAnalysis } from '../../../../core/protocol/run-analysis-schema.ts';
import type { RunSummary } from '../../../../core/protocol/ui-protocol.ts';
import { markLegend } from '../../charts/chart-export.tsx';
import { ExportButtons } from '../../charts/export-buttons.tsx';
import type { FigureWidth } from '../../charts/figure/figure-model.ts';
import { IntervalRowsChart } from '../../charts/interval-rows-chart.tsx';
import { integer } from '../../ui/format.ts';
import { Empty } from '../../ui/states.tsx';
import { Card, RoleChip } from '../../ui/widgets.tsx';
import { inRunOrder, perplexityCsv, roleOf } from './analysis-data.ts';
import { fileStem } from './report-data.ts';

/** Perplexities sit near 1 for a model's own answers: three significant digits keep 1.023 from 1.031. */
export const perplexity = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(3));

/**
 * The paper's perplexity comparison: each model's answers scored under another (or its own)
 * model, as box plots with the median's interval, and the numbers in a table. The
 * distributions and intervals are the coordinator's (src/core/analysis/perplexity.ts).
 */
export function PerplexitySection({ run, analysis }: { run: RunSummary; analysis: RunAnalysis }) {
  const { note } = analysis.perplexity;
  const pairs = inRunOrder(analysis, analysis.perplexity.pairs, (p) => [p.scorer, p.model]);
  const role = roleOf(analysis);
  const rows = pairs.map((p) => ({
    id: `${p.scorer}/${p.model}`, label: `${p.model}'s answers under ${p.scorer}`, role: role(p.model),
    value: p.median, ci: p.medianCi, box: p.quantiles,
  }));
  const chart = (width?: FigureWidth) => (
    <IntervalRowsChart rows={rows} scale="log" valueName="median" format={perplexity} labelWidth={width === 'column' ? 150 : 230} width={width === 'column' ? 480 : 880}
      title="Perplexity of each model's answers under the scoring model" axisLabel="perplexity" />
  );
  return (
    <Card title="Perplexity" className="perplexity" actions={pairs.length > 0 &&
      <ExportButtons name={`${fileStem(run.name)}-perplexity`} what="perplexity" figure={{
        panels: (width) => [{ chart: chart(width) }],
        legend: markLegend(pairs.map((p) => ({ label: `${p.model} (${role(p.model)})`, role: role(p.model) })), 'box'),
        note: 'Perplexity per sample of each model\'s answers under the scoring model (log scale). Box: 25th–75th percentile; whiskers: 10th–90th; line: median; dark bar: 95% interval of the median (problems resampled).',
      }} csv={() => perplexityCsv(pairs)} json={() => ({ run: run.name, runId: run.id, ...analysis.perplexity })} />}>
      {pairs.length === 0
        ? <Empty title="No perplexity for this run">{note ? <p className="analysis-note">{note}</p> : <p>No sample was scored.</p>}</Empty>
        : (
          <>
            <p className="muted small">Perplexity of each model's answers under the scoring model (teacher-forced, per sample). A model's own answers sit low; answers the scorer would rarely write sit high.</p>
            {chart()}
            <p className="chart-legend muted small">Box: 25th–75th percentile · whiskers: 10th–90th · line: median · dark bar: 95% interval of the median (problems resampled, each with all its samples).</p>
            <div className="table-scroll">
              <table className="table compact fit" data-testid="perplexity-table">
                <caption>Perplexity per sample, by answering model and scorer</caption>
                <thead>
                  <tr>
                    <th scope="col">answers of</th><th scope="col">under</th><th scope="col" className="num">samples</th><th scope="col" className="num">problems</th>
                    <th scope="col" className="num">median [95% interval]</th><th scope="col" className="num">10%</th><th scope="col" className="num">25%</th>
                    <th scope="col" className="num">75%</th><th scope="col" className="num">90%</th><th scope="col" className="num">mean</th>
                  </tr>
                </thead>
                <tbody>
                  {pairs.map((p) => (
                    <tr key={`${p.scorer}/${p.model}`} data-scorer={p.scorer} data-model={p.model}>
                      <td><RoleChip role={role(p.model)} model={p.model} /></td>
                      <td><RoleChip role={role(p.scorer)} model={p.scorer} /></td>
                      <td className="num">{integer(p.samples)}</td>
                      <td className="num">{integer(p.problems)}</td>
                      <td className="num"><span className="value">{perplexity(p.median)}</span> <span className="muted interval">[{perplexity(p.medianCi[0])}, {perplexity(p.medianCi[1])}]</span></td>
                      <td className="num">{perplexity(p.quantiles.q10)}</td>
                      <td className="num">{perplexity(p.quantiles.q25)}</td>
                      <td className="num">{perplexity(p.quantiles.q75)}</td>
                      <td className="num">{perplexity(p.quantiles.q90)}</td>
                      <td className="num">{perplexity(p.mean)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
    </Card>
  );
}
