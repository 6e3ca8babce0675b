// @vitest-environment happy-dom
// Component tests of the app's screens against a real `passk coordinator` process holding a
// run drawn by the bundled trio (no stand-in for the coordinator): each screen is rendered
// on its own, in a DOM, with the app's real client.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { statsReportSchema, type StatsReport } from '../../src/core/protocol/stats-report-schema.ts';
import { ClientProvider } from '../../src/renderer/src/client/client-context.tsx';
import { connectCoordinator, type CoordinatorClient } from '../../src/renderer/src/client/coordinator-client.ts';
import { emptyProblemsQuery } from '../../src/renderer/src/routes.ts';
import { archiveFiles } from '../../src/renderer/src/screens/archive-files.ts';
import { ArchiveScreen } from '../../src/renderer/src/screens/archive-screen.tsx';
import { ConnectionScreen } from '../../src/renderer/src/screens/connection-screen.tsx';
import type { ConnectionChoice, DesktopBridge } from '../../src/core/protocol/desktop-bridge.ts';
import { NewExperimentScreen } from '../../src/renderer/src/screens/new-experiment/new-experiment-screen.tsx';
import { RunPage } from '../../src/renderer/src/screens/run-page.tsx';
import { signed3 } from '../../src/renderer/src/ui/format.ts';
import { crossoverVerdict } from '../../src/core/stats/verdict.ts';
import { WorkersScreen } from '../../src/renderer/src/screens/workers-screen.tsx';
import { freePort, passkRunJson, startCoordinator, startWorker, tempDir, type CoordinatorProcess, type LabProcess } from '../support/lab.ts';

let coordinator: CoordinatorProcess;
let client: CoordinatorClient;
let runId = '';
let report: StatsReport;
const notices: string[] = [];
const notify = (message: string) => void notices.push(message);
const files = archiveFiles(null, () => null);

const ui = (node: React.ReactNode) => render(<ClientProvider client={client}>{node}</ClientProvider>);
const runRoute = (tab: 'progress' | 'results' | 'problems', problems = emptyProblemsQuery()) => ({ screen: 'run' as const, runId, tab, problems });

beforeAll(async () => {
  const dataDir = tempDir('screens');
  // A finished run of the bundled base / RL / distilled trio: 6 problems × n = 8.
  const run = passkRunJson(['--limit', '6', '--n', '8', '--max-new-tokens', '48', '--seed', '5', '--name', 'fixture', '--data-dir', dataDir, '--local-workers', '1', '--slots', '2']);
  expect(run.status, run.stderr).toBe(0);
  coordinator = await startCoordinator(dataDir, await freePort());
  client = connectCoordinator({ url: coordinator.url, token: coordinator.uiToken });
  const runs = await client.request('runs:list', {});
  if (!runs.ok) throw new Error(runs.error);
  runId = runs.value[0].id;
  const answer = await client.request('run:report', { runId });
  if (!answer.ok) throw new Error(answer.error);
  report = statsReportSchema.parse(answer.value.report);
}, 180_000);

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

afterAll(async () => {
  client?.close();
  await coordinator?.kill('SIGTERM');
});

