import type { RunAnalysis } from '../../../../core/protocol/run-analysis-schema.ts';
import type { RunSummary } from '../../../../core/protocol/ui-protocol.ts';
import { curveLegend, type FigureSpec } from '../../charts/chart-export.tsx';
import { ExportButtons } from '../../charts/export-buttons.tsx';
import { PassAtKChart } from '../../charts/pass-at-k-chart.tsx';
import { runHref } from '../../routes.ts';
import { counted, fixed3, interval3 } from '../../ui/format.ts';
import { Empty } from '../../ui/states.tsx';
import { Card, RoleChip } from '../../ui/widgets.tsx';
import { inRunOrder, ksOf, labelsCsv, modelSeries } from './analysis-data.ts';
import { fileStem } from './report-data.ts';

type Labels = NonNullable<RunAnalysis['labels']>;
type LabelModels = Labels['plain']['models'];

const labelSeries = (plain: LabelModels, validOnly: LabelModels) => [
  ...plain.map((m) => modelSeries(m, 'plain', { label: `${m.model} (${m.role})` })),
  ...validOnly.map((m) => modelSeries(m, 'valid', { label: `${m.model}, valid chains only`, dashed: true })),
];

function labelsFigure(run: RunSummary, labels: Labels, plain: LabelModels, validOnly: LabelModels): FigureSpec {
  return {
    panels: (width) => [{ chart: <PassAtKChart size={width === 'column' ? 'small' : 'full'} legend={false} level={labels.plain.level} title="pass@k, valid chains only" series={labelSeries(plain, validOnly)} /> }],
    legend: curveLegend(labelSeries(plain, validOnly)),
    note: `pass@k on the ${labels.problems} labelled problems: solid, every correct sample; dashed, correct and labelled valid. Bands: ${Math.round(labels.plain.level * 100)}% paired bootstrap intervals (run ${run.name}).`,
  };
}

/**
 * pass@k counting only chains labelled valid, beside the plain pass@k, on the problems some
 * label touches (the paper read chains by hand to check that correct answers at large k
 * come from valid reasoning). Both reports are the coordinator's, with one set of draws.
 */
export function LabelsSection({ run, analysis }: { run: RunSummary; analysis: RunAnalysis }) {
  const labels = analysis.labels;
  const plain = labels ? inRunOrder(analysis, labels.plain.models, (m) => [m.model]) : [];
  const validOnly = labels ? inRunOrder(analysis, labels.validOnly.models, (m) => [m.model]) : [];
  return (
    <Card title="Valid chains only" className="labels" actions={labels &&
      <ExportButtons name={`${fileStem(run.name)}-valid-chains`} what="pass@k of valid chains" figure={labelsFigure(run, labels, plain, validOnly)} csv={() => labelsCsv(labels)} json={() => ({ run: run.name, runId: run.id, ...labels })} />}>
      {labels === null
        ? <Empty title="No chain is labelled yet">Label chains of thought valid, invalid or unsure in the <a href={runHref(run.id, 'problems')}>Problems</a> tab (or with <code>passk label</code>); pass@k counting valid chains only then appears here beside the plain one.</Empty>
        : (
          <>
            <p className="muted small">
              {counted(labels.labelled, 'sample')} labelled on {counted(labels.problems, 'problem')}. Solid: every correct sample counts; dashed: a sample counts only if it is correct <em>and</em> labelled valid (a lower bound on answers right for the right reason).
              {' '}{labels.correctUnlabelled === 0 ? 'Every correct sample on these problems is labelled.' : <>{counted(labels.correctUnlabelled, 'correct sample')} on these problems {labels.correctUnlabelled === 1 ? 'carries' : 'carry'} no label: {labels.correctUnlabelled === 1 ? 'it counts' : 'they count'} only in the solid curves.</>}
            </p>
            <PassAtKChart title={`pass@k on the ${labels.problems} labelled problems, every correct sample and valid chains only`} level={labels.plain.level}
              series={labelSeries(plain, validOnly)} />
            <div className="table-scroll">
              <table className="table compact fit group-table" data-testid="labels-table">
                <caption>pass@k on the labelled problems, with {Math.round(labels.plain.level * 100)}% intervals</caption>
                <thead>
                  <tr><th scope="col">model</th><th scope="col" className="num">k</th><th scope="col" className="num">every correct sample</th><th scope="col" className="num">valid chains only</th></tr>
                </thead>
                <tbody>
                  {plain.flatMap((m) => {
                    const valid = labels.validOnly.models.find((v) => v.model === m.model);
                    const ks = ksOf(m);
                    return ks.map((k, i) => (
                      <tr key={`${m.model}/${k}`} className={i === 0 ? 'group-start' : undefined}>
                        {i === 0 && <th scope="rowgroup" rowSpan={ks.length}><RoleChip role={m.role} model={m.model} /></th>}
                        <th scope="row" className="num">{k}</th>
                        {[['all', m] as const, ['valid', valid] as const].map(([counting, summary]) => summary?.passAtK[String(k)] === undefined
                          ? <td key={counting} className="num muted">—</td>
                          : <td key={counting} className="num" data-model={m.model} data-k={k} data-counting={counting}>
                            <span className="value">{fixed3(summary.passAtK[String(k)])}</span> <span className="muted interval">{interval3(summary.ci[String(k)])}</span>
                          </td>)}
                      </tr>
                    ));
                  })}
                </tbody>
              </table>
            </div>
          </>
        )}
    </Card>
  );
}
