import type { RunComparison } from '../../../core/protocol/run-analysis-schema.ts';
import type { RunSummary } from '../../../core/protocol/ui-protocol.ts';
import type { Role } from '../../../core/roles.ts';
import { curveLegend } from '../charts/chart-export.tsx';
import { ExportButtons } from '../charts/export-buttons.tsx';
import { PassAtKChart, type CurveSeries } from '../charts/pass-at-k-chart.tsx';
import { counted, fixed3, integer, signed3 } from '../ui/format.ts';
import { Loaded } from '../ui/states.tsx';
import type { Loadable } from '../client/client-context.tsx';
import { Card, RoleChip } from '../ui/widgets.tsx';
import { csvLine, fileStem } from './results/report-data.ts';

type Pair = RunComparison['pairs'][number];

const pairLabel = (p: Pair, a: string, b: string) => (p.matchedBy === 'id' ? `${p.modelB}: ${b} − ${a}` : `${p.modelB} (${b}) − ${p.modelA} (${a})`);

/** How many comparisons the table shows and how many survive Holm's correction (the coordinator's, over all of them). */
export function holmSurvivors(c: RunComparison): { count: number; survivors: number; rejected: Map<string, boolean> } {
  const keyed = c.pairs.flatMap((p) => p.points.map((x) => [`${p.modelA}/${p.modelB}/${x.k}`, x.survivesHolm] as const));
  return { count: keyed.length, survivors: keyed.filter(([, s]) => s).length, rejected: new Map(keyed) };
}

function comparisonCsv(c: RunComparison): string {
  const holm = holmSurvivors(c);
  const lines = [csvLine(['model_a', 'model_b', 'matched_by', 'k', 'pass_at_k_a', 'pass_at_k_b', 'difference_b_minus_a', 'ci_low', 'ci_high', 'p_bootstrap', 'survives_holm'])];
  for (const p of c.pairs) for (const x of p.points) lines.push(csvLine([p.modelA, p.modelB, p.matchedBy, x.k, x.a, x.b, x.difference, ...x.ci, x.p, holm.rejected.get(`${p.modelA}/${p.modelB}/${x.k}`) ? 1 : 0]));
  return lines.join('\n') + '\n';
}

function differenceSeries(c: RunComparison, a: RunSummary, b: RunSummary): CurveSeries[] {
  const roleA = (model: string): Role => a.models.find((m) => m.id === model)?.role ?? 'other';
  return c.pairs.map((p) => ({
    id: `diff/${p.modelA}/${p.modelB}`, label: pairLabel(p, a.name, b.name), role: roleA(p.modelA), band: true,
    points: p.points.map((x) => ({ k: x.k, value: x.difference, ci: x.ci })),
  }));
}

/**
 * What `runs:compare` gives: pass@k of each matched pair of models over the problems both
 * runs have, and the paired bootstrap interval of b − a (one set of problem draws for
 * both runs, so the interval is of the difference itself, not two intervals side by side).
 */
export function PairedDifferences({ comparison, a, b, onRetry }: { comparison: Loadable<RunComparison>; a: RunSummary; b: RunSummary; onRetry: () => void }) {
  return (
    <Card title={`Paired difference: ${b.name} − ${a.name}`} className="paired-differences" actions={comparison.status === 'ok' &&
      <ExportButtons name={`${fileStem(b.name)}-minus-${fileStem(a.name)}`} what="the paired differences" figure={{
        panels: () => [{ chart: <PassAtKChart size="small" difference legend={false} yLabel="difference in pass@k" title={`pass@k of ${b.name} minus ${a.name}`} series={differenceSeries(comparison.value, a, b)} level={0.95} /> }],
        legend: curveLegend(differenceSeries(comparison.value, a, b)),
        note: `pass@k of ${b.name} minus ${a.name} over the ${comparison.value.sharedProblems} problems both runs have; above 0: ${b.name} solves more. Bands: 95% paired bootstrap intervals of the difference.`,
      }} csv={() => comparisonCsv(comparison.value)} json={() => comparison.value} />}>
      <Loaded data={{ ...comparison, reload: onRetry }} what="the paired comparison" hint="Runs compare over the problems they share: two runs of one benchmark.">
        {(c) => {
          const series = differenceSeries(c, a, b);
          return (
            <>
              <p className="muted small">
                Over the {integer(c.sharedProblems)} problems both runs have{c.onlyA + c.onlyB > 0 ? ` (left out: ${integer(c.onlyA)} only in ${a.name}, ${integer(c.onlyB)} only in ${b.name})` : ''};
                models matched {c.pairs.every((p) => p.matchedBy === 'id') ? 'by id' : 'by role'}. Above 0: {b.name} solves more. Bands: 95% paired bootstrap intervals of the difference.
              </p>
              {/* compareRuns draws its intervals at 95% (RunComparison carries no level). */}
              <PassAtKChart size="small" difference yLabel="difference in pass@k" title={`pass@k of ${b.name} minus ${a.name}, per matched model, with paired intervals`} series={series} level={0.95} />
            </>
          );
        }}
      </Loaded>
    </Card>
  );
}