describe('Results', () => {
  it('shows the coordinator\'s pass@k in the table and the curves, value for value', async () => {
    ui(<RunPage route={runRoute('results')} bridge={null} notify={notify} />);
    const table = await screen.findByTestId('passk-table');
    for (const m of report.models) {
      for (const k of report.ks) {
        const cell = table.querySelector(`td[data-model="${m.model}"][data-k="${k}"]`)!;
        expect(cell.querySelector('.value')!.textContent).toBe(m.passAtK[String(k)].toFixed(3));
        expect(cell.querySelector('.interval')!.textContent).toBe(`[${m.ci[String(k)][0].toFixed(3)}, ${m.ci[String(k)][1].toFixed(3)}]`);
      }
      const points = [...document.querySelectorAll(`[data-series="${m.model}"] circle`)];
      expect(points.map((p) => [Number(p.getAttribute('data-k')), Number(p.getAttribute('data-value'))])).toEqual(report.ks.map((k) => [k, m.passAtK[String(k)]]));
    }
    // The crossover and ΔSE as the report gives them.
    const pair = report.crossover.pairs[0];
    expect(screen.getByText(pair.k === null ? 'no crossover' : `crossover at k = ${pair.k}`)).toBeTruthy();
    // The plain verdict at the largest k (and at the crossover where it is another k), as crossoverVerdict reads the report.
    const verdict = crossoverVerdict(pair, report.level);
    const atKMax = document.querySelector(`[data-verdict="atKMax"][data-k="${pair.kMax}"]`)!;
    expect(atKMax.textContent).toContain(`${pair.base} − ${pair.rl} at k = ${pair.kMax}`);
    expect(atKMax.textContent).toContain(`${signed3(pair.atKMax!.difference)} [${signed3(pair.atKMax!.ci[0])}, ${signed3(pair.atKMax!.ci[1])}]`);
    expect(atKMax.querySelector('.boundary-reading')!.textContent).toBe(verdict.atKMax!.reading);
    expect(document.querySelectorAll('[data-verdict="atCrossover"]')).toHaveLength(pair.k !== null && pair.k !== pair.kMax ? 1 : 0);
    // Coverage counts link to the problem lists they count.
    const cov = report.coverage[0];
    const onlyA = screen.getByRole('link', { name: new RegExp(`^${cov.a} vs ${cov.b}: ${cov.onlyA.length} only ${cov.a} `) });
    expect(onlyA.getAttribute('href')).toBe(`#/runs/${runId}/problems?solved=${cov.a}&unsolved=${cov.b}`);
  });

  it('gives each model\'s value and interval at a k from the keyboard', async () => {
    ui(<RunPage route={runRoute('results')} bridge={null} notify={notify} />);
    await screen.findByTestId('passk-table');
    const chart = screen.getAllByRole('img')[0];
    fireEvent.keyDown(chart, { key: 'ArrowRight' });
    fireEvent.keyDown(chart, { key: 'ArrowRight' });
    const tooltip = await screen.findByText(`k = ${report.ks[1]}`);
    const box = tooltip.parentElement!;
    const base = report.models[0];
    expect(within(box).getByText(`${base.passAtK[String(report.ks[1])].toFixed(3)} [${base.ci[String(report.ks[1])][0].toFixed(3)}, ${base.ci[String(report.ks[1])][1].toFixed(3)}]`)).toBeTruthy();
  });
});

describe('Figure export', () => {
  it('exports pass@k as SVG and PDF with its legend, in the print theme even in the dark theme, at the width chosen', async () => {
    document.documentElement.setAttribute('data-theme', 'dark');
    const saved: { name: string; blob: Blob }[] = [];
    const create = URL.createObjectURL;
    const click = HTMLAnchorElement.prototype.click;
    let last: Blob | null = null;
    URL.createObjectURL = (blob: Blob) => { last = blob; return 'blob:test'; };
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) { saved.push({ name: this.download, blob: last! }); };
    try {
      ui(<RunPage route={runRoute('results')} bridge={null} notify={notify} />);
      await screen.findByTestId('passk-table');
      const group = screen.getByRole('group', { name: 'Export pass@k' });
      fireEvent.change(within(group.parentElement!).getByRole('combobox', { name: 'Figure width of pass@k' }), { target: { value: 'column' } });
      fireEvent.click(within(group).getByRole('button', { name: 'SVG' }));
      fireEvent.click(within(group).getByRole('button', { name: 'PDF' }));
      await waitFor(() => expect(saved).toHaveLength(2));
      expect(saved.map((s) => s.name)).toEqual(['fixture-pass-at-k.svg', 'fixture-pass-at-k.pdf']);
      const svg = await saved[0].blob.text();
      expect(svg).toContain('width="252pt"');
      expect(svg).toContain('fill="#ffffff"');
      expect(svg).not.toMatch(/style=|tabindex|aria-|Arrow keys/);
      const pdf = new Uint8Array(await saved[1].blob.arrayBuffer());
      const text = String.fromCharCode(...pdf);
      expect(text.startsWith('%PDF-1.4')).toBe(true);
      for (const m of report.models) {
        expect(svg).toContain(`>${m.model} (${m.role})</text>`);
        expect(text).toContain(`(${m.model} \\(${m.role}\\)) Tj`);
      }
      expect(screen.queryByRole('alert')).toBeNull();
    } finally {
      URL.createObjectURL = create;
      HTMLAnchorElement.prototype.click = click;
      document.documentElement.removeAttribute('data-theme');
    }
  });
});

