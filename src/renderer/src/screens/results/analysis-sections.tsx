import { useEffect, useRef } from 'react';
import type { RunAnalysis } from '../../../../core/protocol/run-analysis-schema.ts';
import type { RunSummary } from '../../../../core/protocol/ui-protocol.ts';
import { markLegend } from '../../charts/chart-export.tsx';
import { ExportButtons } from '../../charts/export-buttons.tsx';
import { RunConfigSection } from './run-config-section.tsx';
import { IntervalRowsChart } from '../../charts/interval-rows-chart.tsx';
import { useRequest } from '../../client/client-context.tsx';
import { fixed2, integer, upTo2 } from '../../ui/format.ts';
import { Empty, ErrorNotice, Loading } from '../../ui/states.tsx';
import { Card, RoleChip } from '../../ui/widgets.tsx';
import { diversityCsv, inRunOrder, roleOf } from './analysis-data.ts';
import { GroupCurvesSection } from './group-curves-section.tsx';
import { LabelsSection } from './labels-section.tsx';
import { PerplexitySection } from './perplexity-section.tsx';
import { fileStem } from './report-data.ts';

const SECTIONS = ['pass@k per level', 'Perplexity', 'Answer diversity', 'Guessed answers', 'Valid chains only'];

/**
 * The rest of the paper's analysis (what `passk report` prints), from one `run:analysis`
 * request: per-level (and per-subject) curves, perplexity, answer diversity, guessed
 * answers and valid-chain pass@k. While it loads each section says so in its place, so
 * the page does not jump; one failure is shown once, since one request failed.
 */
