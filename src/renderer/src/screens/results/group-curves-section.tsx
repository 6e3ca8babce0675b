import { useState } from 'react';
import type { RunAnalysis } from '../../../../core/protocol/run-analysis-schema.ts';
import type { RunSummary } from '../../../../core/protocol/ui-protocol.ts';
import { curveLegend, type FigureSpec } from '../../charts/chart-export.tsx';
import { ExportButtons } from '../../charts/export-buttons.tsx';
import { PassAtKChart } from '../../charts/pass-at-k-chart.tsx';
import { runHref } from '../../routes.ts';
import { counted, fixed3, integer, interval3 } from '../../ui/format.ts';
import { Empty } from '../../ui/states.tsx';
import { Card, RoleChip } from '../../ui/widgets.tsx';
import { groupsCsv, lastSharedK, modelSeries, sharedRange, type Grouped } from './analysis-data.ts';
import { fileStem } from './report-data.ts';

type Kind = 'level' | 'subject';

/**
 * pass@k per difficulty level (or subject) as small multiples on one y range, with a table
 * of each group's pass@1 and its curve's end. The groups and their curves are the
 * coordinator's (the same computation as the whole run, on each group's problems).
 */
export function GroupCurvesSection({ run, analysis }: { run: RunSummary; analysis: RunAnalysis }) {
  const [kind, setKind] = useState<Kind>(analysis.byLevel === null && analysis.bySubject !== null ? 'subject' : 'level');
  const grouped = kind === 'level' ? analysis.byLevel : analysis.bySubject;
  return (
    <Card title={`pass@k per ${kind}`} className="group-curves" actions={
      <>
        <div className="segmented" role="radiogroup" aria-label="Group the problems by">
          {(['level', 'subject'] as const).map((k) => (
            <label key={k} className={k === kind ? 'segment current' : 'segment'}>
              <input type="radio" name={`group-kind-${run.id}`} value={k} checked={k === kind} onChange={() => setKind(k)} />
              {k === 'level' ? 'By level' : 'By subject'}
            </label>
          ))}
        </div>
        {grouped && <ExportButtons name={`${fileStem(run.name)}-pass-at-k-by-${kind}`} what={`pass@k per ${kind}`} figure={groupFigure(run, kind, grouped, analysis.stats.level)} csv={() => groupsCsv(kind, grouped)} json={() => ({ run: run.name, runId: run.id, by: kind, ...grouped })} />}
      </>
    }>
      {grouped === null || grouped.groups.length === 0
        ? <Empty title={`No ${kind}s in this run`}>The benchmark gives its problems no {kind}{kind === 'level' ? ' (a `level` or `difficulty` field)' : ' (a `subject` or `type` field)'}, so there is nothing to split by.</Empty>
        : <GroupCurves run={run} kind={kind} grouped={grouped} level={analysis.stats.level} />}
    </Card>
  );
}

/** The small multiples as one figure: a panel per group on the shared y range, one legend for all. */
function groupFigure(run: RunSummary, kind: Kind, grouped: Grouped, level: number): FigureSpec {
  const range = sharedRange(grouped.groups);
  return {
    panels: () => grouped.groups.map((g) => ({
      title: `${kind === 'level' ? `Level ${g.group}` : g.group} (${counted(g.problems, 'problem')})`,
      chart: <PassAtKChart size="small" legend={false} yRange={range} level={level} title={`pass@k, ${kind} ${g.group}`} series={g.models.map((m) => modelSeries(m, `${kind}-${g.group}`))} />,
    })),
    legend: curveLegend(grouped.groups[0]?.models.map((m) => modelSeries(m, 'legend')) ?? []),
    note: `pass@k per ${kind}, each panel on that ${kind}'s problems alone; bands: ${Math.round(level * 100)}% paired bootstrap intervals; one y axis for all panels (run ${run.name}).`,
  };
}

function GroupCurves({ run, kind, grouped, level }: { run: RunSummary; kind: Kind; grouped: Grouped; level: number }) {
  const range = sharedRange(grouped.groups);
  const models = grouped.groups[0].models;
  const link = (group: string) => runHref(run.id, 'problems', kind === 'level' ? { level: group } : { subject: group });
  const ends = grouped.groups.map(lastSharedK);
  const oneEnd = ends.every((k) => k === ends[0]) ? ends[0] : null;
  return (
    <>
      <p className="muted small">
        Each panel is pass@k on that {kind}'s problems alone, with {Math.round(level * 100)}% paired bootstrap intervals over them; all panels share one y axis.
        {grouped.ungrouped > 0 && <> {counted(grouped.ungrouped, 'problem')} without a {kind} {grouped.ungrouped === 1 ? 'is' : 'are'} left out.</>}
      </p>
      <div className="small-multiples">
        {grouped.groups.map((g) => (
          <section key={g.group} className="small-multiple" data-group={g.group} aria-label={`${kind} ${g.group}`}>
            <h3><a href={link(g.group)}>{kind === 'level' ? `Level ${g.group}` : g.group}</a> <span className="muted small">{counted(g.problems, 'problem')}</span></h3>
            <PassAtKChart size="small" legend={false} yRange={range} level={level}
              title={`pass@k on the ${g.problems} problems of ${kind} ${g.group}`} series={g.models.map((m) => modelSeries(m, `${kind}-${g.group}`))} />
          </section>
        ))}
      </div>
      <div className="chart-legend">
        {models.map((m) => <span key={m.model} className={`legend-item role-${m.role}`}><span className="legend-line" aria-hidden="true" />{m.model} ({m.role})</span>)}
        <span className="legend-note muted">bands: {Math.round(level * 100)}% intervals; a panel's name opens its problems</span>
      </div>
      <div className="table-scroll">
        <table className="table compact fit group-table" data-testid={`by-${kind}-table`}>
          <caption>pass@1 and pass@{oneEnd ?? 'k'} per {kind}{oneEnd === null ? ' (k: the largest every model has there)' : ''}, with {Math.round(level * 100)}% intervals</caption>
          <thead>
            <tr><th scope="col">{kind}</th><th scope="col" className="num">problems</th><th scope="col">model</th><th scope="col" className="num">pass@1</th><th scope="col" className="num">pass@{oneEnd ?? 'k'}</th></tr>
          </thead>
          <tbody>
            {grouped.groups.flatMap((g, gi) => g.models.map((m, i) => {
              const end = ends[gi];
              const cell = (k: number | null) => k === null || m.passAtK[String(k)] === undefined
                ? <td className="num muted">—</td>
                : <td className="num" data-group={g.group} data-model={m.model} data-k={k}>{oneEnd === null && k !== 1 ? <span className="muted">k={k}: </span> : null}<span className="value">{fixed3(m.passAtK[String(k)])}</span> <span className="muted interval">{interval3(m.ci[String(k)])}</span></td>;
              return (
                <tr key={`${g.group}/${m.model}`} className={i === 0 ? 'group-start' : undefined}>
                  {i === 0 && <th scope="rowgroup" rowSpan={g.models.length}><a href={link(g.group)}>{g.group}</a></th>}
                  {i === 0 && <td className="num" rowSpan={g.models.length}>{integer(g.problems)}</td>}
                  <td><RoleChip role={m.role} model={m.model} /></td>
                  {cell(1)}
                  {cell(end)}
                </tr>
              );
            }))}
          </tbody>
        </table>
      </div>
    </>
  );
}