describe('Archive', () => {
  it('lists runs, filters them, and says so when none matches', async () => {
    ui(<ArchiveScreen files={files} notify={notify} />);
    expect(screen.getByRole('status').textContent).toContain('Loading the runs');
    expect(await screen.findByRole('link', { name: 'fixture' })).toBeTruthy();
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'no-such-run' } });
    expect(screen.getByText('No run matches')).toBeTruthy();
  });

  it('deletes a run only after confirmation', async () => {
    const created = await client.request('run:create', { spec: { name: 'doomed', benchmark: { bundled: 'chain-arithmetic' }, limit: 1, models: [{ folder: `${process.cwd()}/resources/models/base`, role: 'base' }], sampling: { n: 2 } } });
    if (!created.ok) throw new Error(created.error);
    await client.request('run:control', { runId: created.value.id, action: 'cancel' });
    ui(<ArchiveScreen files={files} notify={notify} />);
    const row = (await screen.findByRole('link', { name: 'doomed' })).closest('tr')!;
    fireEvent.click(within(row).getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog');
    expect(document.activeElement?.textContent).toBe('Cancel');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete the run' }));
    await waitFor(() => expect(screen.queryByRole('link', { name: 'doomed' })).toBeNull());
    expect(notices).toContain('Deleted run doomed.');
    const runs = await client.request('runs:list', {});
    expect(runs.ok && runs.value.map((r) => r.name)).toEqual(['fixture']);
  });
});

describe('Problem browser', () => {
  it('lists problems with c/n per model, opens one\'s samples, marks the answer, and labels a chain', async () => {
    const problems = await client.request('run:problems', { runId, limit: 10 });
    if (!problems.ok) throw new Error(problems.error);
    const first = problems.value.rows[0];
    const { unmount } = ui(<RunPage route={runRoute('problems')} bridge={null} notify={notify} />);
    const list = await screen.findByRole('listbox', { name: 'Problems' });
    await within(list).findByText(first.id);
    expect(screen.getByText('6 problems')).toBeTruthy();
    expect(within(list).getAllByTitle(`${first.counts[0].modelId}: ${first.counts[0].c} correct of ${first.counts[0].n}`).length).toBeGreaterThan(0);
    unmount();

    const sample = await client.request('run:samples', { runId, problemId: first.id, modelId: 'base', limit: 1 });
    if (!sample.ok) throw new Error(sample.error);
    ui(<RunPage route={runRoute('problems', { ...emptyProblemsQuery(), problem: first.id, model: 'base', sample: 0 })} bridge={null} notify={notify} />);
    const article = await screen.findByRole('article', { name: 'Sample 0 of base' });
    const detail = await client.request('sample:get', { runId, problemId: first.id, modelId: 'base', index: 0 });
    if (!detail.ok) throw new Error(detail.error);
    expect(within(article).getByLabelText('Sample text').textContent).toBe(detail.value.text);
    if (detail.value.extracted && detail.value.text.includes(detail.value.extracted)) expect(article.querySelector('mark')!.textContent).toContain(detail.value.extracted);
    fireEvent.click(within(article).getByRole('radio', { name: 'unsure' }));
    fireEvent.change(within(article).getByRole('textbox', { name: 'Note' }), { target: { value: 'skips a step' } });
    fireEvent.click(within(article).getByRole('button', { name: 'Save label' }));
    await waitFor(() => expect(notices).toContain('Labelled sample 0 unsure.'));
    const labelled = await client.request('sample:get', { runId, problemId: first.id, modelId: 'base', index: 0 });
    expect(labelled.ok && labelled.value.label).toMatchObject({ label: 'unsure', note: 'skips a step' });
  });

  it('filters to the problems no model solved, from the quick filter', async () => {
    const never = await client.request('run:problems', { runId, unsolvedBy: report.models.map((m) => m.model) });
    if (!never.ok) throw new Error(never.error);
    ui(<RunPage route={runRoute('problems', { ...emptyProblemsQuery(), unsolvedBy: report.models.map((m) => m.model) })} bridge={null} notify={notify} />);
    if (never.value.total === 0) expect(await screen.findByText('No problem matches')).toBeTruthy();
    else expect(await screen.findByText(`${never.value.total} problems`)).toBeTruthy();
  });
});