export function AnalysisSections({ run, generation = 0 }: { run: RunSummary; generation?: number }) {
  const answer = useRequest('run:analysis', { runId: run.id });
  // Asked again when the results above are (the run ended, or Refresh): the old answer stays until the new one comes.
  const asked = useRef(generation);
  useEffect(() => {
    if (generation === asked.current) return;
    asked.current = generation;
    answer.reload();
  }, [generation, answer.reload]);
  if (answer.status === 'loading') {
    return <div className="analysis" aria-busy="true">{SECTIONS.map((title) => <Card key={title} title={title}><Loading what={`the ${title.toLowerCase()}`} /></Card>)}</div>;
  }
  if (answer.status === 'error') {
    return (
      <Card title="Per-level curves, perplexity, diversity, labels" className="analysis">
        <ErrorNotice title="Could not compute the rest of the analysis" error={answer.error} onRetry={answer.reload}
          hint={<>The figures above do not depend on it. <code>passk report {run.name} --out DIR</code> on the coordinator's machine computes the same analysis and says the same.</>} />
      </Card>
    );
  }
  const analysis = answer.value;
  return (
    <div className="analysis">
      <GroupCurvesSection run={run} analysis={analysis} />
      <PerplexitySection run={run} analysis={analysis} />
      <DiversitySection run={run} analysis={analysis} />
      <FallbackSection analysis={analysis} />
      <LabelsSection run={run} analysis={analysis} />
      <RunConfigSection analysis={analysis} />
    </div>
  );
}

/** Distinct final answers and distinct chains per problem per model, with intervals (the trio's card: RL narrowed 20 → 11 answers). */
export function DiversitySection({ run, analysis }: { run: RunSummary; analysis: RunAnalysis }) {
  const rows = inRunOrder(analysis, analysis.diversity, (d) => [d.model]);
  const role = roleOf(analysis);
  const chart = (field: 'answers' | 'chains', title: string, axisLabel: string) => (
    <IntervalRowsChart rows={rows.map((d) => ({ id: `${field}/${d.model}`, label: `${d.model} (${role(d.model)})`, role: role(d.model), value: d[field].mean, ci: d[field].ci }))}
      title={title} axisLabel={axisLabel} valueName="mean" format={fixed2} fromZero width={520} labelWidth={150} />
  );
  return (
    <Card title="Answer diversity" className="diversity" actions={rows.length > 0 &&
      <ExportButtons name={`${fileStem(run.name)}-diversity`} what="answer diversity" figure={{
        panels: () => [
          { title: 'Distinct final answers per problem', chart: chart('answers', 'Distinct final answers per problem', 'distinct extracted answers per problem') },
          { title: 'Distinct chains per problem', chart: chart('chains', 'Distinct chains of thought per problem', 'distinct texts per problem') },
        ],
        legend: markLegend(rows.map((d) => ({ label: `${d.model} (${role(d.model)})`, role: role(d.model) })), 'point'),
        note: `Mean per problem over the ${rows[0]?.problems ?? 0} problems every model has, with 95% bootstrap intervals over problems (run ${run.name}).`,
      }} csv={() => diversityCsv(rows)} json={() => ({ run: run.name, runId: run.id, diversity: rows })} />}>
      {rows.length === 0
        ? <Empty title="No sample texts to count">This run holds verdicts without the samples' texts (an import of counts), so there are no answers or chains to tell apart.</Empty>
        : (
          <>
            <p className="muted small">Mean per problem over the {integer(rows[0].problems)} problems every model has, with 95% bootstrap intervals over problems. Distinct counts grow with the samples drawn: compare models at equal n.</p>
            <div className="grid-2">
              <section aria-label="Distinct final answers per problem">
                <h3>Distinct final answers per problem</h3>
                {chart('answers', 'Distinct final answers per problem, mean with 95% interval', 'distinct extracted answers per problem')}
              </section>
              <section aria-label="Distinct chains per problem">
                <h3>Distinct chains per problem</h3>
                {chart('chains', 'Distinct chains of thought per problem, mean with 95% interval', 'distinct texts per problem')}
              </section>
            </div>
            <div className="table-scroll">
              <table className="table compact fit" data-testid="diversity-table">
                <caption>Answer diversity per model</caption>
                <thead><tr><th scope="col">model</th><th scope="col" className="num">samples per problem</th><th scope="col" className="num">distinct answers [95%]</th><th scope="col" className="num">distinct chains [95%]</th></tr></thead>
                <tbody>
                  {rows.map((d) => (
                    <tr key={d.model} data-model={d.model}>
                      <td><RoleChip role={role(d.model)} model={d.model} /></td>
                      <td className="num">{upTo2(d.samples)}</td>
                      <td className="num" data-field="answers"><span className="value">{fixed2(d.answers.mean)}</span> <span className="muted interval">[{fixed2(d.answers.ci[0])}, {fixed2(d.answers.ci[1])}]</span></td>
                      <td className="num" data-field="chains"><span className="value">{fixed2(d.chains.mean)}</span> <span className="muted interval">[{fixed2(d.chains.ci[0])}, {fixed2(d.chains.ci[1])}]</span></td>
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

/** Math verdicts that found no stated answer and judged the last number in the text: a guess, counted per model. */
export function FallbackSection({ analysis }: { analysis: RunAnalysis }) {
  const role = roleOf(analysis);
  const rows = inRunOrder(analysis, analysis.fallback, (f) => [f.model]);
  return (
    <Card title="Guessed answers" className="fallback">
      {rows.length === 0
        ? <Empty title="No guessed answers">{analysis.run.verifier === 'math'
          ? 'Every math verdict read an answer the response stated; none fell back to the last number in the text.'
          : `A ${analysis.run.verifier} verifier runs the answer; it never guesses one.`}</Empty>
        : (
          <>
            <p className="muted small">Verdicts on responses that stated no final answer, judged on the last number in the text instead. Where many are judged correct, part of pass@k comes from guesses.</p>
            <table className="table compact fit" data-testid="fallback-table">
              <caption>Guessed answers per model</caption>
              <thead><tr><th scope="col">model</th><th scope="col" className="num">verdicts on a guess</th><th scope="col" className="num">of them judged correct</th></tr></thead>
              <tbody>
                {rows.map((f) => (
                  <tr key={f.model} data-model={f.model}>
                    <td><RoleChip role={role(f.model)} model={f.model} /></td>
                    <td className="num">{integer(f.verdicts)}</td>
                    <td className="num">{integer(f.correct)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
    </Card>
  );
}