/** The numbers of the paired comparison, full width (three columns per matched pair); nothing until they come. */
export function DifferenceTable({ comparison, a, b }: { comparison: Loadable<RunComparison>; a: RunSummary; b: RunSummary }) {
  if (comparison.status !== 'ok') return null;
  const c = comparison.value;
  const role = (run: RunSummary, model: string): Role => run.models.find((m) => m.id === model)?.role ?? 'other';
  const holm = holmSurvivors(c);
  const excluding = c.pairs.flatMap((p) => p.points).filter((x) => x.ci[0] > 0 || x.ci[1] < 0).length;
  return (
    <Card title={`${b.name} − ${a.name}, the numbers`}>
      <p className="muted small comparisons-note" data-testid="comparisons-note">
        {counted(holm.count, 'comparison')} ({counted(c.pairs.length, 'matched pair')} × {counted(c.ks.length, 'value')} of k).{' '}
        {holm.survivors === 0 ? 'No difference survives' : `Set in bold: the ${holm.survivors === 1 ? 'one difference that survives' : `${holm.survivors} differences that survive`}`} Holm's correction for these {holm.count} comparisons (family-wise error 5 %: the chance of any false claim among them){holm.survivors === 0 ? ', so none is set in bold' : ''}{excluding > holm.survivors ? `; ${excluding} of the ${holm.count} intervals exclude 0 before the correction` : ''}.
        Holm rather than Benjamini–Hochberg: pass@k at neighbouring k are strongly dependent, and Holm holds under any dependence.
      </p>
      <div className="table-scroll">
        <table className="table compact fit group-table" data-testid="difference-table">
          <caption>pass@k over the shared problems: {a.name}, {b.name}, and b − a with its 95% paired interval</caption>
          <thead>
            <tr>
              <th scope="col">model</th><th scope="col" className="num">k</th>
              <th scope="col" className="num">{a.name}</th><th scope="col" className="num">{b.name}</th><th scope="col" className="num">b − a [95% paired interval]</th>
            </tr>
          </thead>
          <tbody>
            {c.pairs.flatMap((p) => p.points.map((x, i) => {
              // Bold only where the difference survives Holm's correction over every comparison shown: a
              // bare 95% interval off 0 among many k would be one false claim in twenty.
              const clear = holm.rejected.get(`${p.modelA}/${p.modelB}/${x.k}`) === true;
              return (
                <tr key={`${p.modelA}/${p.modelB}/${x.k}`} className={i === 0 ? 'group-start' : undefined}>
                  {i === 0 && <th scope="rowgroup" rowSpan={p.points.length}><RoleChip role={role(b, p.modelB)} model={p.matchedBy === 'id' ? p.modelB : `${p.modelA} → ${p.modelB}`} /></th>}
                  <th scope="row" className="num">{x.k}</th>
                  <td className="num">{fixed3(x.a)}</td>
                  <td className="num">{fixed3(x.b)}</td>
                  <td className={clear ? 'num difference clear' : 'num difference'} data-pair={`${p.modelA}/${p.modelB}`} data-k={x.k}>
                    <span className="value">{signed3(x.difference)}</span> <span className="muted interval">[{signed3(x.ci[0])}, {signed3(x.ci[1])}]</span>
                  </td>
                </tr>
              );
            }))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