describe('Workers', () => {
  let worker: LabProcess | null = null;
  afterAll(async () => { await worker?.kill('SIGTERM'); });

  it('says none joined, shows the exact join command, and shows a worker when it joins', async () => {
    ui(<WorkersScreen notify={notify} />);
    expect(await screen.findByText('No worker has joined')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Add a worker' }));
    const info = await client.request('coordinator:info', {});
    expect((await screen.findByTestId('join-command')).textContent).toBe(info.ok ? info.value.joinCommand : '');
    worker = startWorker(coordinator, 'screens-worker');
    const row = await screen.findByText('screens-worker', {}, { timeout: 30_000 });
    expect(row.closest('tr')!.textContent).toContain('CPU');
  }, 60_000);
});

describe('New experiment', () => {
  it('starts from the bundled trio, gives the cost from the coordinator, and launches', async () => {
    ui(<NewExperimentScreen files={files} />);
    const n = await screen.findByRole('textbox', { name: 'Samples per problem (n)' });
    fireEvent.change(n, { target: { value: '4' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Problems' }), { target: { value: '3' } });
    // 3 problems × n = 4 × 3 models, as experiment:check counts them.
    expect(await screen.findByText('36', {}, { timeout: 10_000 })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Launch' }));
    await waitFor(() => expect(window.location.hash).toMatch(/^#\/runs\/run-/));
  }, 30_000);

  it('shows the loader\'s reason under a model whose folder is wrong, and a form error for a word in a number field', async () => {
    ui(<NewExperimentScreen files={files} />);
    const folder = await screen.findByRole('textbox', { name: 'Model 1 folder' });
    fireEvent.change(folder, { target: { value: '/no/such/model' } });
    expect(await screen.findByText('/no/such/model: not a folder. Pass --model a Hugging Face model folder.', {}, { timeout: 10_000 })).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: 'Samples per problem (n)' }), { target: { value: 'many' } });
    expect(await screen.findByText(': "many" is not a whole number', { exact: false })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Launch' }) as HTMLButtonElement).disabled).toBe(true);
  }, 30_000);
});

describe('Run', () => {
  it('shows a finished run\'s counts per model and its curves, with no worker needed', async () => {
    ui(<RunPage route={runRoute('progress')} bridge={null} notify={notify} />);
    const table = await screen.findByRole('table', { name: 'Progress per model' });
    for (const m of report.models) expect(within(table).getByText(m.model)).toBeTruthy();
    expect(screen.getByText('See the results')).toBeTruthy();
    await waitFor(() => expect(document.querySelectorAll('.live-curves circle').length).toBe(report.models.length * report.ks.length), { timeout: 10_000 });
  }, 30_000);
});

describe('Run controls', () => {
  it('pauses, resumes and, after confirmation, cancels a run', async () => {
    const created = await client.request('run:create', { spec: { name: 'controlled', benchmark: { bundled: 'chain-arithmetic' }, limit: 40, models: [{ folder: `${process.cwd()}/resources/models/base`, role: 'base' }], sampling: { n: 64 } } });
    if (!created.ok) throw new Error(created.error);
    ui(<RunPage route={{ screen: 'run', runId: created.value.id, tab: 'progress', problems: emptyProblemsQuery() }} bridge={null} notify={notify} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Pause' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Resume' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel run…' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel the run' }));
    await waitFor(async () => {
      const p = await client.request('run:progress', { runId: created.value.id });
      expect(p.ok && p.value.status).toBe('cancelled');
    });
    expect(await screen.findByRole('heading', { name: /controlled\s*cancelled/ }, { timeout: 10_000 })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Resume' })).toBeNull();
  }, 30_000);
});

describe('Coordinator (desktop)', () => {
  it('switches to a lab\'s coordinator through the bridge and shows why when it cannot', async () => {
    const asked: ConnectionChoice[] = [];
    // Stands for the Electron main process, which cannot run here: it records what the page asks.
    const bridge = { useCoordinator: async (c: ConnectionChoice) => { asked.push(c); return { mode: c.mode, url: '', token: '', error: 'no coordinator answered at http://lab:7077' }; } } as unknown as DesktopBridge;
    render(<ConnectionScreen bridge={bridge} connection={{ mode: 'embedded', url: 'http://127.0.0.1:1', token: 't', error: null }} onChanged={() => {}} />);
    fireEvent.click(screen.getByRole('radio', { name: /A lab's coordinator/ }));
    fireEvent.change(screen.getByLabelText('Address'), { target: { value: ' http://lab:7077 ' } });
    fireEvent.change(screen.getByLabelText('UI token'), { target: { value: 'pku_secret123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText('no coordinator answered at http://lab:7077')).toBeTruthy();
    expect(asked).toEqual([{ mode: 'remote', url: 'http://lab:7077', token: 'pku_secret123' }]);
  });
});

// Last: it adds a run and a worker, which the screens above must not see.
describe('Results of a run that is still going', () => {
  it('says there are no results yet, then shows the curves and the analysis by itself when the run ends', async () => {
    const created = await client.request('run:create', { spec: { name: 'finishing', benchmark: { bundled: 'chain-arithmetic' }, limit: 2, models: [{ folder: `${process.cwd()}/resources/models/base`, role: 'base' }], sampling: { n: 4, maxNewTokens: 32 } } });
    if (!created.ok) throw new Error(created.error);
    ui(<RunPage route={{ screen: 'run', runId: created.value.id, tab: 'results', problems: emptyProblemsQuery() }} bridge={null} notify={notify} />);
    expect(await screen.findByText('No results yet')).toBeTruthy();
    expect(screen.getByText(/here by themselves when the run ends/)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull(); // waiting is not an error
    // No worker until now, so nothing ran; one joins and the run finishes with the screen left alone.
    const worker = startWorker(coordinator, 'finisher');
    try {
      const table = await screen.findByTestId('passk-table', {}, { timeout: 90_000 });
      const final = await client.request('run:report', { runId: created.value.id });
      if (!final.ok) throw new Error(final.error);
      const base = statsReportSchema.parse(final.value.report).models[0];
      expect(table.querySelector('td[data-model="base"][data-k="1"] .value')!.textContent).toBe(base.passAtK['1'].toFixed(3));
      // The header's status follows, and the analysis below is the finished run's.
      expect(await screen.findByRole('heading', { name: /finishing\s*done/ }, { timeout: 10_000 })).toBeTruthy();
      expect(await screen.findByTestId('diversity-table', {}, { timeout: 30_000 })).toBeTruthy();
      expect(screen.queryByText(/This run is/)).toBeNull();
    } finally {
      await worker.kill('SIGTERM');
    }
  }, 120_000);
});
