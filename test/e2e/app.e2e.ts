// The app end to end, as a researcher uses it: a real coordinator serving the built app
// (`passk coordinator --ui`), real `passk worker` processes with the bundled base / RL /
// distilled trio, and Debian's Chromium. Launch from the UI, watch the run finish, check
// the curves and the table against `passk stats` on the same run's verdicts, label a
// sample, add a worker with the command the Workers screen shows, restart the coordinator
// and reopen the run; the analysis (per level, diversity, labels) and the paired comparison
// against `passk report --json` and `passk runs compare --json` on the same data directory.
// axe-core on every screen; screenshots under test-results/e2e/.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunComparison } from '../../src/core/analysis/compare-runs.ts';
import type { StatsReport } from '../../src/core/stats/stats-report.ts';
import type { RunAnalysis } from '../../src/core/report/run-analysis.ts';
import { connect, freePort, PASSK, startCoordinator, startInOwnGroup, startWorker, tempDir, waitForRun, type CoordinatorProcess, type LabProcess } from '../support/lab.ts';
import { launchChromium, screenshots, seriousViolations, SHOTS, watchPage } from './browser.ts';

const dataDir = tempDir('e2e');
let port = 0;
let coordinator: CoordinatorProcess;
let localWorker: LabProcess | null = null;
let joined: LabProcess | null = null;
let browser: BrowserContext;
let page: Page;
let problems: string[] = [];
let runId = '';
let runName = '';
let secondRunId = '';

const startLab = () => startCoordinator(dataDir, port, ['--ui']);
const go = async (hash: string) => { await page.evaluate((h) => { window.location.hash = h; }, hash); };

/** Every sample's verdict of a run, as `passk stats --input` reads them, straight from the store. */
function verdictsFile(id: string): string {
  const db = new Database(join(dataDir, 'passk.sqlite'), { readonly: true });
  try {
    const rows = db.prepare(`SELECT v.model_id AS model, m.role AS role, v.problem_id AS problem, v.sample_index AS sample, v.correct AS correct
      FROM verdicts v JOIN models m ON m.run_id = v.run_id AND m.id = v.model_id WHERE v.run_id = ? ORDER BY m.rowid, v.problem_id, v.sample_index`).all(id) as { model: string; role: string; problem: string; sample: number; correct: number }[];
    const file = join(tempDir('verdicts'), 'verdicts.jsonl');
    writeFileSync(file, rows.map((r) => JSON.stringify({ ...r, correct: r.correct === 1 })).join('\n') + '\n');
    return file;
  } finally {
    db.close();
  }
}

