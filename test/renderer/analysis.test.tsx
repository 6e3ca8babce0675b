// @vitest-environment happy-dom
// Component tests of the analysis on the Results, Problems and Compare screens against a real
// `passk coordinator` process: a run of the bundled trio whose spec scores answers under the
// base model (perplexity), with a labelled chain; a second run of the same problems (compare);
// and counts imported from another tool (no levels, no texts, no scores: the empty states).
// Every number the screens show is checked against the coordinator's own answer.
import { cleanup, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunAnalysis, RunComparison } from '../../src/core/protocol/run-analysis-schema.ts';
import type { RunSummary } from '../../src/core/protocol/ui-protocol.ts';
import { ClientProvider } from '../../src/renderer/src/client/client-context.tsx';
import { connectCoordinator, type CoordinatorClient } from '../../src/renderer/src/client/coordinator-client.ts';
import { emptyProblemsQuery } from '../../src/renderer/src/routes.ts';
import { holmSurvivors } from '../../src/renderer/src/screens/compare-differences.tsx';
import { CompareScreen } from '../../src/renderer/src/screens/compare-screen.tsx';
import { AnalysisSections } from '../../src/renderer/src/screens/results/analysis-sections.tsx';
import { perplexity } from '../../src/renderer/src/screens/results/perplexity-section.tsx';
import { RunPage } from '../../src/renderer/src/screens/run-page.tsx';
import { signed3 } from '../../src/renderer/src/ui/format.ts';
import { freePort, PASSK, passkRunJson, startCoordinator, tempDir, type CoordinatorProcess } from '../support/lab.ts';

let coordinator: CoordinatorProcess;
let client: CoordinatorClient;
const runs: Record<'scored' | 'second' | 'counts', RunSummary> = {} as never;
let analysis: RunAnalysis;
let comparison: RunComparison;
const notify = () => {};
// Each screen asks a real coordinator process; on a loaded 2-core machine its answers can take
// longer than testing-library's default 1 s wait (the values checked are the same).
configure({ asyncUtilTimeout: 10_000 });

const ui = (node: React.ReactNode) => render(<ClientProvider client={client}>{node}</ClientProvider>);
const results = (run: RunSummary) => <RunPage route={{ screen: 'run', runId: run.id, tab: 'results', problems: emptyProblemsQuery() }} bridge={null} notify={notify} />;
const must = <T,>(answer: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!answer.ok) throw new Error(answer.error);
  return answer.value;
};
const num = (el: Element, attr: string) => Number(el.getAttribute(attr));

beforeAll(async () => {
  const dataDir = tempDir('analysis');
  const models = `${process.cwd()}/resources/models`;
  const spec = join(tempDir('spec'), 'scored.json');
  writeFileSync(spec, JSON.stringify({
    name: 'scored', benchmark: { bundled: 'chain-arithmetic' }, limit: 6,
    models: ['base', 'rl', 'distilled'].map((role) => ({ folder: `${models}/${role}`, role })),
    sampling: { n: 8, maxNewTokens: 48, seed: 5 },
    scoring: [{ answers: 'base', under: 'base' }, { answers: 'rl', under: 'base' }],
  }));
  const common = ['--data-dir', dataDir, '--local-workers', '1', '--slots', '2'];
  const scored = passkRunJson([spec, ...common]);
  expect(scored.status, scored.stderr).toBe(0);
  // The same six problems, drawn again with another seed by base and RL: a run to compare with.
  const second = passkRunJson(['--limit', '6', '--n', '8', '--max-new-tokens', '48', '--seed', '9', '--name', 'second', '--model', `base=${models}/base`, '--model', `rl=${models}/rl`, ...common]);
  expect(second.status, second.stderr).toBe(0);
  const counts = join(tempDir('counts'), 'counts.jsonl');
  writeFileSync(counts, ['{"model":"base","role":"base","problem":"q1","n":8,"c":2}', '{"model":"base","role":"base","problem":"q2","n":8,"c":0}',
    '{"model":"rl","role":"rl","problem":"q1","n":8,"c":6}', '{"model":"rl","role":"rl","problem":"q2","n":8,"c":1}'].join('\n') + '\n');
  const imported = spawnSync(process.execPath, [...PASSK, 'import', '--format', 'counts', '--input', counts, '--name', 'counts-only', '--data-dir', dataDir], { encoding: 'utf8' });
  expect(imported.status, imported.stderr).toBe(0);

  coordinator = await startCoordinator(dataDir, await freePort());
  client = connectCoordinator({ url: coordinator.url, token: coordinator.uiToken });
  const list = must(await client.request('runs:list', {}));
  for (const name of ['scored', 'second', 'counts-only'] as const) runs[name === 'counts-only' ? 'counts' : name] = list.find((r) => r.name === name)!;
  // One chain labelled valid: the valid-only pass@k appears.
  const problem = must(await client.request('run:problems', { runId: runs.scored.id, solvedBy: ['base'], limit: 1 })).rows[0];
  const correct = must(await client.request('run:samples', { runId: runs.scored.id, problemId: problem.id, modelId: 'base', verdict: 'correct', limit: 1 })).rows[0];
  must(await client.request('sample:label', { runId: runs.scored.id, problemId: problem.id, modelId: 'base', index: correct.index, label: 'valid' }));
  analysis = must(await client.request('run:analysis', { runId: runs.scored.id }));
  comparison = must(await client.request('runs:compare', { a: runs.scored.id, b: runs.second.id }));
}, 240_000);

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

afterAll(async () => {
  client?.close();
  await coordinator?.kill('SIGTERM');
});

describe('Results: the analysis', () => {
  it('draws pass@k per level as small multiples and tabulates it, value for value', async () => {
    ui(results(runs.scored));
    await screen.findByTestId('by-level-table');
    const byLevel = analysis.byLevel!;
    expect(byLevel.groups.length).toBeGreaterThan(1);
    expect([...document.querySelectorAll('section.small-multiple')].map((s) => s.getAttribute('data-group'))).toEqual(byLevel.groups.map((g) => g.group));
    for (const g of byLevel.groups) {
      const panel = document.querySelector(`section.small-multiple[data-group="${g.group}"]`)!;
      expect(within(panel as HTMLElement).getByText(`${g.problems} problem${g.problems === 1 ? '' : 's'}`)).toBeTruthy();
      for (const m of g.models) {
        const points = [...panel.querySelectorAll(`[data-series="level-${g.group}/${m.model}"] circle`)];
        const ks = Object.keys(m.passAtK).map(Number).sort((a, b) => a - b);
        expect(points.map((p) => [num(p, 'data-k'), num(p, 'data-value'), num(p, 'data-lo'), num(p, 'data-hi')])).toEqual(ks.map((k) => [k, m.passAtK[k], ...m.ci[k]]));
        const cell = document.querySelector(`[data-testid="by-level-table"] td[data-group="${g.group}"][data-model="${m.model}"][data-k="1"]`)!;
        expect(cell.querySelector('.value')!.textContent).toBe(m.passAtK['1'].toFixed(3));
      }
    }
    // The panel's name opens that level's problems.
    expect(within(document.querySelector('section.small-multiple')! as HTMLElement).getByRole('link').getAttribute('href')).toBe(`#/runs/${runs.scored.id}/problems?level=${byLevel.groups[0].group}`);
    fireEvent.click(screen.getByRole('radio', { name: 'By subject' }));
    expect(screen.getByText('No subjects in this run')).toBeTruthy();
  });

  it('shows perplexity as box plots and a table, and a pair\'s median, interval and quartiles from the keyboard', async () => {
    ui(results(runs.scored));
    const table = await screen.findByTestId('perplexity-table');
    expect(analysis.perplexity.pairs.map((p) => [p.scorer, p.model])).toEqual([['base', 'base'], ['base', 'rl']]);
    for (const p of analysis.perplexity.pairs) {
      const row = document.querySelector(`g[data-row="${p.scorer}/${p.model}"]`)!;
      expect([num(row, 'data-value'), num(row, 'data-lo'), num(row, 'data-hi')]).toEqual([p.median, ...p.medianCi]);
      const line = table.querySelector(`tr[data-scorer="${p.scorer}"][data-model="${p.model}"]`)!;
      expect(line.textContent).toContain(`${perplexity(p.median)} [${perplexity(p.medianCi[0])}, ${perplexity(p.medianCi[1])}]`);
      expect(line.textContent).toContain(perplexity(p.quantiles.q90));
    }
    const chart = screen.getByRole('img', { name: /^Perplexity of each model's answers/ });
    fireEvent.keyDown(chart, { key: 'ArrowDown' });
    fireEvent.keyDown(chart, { key: 'ArrowDown' });
    const rl = analysis.perplexity.pairs[1];
    const tooltip = (await screen.findByText("rl's answers under base", { selector: '.tooltip-title' })).parentElement!;
    expect(tooltip.textContent).toContain(`median ${perplexity(rl.median)} [${perplexity(rl.medianCi[0])}, ${perplexity(rl.medianCi[1])}]`);
    expect(tooltip.textContent).toContain(`25% ${perplexity(rl.quantiles.q25)}`);
  });

  it('shows answer diversity with intervals, guessed answers and valid-chain pass@k as the analysis gives them', async () => {
    ui(results(runs.scored));
    const diversity = await screen.findByTestId('diversity-table');
    expect(analysis.diversity).toHaveLength(3);
    for (const d of analysis.diversity) {
      for (const field of ['answers', 'chains'] as const) {
        expect(diversity.querySelector(`tr[data-model="${d.model}"] td[data-field="${field}"] .value`)!.textContent).toBe(d[field].mean.toFixed(2));
        const row = document.querySelector(`g[data-row="${field}/${d.model}"]`)!;
        expect([num(row, 'data-value'), num(row, 'data-lo'), num(row, 'data-hi')]).toEqual([d[field].mean, ...d[field].ci]);
      }
    }
    if (analysis.fallback.length === 0) expect(screen.getByText('No guessed answers')).toBeTruthy();
    else for (const f of analysis.fallback) expect(screen.getByTestId('fallback-table').querySelector(`tr[data-model="${f.model}"]`)!.textContent).toContain(`${f.verdicts}${f.correct}`);

    const labels = analysis.labels!;
    expect(labels.labelled).toBe(1);
    const table = screen.getByTestId('labels-table');
    for (const [counting, report] of [['all', labels.plain], ['valid', labels.validOnly]] as const) {
      for (const m of report.models) {
        for (const k of report.ks) expect(table.querySelector(`td[data-model="${m.model}"][data-k="${k}"][data-counting="${counting}"] .value`)!.textContent).toBe(m.passAtK[k].toFixed(3));
      }
    }
    expect(screen.getByText(/^1 sample labelled on 1 problem\./)).toBeTruthy();
  });

  it('shows how the run was made: the sampling seed, each model\'s folder with its sha256, and its resolved settings and prompt', async () => {
    ui(results(runs.scored));
    const table = await screen.findByTestId('run-config-table', {}, { timeout: 60_000 });
    expect(screen.getByRole('link', { name: 'Clone as new experiment' }).getAttribute('href')).toBe(`#/new?from=${runs.scored.id}`);
    expect(screen.getByText('sampling seed').nextElementSibling!.textContent).toBe(analysis.run.seed);
    expect(analysis.run.models).toHaveLength(3);
    for (const m of analysis.run.models) {
      const row = table.querySelector(`tr[data-model="${m.id}"]`)!;
      expect(row.textContent).toContain(m.folder);
      expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(row.querySelector('.digest')!.getAttribute('title')).toBe(m.sha256);
      const settings = m.settings!;
      expect(row.querySelector('td[data-field="maxNewTokens"]')!.textContent).toBe('48');
      for (const field of ['temperature', 'topP', 'topK', 'maxNewTokens'] as const) expect(row.querySelector(`td[data-field="${field}"]`)!.textContent).toBe(String(settings[field]));
      expect(row.querySelector('td[data-field="prompt"]')!.textContent).toContain((m.prompt as { format: string }).format);
    }
  });

  it('says what is missing for a run imported as counts: no levels, the analysis\' own note on perplexity, no texts, no labels', async () => {
    const imported = must(await client.request('run:analysis', { runId: runs.counts.id }));
    ui(results(runs.counts));
    expect(await screen.findByText('No levels in this run')).toBeTruthy();
    expect(screen.getByText(imported.perplexity.note!)).toBeTruthy();
    expect(imported.perplexity.note).toMatch(/^no scoring pairs in the spec: /);
    expect(screen.getByText('No sample texts to count')).toBeTruthy();
    expect(screen.getByText('No guessed answers')).toBeTruthy();
    expect(screen.getByText('No chain is labelled yet')).toBeTruthy();
    expect(screen.queryByText(/not served yet/)).toBeNull();
  });

  it('says it is loading in each section, and shows the coordinator\'s error once, with a way to retry', async () => {
    ui(<AnalysisSections run={runs.scored} />);
    expect(screen.getAllByText(/^Loading the /).map((el) => el.textContent)).toEqual(
      ['Loading the pass@k per level…', 'Loading the perplexity…', 'Loading the answer diversity…', 'Loading the guessed answers…', 'Loading the valid chains only…']);
    await screen.findByTestId('by-level-table');
    cleanup();
    ui(<AnalysisSections run={{ ...runs.scored, id: 'no-such-run', name: 'ghost' }} />);
    expect(await screen.findByText('no run "no-such-run"')).toBeTruthy();
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});

describe('Problem browser: levels', () => {
  it('lists each problem\'s level and keeps to one level when asked', async () => {
    const groups = must(await client.request('run:problem-groups', { runId: runs.scored.id }));
    const level = groups.levels[1].name;
    const page = must(await client.request('run:problems', { runId: runs.scored.id, level }));
    ui(<RunPage route={{ screen: 'run', runId: runs.scored.id, tab: 'problems', problems: { ...emptyProblemsQuery(), level } }} bridge={null} notify={notify} />);
    const list = await screen.findByRole('listbox', { name: 'Problems' });
    await within(list).findByText(page.rows[0].id);
    expect(screen.getByText(`${page.total} problems`)).toBeTruthy();
    expect(within(list).getAllByTitle(`level ${level}`)).toHaveLength(page.total);
    const select = screen.getByRole('combobox', { name: 'Level' }) as HTMLSelectElement;
    expect(select.value).toBe(level);
    expect([...select.options].map((o) => o.textContent)).toEqual([`any (${runs.scored.problems})`, ...groups.levels.map((l) => `${l.name} (${l.problems})`)]);
    fireEvent.change(select, { target: { value: groups.levels[0].name } });
    expect(window.location.hash).toBe(`#/runs/${runs.scored.id}/problems?level=${groups.levels[0].name}`);
  });
});

describe('Compare: paired differences', () => {
  it('shows b − a with its paired interval per k and matched model beside the curves, as runs:compare gives them', async () => {
    ui(<CompareScreen a={runs.scored.id} b={runs.second.id} />);
    const table = await screen.findByTestId('difference-table');
    expect(comparison.pairs.map((p) => [p.modelA, p.modelB, p.matchedBy])).toEqual([['base', 'base', 'id'], ['rl', 'rl', 'id']]);
    for (const p of comparison.pairs) {
      const points = [...document.querySelectorAll(`[data-series="diff/${p.modelA}/${p.modelB}"] circle`)];
      expect(points.map((c) => [num(c, 'data-k'), num(c, 'data-value'), num(c, 'data-lo'), num(c, 'data-hi')])).toEqual(p.points.map((x) => [x.k, x.difference, ...x.ci]));
      for (const x of p.points) {
        expect(table.querySelector(`td[data-pair="${p.modelA}/${p.modelB}"][data-k="${x.k}"]`)!.textContent).toBe(`${signed3(x.difference)} [${signed3(x.ci[0])}, ${signed3(x.ci[1])}]`);
      }
    }
    expect(screen.getByText(new RegExp(`^Over the ${comparison.sharedProblems} problems both runs have`))).toBeTruthy();
    // Bold only where Holm's correction over every comparison shown keeps the difference; the note says how many.
    const holm = holmSurvivors(comparison);
    const cells = comparison.pairs.flatMap((p) => p.points.map((x) => ({ p, x })));
    expect(holm.count).toBe(cells.length);
    for (const { p, x } of cells) {
      const cell = table.querySelector(`td[data-pair="${p.modelA}/${p.modelB}"][data-k="${x.k}"]`)!;
      expect(cell.classList.contains('clear'), `${p.modelA} k=${x.k} p=${x.p}`).toBe(holm.rejected.get(`${p.modelA}/${p.modelB}/${x.k}`));
      if (!(x.ci[0] > 0 || x.ci[1] < 0)) expect(cell.classList.contains('clear')).toBe(false);
    }
    expect(screen.getByTestId('comparisons-note').textContent).toMatch(new RegExp(`^${cells.length} comparisons \\(2 matched pairs × ${comparison.ks.length} values of k\\)\\. ${holm.survivors === 0 ? 'No difference survives' : 'Set in bold: the'}`));
  });

  it('says why when two runs share no problem, and still overlays their curves', async () => {
    ui(<CompareScreen a={runs.scored.id} b={runs.counts.id} />);
    expect(await screen.findByText(/share no problem: compare runs of one benchmark/)).toBeTruthy();
    await waitFor(() => expect(document.querySelectorAll('.compare-figures .chart-svg circle').length).toBeGreaterThan(0));
  });
});