function passkStats(id: string): StatsReport {
  const result = spawnSync(process.execPath, [...PASSK, 'stats', '--input', verdictsFile(id), '--json'], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as StatsReport;
}

/** `passk CMD … --json --data-dir` on the lab's data directory (the coordinator keeps running on it: WAL lets both read). */
function passkJson<T>(args: string[]): T {
  const result = spawnSync(process.execPath, [...PASSK, ...args, '--json', '--data-dir', dataDir], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}
/** `passk report --json`: the stats at the top level, the rest of the analysis beside them. */
type ReportJson = StatsReport & Omit<RunAnalysis, 'stats'>;

const points = (scope: Locator, series: string) => scope.locator(`[data-series="${series}"] circle`).evaluateAll((els) =>
  els.map((e) => [Number(e.getAttribute('data-k')), Number(e.getAttribute('data-value')), Number(e.getAttribute('data-lo')), Number(e.getAttribute('data-hi'))]));
const curve = (m: { passAtK: Record<string, number>; ci: Record<string, [number, number]> }) =>
  Object.keys(m.passAtK).map(Number).sort((a, b) => a - b).map((k) => [k, m.passAtK[String(k)], ...m.ci[String(k)]]);

/** The Results screen's analysis shows exactly what `passk report --json` prints: per-level curves and table, diversity, perplexity's note or rows, labels. */
async function expectAnalysisEqual(report: ReportJson): Promise<void> {
  await page.getByTestId('by-level-table').waitFor({ timeout: 30_000 });
  const groups = report.byLevel!.groups;
  expect(groups.length).toBeGreaterThan(1);
  expect(await page.locator('section.small-multiple').evaluateAll((els) => els.map((e) => e.getAttribute('data-group')))).toEqual(groups.map((g) => g.group));
  for (const g of groups) {
    const panel = page.locator(`section.small-multiple[data-group="${g.group}"]`);
    for (const m of g.models) {
      expect(await points(panel, `level-${g.group}/${m.model}`)).toEqual(curve(m));
      expect(await page.locator(`[data-testid="by-level-table"] td[data-group="${g.group}"][data-model="${m.model}"][data-k="1"] .value`).textContent()).toBe(m.passAtK['1'].toFixed(3));
    }
  }
  expect(report.diversity.length).toBe(report.models.length);
  for (const d of report.diversity) {
    for (const field of ['answers', 'chains'] as const) {
      expect(await page.locator(`[data-testid="diversity-table"] tr[data-model="${d.model}"] td[data-field="${field}"] .value`).textContent()).toBe(d[field].mean.toFixed(2));
      const row = page.locator(`g[data-row="${field}/${d.model}"]`);
      expect([Number(await row.getAttribute('data-value')), Number(await row.getAttribute('data-lo')), Number(await row.getAttribute('data-hi'))]).toEqual([d[field].mean, ...d[field].ci]);
    }
  }
  if (report.perplexity.pairs.length === 0) await page.getByText(report.perplexity.note!, { exact: true }).waitFor();
  else expect(await page.locator('[data-testid="perplexity-table"] tbody tr').count()).toBe(report.perplexity.pairs.length);
  if (report.labels === null) await page.getByText('No chain is labelled yet').waitFor();
  else {
    for (const [counting, part] of [['all', report.labels.plain], ['valid', report.labels.validOnly]] as const) {
      for (const m of part.models) {
        for (const k of part.ks) expect(await page.locator(`[data-testid="labels-table"] td[data-model="${m.model}"][data-k="${k}"][data-counting="${counting}"] .value`).textContent()).toBe(m.passAtK[String(k)].toFixed(3));
      }
    }
  }
}

/** A part of the page alone, light and dark (the full-page shots shrink a long Results screen). */
async function partShots(part: Locator, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(100);
    await part.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The Results screen shows exactly the numbers `passk stats` computes: table text and chart points. */
async function expectResultsEqual(stats: StatsReport): Promise<void> {
  await page.getByTestId('passk-table').waitFor();
  for (const m of stats.models) {
    for (const k of stats.ks) {
      const cell = page.locator(`[data-testid="passk-table"] td[data-model="${m.model}"][data-k="${k}"]`);
      expect(await cell.locator('.value').textContent()).toBe(m.passAtK[String(k)].toFixed(3));
      expect(await cell.locator('.interval').textContent()).toBe(`[${m.ci[String(k)][0].toFixed(3)}, ${m.ci[String(k)][1].toFixed(3)}]`);
    }
    const points = await page.locator(`.results [data-series="${m.model}"] circle`).evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-k')), Number(e.getAttribute('data-value')), Number(e.getAttribute('data-lo')), Number(e.getAttribute('data-hi'))]));
    expect(points).toEqual(stats.ks.map((k) => [k, m.passAtK[String(k)], m.ci[String(k)][0], m.ci[String(k)][1]]));
  }
  const bars = await page.locator('.results rect.bar').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
  // Bars go bin by bin, a bar per model in each.
  const expected = stats.histogram[0].bins.flatMap((_, i) => stats.histogram.map((h) => h.bins[i].count));
  expect(bars).toEqual(expected);
  for (const c of stats.coverage) {
    const onlyA = page.getByRole('link', { name: new RegExp(`^${c.a} vs ${c.b}: ${c.onlyA.length} only ${c.a} `) });
    expect(await onlyA.count()).toBe(1);
  }
}

async function expectAccessible(screen: string): Promise<void> {
  expect(await seriousViolations(page), `axe on ${screen}`).toEqual([]);
}

beforeAll(async () => {
  if (!existsSync('out/renderer/index.html')) throw new Error('the app is not built: run `npm run build` first (npm run test:e2e does)');
  port = await freePort();
  coordinator = await startLab();
  localWorker = startWorker(coordinator, 'e2e-local', ['--slots', '2']);
  browser = await launchChromium(tempDir('chromium'));
  page = browser.pages()[0] ?? await browser.newPage();
  problems = watchPage(page);
}, 120_000);

afterAll(async () => {
  await joined?.kill('SIGTERM');
  await localWorker?.kill('SIGTERM');
  await browser?.close();
  await coordinator?.kill('SIGTERM');
});

describe('the build', () => {
  it('gives a preload that a sandboxed renderer can run: CommonJS, requiring nothing but electron', () => {
    const preload = readFileSync('out/preload/index.cjs', 'utf8');
    expect([...new Set([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]))]).toEqual(['electron']);
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
  });
});

describe('PassK Lab in a browser, against a real lab', () => {
  it('asks for the UI token, refuses the workers\' token, and signs in with the right one', async () => {
    await page.goto(coordinator.url);
    await page.getByText('Sign in to this coordinator').waitFor();
    await screenshots(page, '01-sign-in');
    await expectAccessible('sign-in');
    await page.getByLabel('UI token').fill(coordinator.workerToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('that is not this coordinator\'s UI token').waitFor();
    await page.getByLabel('UI token').fill(coordinator.uiToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('No runs yet').waitFor();
    expect(await page.evaluate(() => document.cookie)).toBe(''); // HttpOnly: the page cannot read its session
    await screenshots(page, '02-runs-empty');
    await expectAccessible('runs (empty)');
  }, 60_000);

  it('launches an experiment with the bundled trio from the New-experiment screen', async () => {
    await page.getByRole('link', { name: 'New experiment' }).first().click();
    await page.getByRole('textbox', { name: 'Problems' }).fill('8');
    await page.getByRole('textbox', { name: 'Samples per problem (n)' }).fill('16');
    await expect.poll(() => page.locator('.model-check .ok-text').count(), { timeout: 20_000 }).toBe(3);
    // 8 problems × n = 16 × 3 models, as the coordinator counts them.
    await page.locator('.cost').getByText('384').waitFor({ timeout: 20_000 });
    await screenshots(page, '03-new-experiment');
    await expectAccessible('new experiment');
    await page.getByRole('button', { name: 'Launch' }).click();
    await page.waitForFunction(() => /^#\/runs\/run-/.test(window.location.hash));
    runId = decodeURIComponent((await page.evaluate(() => window.location.hash)).split('/')[2]);
    runName = (await page.locator('h1').first().textContent())!.replace(/\s*(pending|running|paused|done|failed|cancelled)$/, '').trim();
  }, 60_000);

  it('shows the run as it goes, then finished', async () => {
    await page.getByRole('table', { name: 'Progress per model' }).waitFor();
    // Caught mid-way when the run lets it: some samples verified, not all.
    const verified = async () => Number((await page.locator('.stats-row dd').nth(1).textContent())!.replace(/,/g, ''));
    await expect.poll(verified, { timeout: 120_000 }).toBeGreaterThan(0);
    await screenshots(page, '04-run-in-progress');
    await page.getByRole('link', { name: 'See the results' }).waitFor({ timeout: 180_000 });
    await page.locator('.live-curves circle').first().waitFor({ timeout: 20_000 });
    await screenshots(page, '05-run-done');
    await expectAccessible('run');
  }, 240_000);

  it('shows the same pass@k curves and table as passk stats on the run\'s verdicts', async () => {
    const stats = passkStats(runId);
    await page.getByRole('link', { name: 'See the results' }).click();
    await expectResultsEqual(stats);
    // Hover shows each model's value and interval at the k under the pointer.
    const chart = page.locator('.results svg.chart-svg').first();
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5);
    await page.locator('.chart-tooltip .tooltip-title').first().waitFor();
    expect(await page.locator('.chart-tooltip .tooltip-row').count()).toBe(stats.models.length);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5);
      await page.locator('.chart-tooltip').first().waitFor();
      await page.locator('.results .chart-frame').first().screenshot({ path: join(SHOTS, `06-results-hover-${scheme}.png`) });
    }
    await page.mouse.move(0, 0);
    // The rest of the analysis: what passk report prints for the same run.
    await expectAnalysisEqual(passkJson<ReportJson>(['report', runId]));
    await screenshots(page, '06-results');
    await partShots(page.locator('.card.group-curves'), '06-results-by-level');
    await partShots(page.locator('.card.diversity'), '06-results-diversity');
    await expectAccessible('results');
  }, 60_000);

  it('exports every figure of the run as SVG, PNG and PDF for a paper: legend, white background, from the dark theme, no console error', async () => {
    const report = passkJson<ReportJson>(['report', runId]);
    const legend = report.models.map((m) => `${m.model} (${m.role})`);
    await page.emulateMedia({ colorScheme: 'dark' });
    mkdirSync(join(SHOTS, 'figures'), { recursive: true });
    const figures = [
      { what: 'pass@k', file: 'pass-at-k', width: 'column', dpi: 300 },
      { what: 'the accuracy histogram', file: 'accuracy-histogram', width: 'full', dpi: 150 },
      { what: 'pass@k per level', file: 'pass-at-k-by-level', width: 'full', dpi: 300 },
      { what: 'answer diversity', file: 'diversity', width: 'column', dpi: 600 },
    ] as const;
    for (const f of figures) {
      const group = page.getByRole('group', { name: `Export ${f.what}`, exact: true });
      await page.getByRole('combobox', { name: `Figure width of ${f.what}`, exact: true }).selectOption(f.width);
      await page.getByRole('combobox', { name: `PNG resolution of ${f.what}`, exact: true }).selectOption(String(f.dpi));
      const saved: Record<string, Buffer> = {};
      for (const kind of ['SVG', 'PNG', 'PDF']) {
        const [download] = await Promise.all([page.waitForEvent('download'), group.getByRole('button', { name: kind, exact: true }).click()]);
        saved[kind] = readFileSync((await download.path())!);
        expect(download.suggestedFilename()).toMatch(new RegExp(`-${f.file}\\.${kind.toLowerCase()}$`));
        writeFileSync(join(SHOTS, 'figures', `${f.file}-${f.width}.${kind.toLowerCase()}`), saved[kind]);
      }
      const points = f.width === 'column' ? 252 : 504;
      const svg = saved.SVG.toString('utf8');
      expect(svg).toContain(`width="${points}pt"`);
      expect(svg).toMatch(/<rect x="0" y="0" width="\d+" height="\d+" fill="#ffffff"\/>/);
      expect(svg).not.toMatch(/style=|tabindex|aria-|Arrow keys|class=/);
      for (const label of legend) expect(svg, `${f.file}: legend ${label}`).toContain(`>${label}</text>`);
      const pdf = saved.PDF.toString('latin1');
      expect(pdf.startsWith('%PDF-1.4')).toBe(true);
      expect(pdf).toContain(`/MediaBox [0 0 ${points} `);
      expect(pdf).toContain('/BaseFont /Helvetica ');
      expect(pdf).toContain(`1 1 1 rg 0 0 ${points} `);
      for (const label of legend) expect(pdf, `${f.file}: PDF legend ${label}`).toContain(`(${label.replace(/[()]/g, (c) => `\\${c}`)}) Tj`);
      // The PNG: its size is the figure's in inches at the dpi asked, its corner white, its pHYs the dpi.
      const png = saved.PNG;
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(Math.round((points / 72) * f.dpi));
      const at = png.indexOf('pHYs');
      expect(Math.round(png.readUInt32BE(at + 4) * 0.0254)).toBe(f.dpi);
      const corner = await page.evaluate(async (b64) => {
        const image = new Image();
        image.src = `data:image/png;base64,${b64}`;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext('2d')!;
        context.drawImage(image, 0, 0);
        return [...context.getImageData(1, 1, 1, 1).data];
      }, png.toString('base64'));
      expect(corner).toEqual([255, 255, 255, 255]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    expect(problems).toEqual([]);
  }, 120_000);

  it('says the verdict on the crossover card, shows how the run was made, and clones it into the New-experiment form', async () => {
    const report = passkJson<ReportJson>(['report', runId]);
    const pair = report.crossover.pairs[0];
    const line = page.locator(`[data-verdict="atKMax"][data-k="${pair.kMax}"]`);
    expect(await line.locator('.boundary-reading').textContent()).toBe(pair.verdict.atKMax!.reading);
    await partShots(page.locator('.summary-cards'), '06-results-verdict');
    const config = page.locator('.card.run-config');
    await config.getByTestId('run-config-table').waitFor();
    expect(await config.locator('tr[data-model="base"] .digest').getAttribute('title')).toBe(report.run.models.find((m) => m.id === 'base')!.sha256);
    await partShots(config, '06-results-run-config');
    await config.getByRole('link', { name: 'Clone as new experiment' }).click();
    await page.getByTestId('clone-notice').waitFor();
    expect(await page.getByRole('textbox', { name: 'Problems' }).inputValue()).toBe('8');
    expect(await page.getByRole('textbox', { name: 'Samples per problem (n)' }).inputValue()).toBe('16');
    await screenshots(page, '06-clone-new-experiment');
    await expectAccessible('new experiment (clone)');
    await go(`#/runs/${encodeURIComponent(runId)}/results`);
    await page.getByTestId('passk-table').waitFor();
    expect(problems).toEqual([]);
  }, 60_000);

  it('opens a problem\'s samples and labels one chain of thought', async () => {
    await page.getByRole('navigation', { name: 'Run views' }).getByRole('link', { name: 'Problems' }).click();
    const list = page.getByRole('listbox', { name: 'Problems' });
    await list.getByRole('option').first().click();
    const samples = page.getByRole('listbox', { name: /^Samples of / });
    await samples.getByRole('option').first().click();
    const sample = page.getByRole('article');
    await sample.waitFor();
    await sample.getByRole('radio', { name: 'invalid' }).check();
    await sample.getByLabel('Note').fill('right answer, the second step is wrong');
    await sample.getByRole('button', { name: 'Save label' }).click();
    await page.getByText(/^Labelled sample \d+ invalid\.$/).waitFor();
    await samples.locator('.label-chip', { hasText: 'invalid' }).first().waitFor();
    const index = Number(new URLSearchParams((await page.evaluate(() => window.location.hash)).split('?')[1]).get('sample'));
    const problemId = new URLSearchParams((await page.evaluate(() => window.location.hash)).split('?')[1]).get('problem')!;
    const client = await connect(coordinator);
    try {
      const stored = await client.request('sample:get', { runId, problemId, modelId: 'base', index });
      expect(stored.ok && stored.value.label).toMatchObject({ label: 'invalid', note: 'right answer, the second step is wrong' });
    } finally {
      client.close();
    }
    await screenshots(page, '07-problems');
    await expectAccessible('problem browser');
    // Keep to one level: every row listed has it.
    const level = (await page.getByRole('combobox', { name: 'Level' }).locator('option').nth(2).getAttribute('value'))!;
    await page.getByRole('combobox', { name: 'Level' }).selectOption(level);
    await page.waitForFunction((l) => window.location.hash.includes(`level=${l}`), level);
    await expect.poll(async () => [...new Set(await list.locator('.level-chip').allTextContents())], { timeout: 10_000 }).toEqual([`L${level}`]);
    await screenshots(page, '07-problems-one-level');
  }, 60_000);

  it('adds a worker with the exact command the Workers screen shows, and sees it join', async () => {
    await page.getByRole('link', { name: 'Workers' }).click();
    await page.locator('tr[data-worker="e2e-local"]').waitFor();
    await page.getByRole('button', { name: 'Add a worker' }).click();
    const command = (await page.getByTestId('join-command').textContent())!;
    expect(command).toMatch(/^npm exec --yes --ignore-scripts --package=http:\/\/127\.0\.0\.1:\d+\/worker\.tgz -- passk worker --join ws:\/\/127\.0\.0\.1:\d+ --token pkw_\S+$/);
    const empty = tempDir('joined');
    joined = startInOwnGroup('sh', ['-c', `exec ${command}`], { cwd: empty, env: { ...process.env, PASSK_CACHE_DIR: join(empty, 'cache') } });
    const row = page.locator('.workers-table tbody tr:not([data-worker="e2e-local"])');
    await expect.poll(async () => row.count(), { timeout: 240_000, message: `the joined worker did not appear: ${joined.log()}` }).toBeGreaterThan(0);
    await screenshots(page, '08-workers');
    await expectAccessible('workers');
    // A second run while two workers are there, for the archive and the comparison.
    const client = await connect(coordinator);
    try {
      const created = await client.request('run:create', { spec: { name: 'second-seed', benchmark: { bundled: 'chain-arithmetic' }, limit: 8, models: [{ folder: `${process.cwd()}/resources/models/base`, role: 'base' }, { folder: `${process.cwd()}/resources/models/rl`, role: 'rl' }], sampling: { n: 16, seed: '1' } } });
      if (!created.ok) throw new Error(created.error);
      secondRunId = created.value.id;
      expect((await waitForRun(client, secondRunId, 180_000)).status).toBe('done');
    } finally {
      client.close();
    }
  }, 480_000);

  it('reopens the run from the archive after the coordinator restarts, with no worker at all', async () => {
    await joined?.kill('SIGTERM');
    await localWorker?.kill('SIGTERM');
    localWorker = null;
    await coordinator.kill('SIGKILL');
    await page.getByRole('alert').filter({ hasText: /connection lost|no coordinator/ }).waitFor();
    coordinator = await startLab();
    await page.locator('.connection-connected').waitFor({ timeout: 30_000 });
    await go('#/runs');
    await page.getByRole('link', { name: runName }).waitFor();
    await screenshots(page, '09-runs');
    await expectAccessible('runs');
    await page.getByRole('link', { name: runName }).click();
    await expectResultsEqual(passkStats(runId));
    // Now with the chain labelled above: the valid-only pass@k beside the plain one.
    await expectAnalysisEqual(passkJson<ReportJson>(['report', runId]));
    await partShots(page.locator('.card.labels'), '09-results-labels');

    await go('#/runs');
    await page.getByRole('checkbox', { name: `Compare ${runName}` }).check();
    await page.getByRole('checkbox', { name: 'Compare second-seed' }).check();
    await page.getByRole('button', { name: /^Compare the two/ }).click();
    await page.locator('.chart-svg circle').first().waitFor();
    // The paired differences are what passk runs compare prints.
    await page.getByTestId('difference-table').waitFor();
    const compared = passkJson<RunComparison>(['runs', 'compare', runId, secondRunId]);
    expect(compared.pairs.length).toBeGreaterThan(0);
    for (const p of compared.pairs) {
      expect(await points(page.locator('.paired-differences'), `diff/${p.modelA}/${p.modelB}`)).toEqual(p.points.map((x) => [x.k, x.difference, ...x.ci]));
    }
    // Both compare figures export with their legends; the note says how many comparisons and which correction.
    await page.getByTestId('comparisons-note').getByText(/Holm's correction/).waitFor();
    for (const [what, file] of [['the paired differences', 'paired-differences'], ['pass@k of both runs', 'compare-pass-at-k']] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('group', { name: `Export ${what}`, exact: true }).getByRole('button', { name: 'PDF', exact: true }).click()]);
      const pdf = readFileSync((await download.path())!).toString('latin1');
      writeFileSync(join(SHOTS, 'figures', `${file}.pdf`), pdf, 'latin1');
      for (const p of compared.pairs) expect(pdf, `${file}: ${p.modelB}`).toContain(`(${p.modelB}`);
    }
    await screenshots(page, '10-compare');
    await expectAccessible('compare');
    expect(problems).toEqual([]);
  }, 120_000);
});
