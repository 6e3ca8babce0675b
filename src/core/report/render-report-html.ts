import { escapeXml as esc, renderPassAtKSvg, seriesOfReport } from '../stats/pass-at-k-svg.ts';
import type { ForecastReport } from '../stats/forecast.ts';
import { verdictText } from '../stats/verdict.ts';
import type { ModelSummary } from '../stats/stats-report.ts';
import type { RunAnalysis } from './run-analysis.ts';
import { renderBarsSvg, renderBoxesSvg } from './svg-charts.ts';

const f3 = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(3));
const minus = (text: string) => text.replace(/^-/, '−');
const interval = (ci: [number, number] | null | undefined) => (ci ? `[${minus(f3(ci[0]))}, ${minus(f3(ci[1]))}]` : '');
const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;
const LISTED = 40;

function passTable(models: readonly ModelSummary[], ks: readonly number[]): string {
  const head = `<tr><th scope="col">k</th>${models.map((m) => `<th scope="col">${esc(m.model)} <span class="role">${m.role}</span></th>`).join('')}</tr>`;
  const rows = ks.map((k) => `<tr><th scope="row">${k}</th>${models.map((m) => {
    const v = m.passAtK[String(k)];
    return v === undefined ? `<td class="na">k &gt; n=${m.minN}</td>` : `<td>${f3(v)} <span class="ci">${interval(m.ci[String(k)])}</span></td>`;
  }).join('')}</tr>`);
  return `<table class="numbers"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function problemList(ids: readonly string[]): string {
  if (ids.length === 0) return '<span class="na">none</span>';
  const shown = ids.slice(0, LISTED).map((id) => `<code>${esc(id)}</code>`).join(' ');
  return ids.length > LISTED ? `<details><summary>${ids.length} problems</summary>${ids.map((id) => `<code>${esc(id)}</code>`).join(' ')}</details>` : shown;
}

/**
 * The report of a run as one self-contained HTML page: inline SVG plots (hover shows value
 * and interval), tables of every number, no script and no network, readable printed.
 */
export function renderReportHtml(a: RunAnalysis, meta: { generatedAt: string; version: string; command: string }, forecast?: ForecastReport): string {
  const { run, stats } = a;
  const sections: string[] = [];
  const section = (id: string, title: string, body: string) => sections.push(`<section id="${id}"><h2>${esc(title)}</h2>${body}</section>`);

  section('models', 'Models', `<table><thead><tr><th scope="col">model</th><th scope="col">role</th><th scope="col">folder</th><th scope="col">settings</th><th scope="col">prompt</th></tr></thead><tbody>${
    run.models.map((m) => {
      const s = m.settings;
      const p = m.prompt as { format?: string } | null;
      return `<tr><td>${esc(m.label ?? m.id)}${m.label ? ` <code>${esc(m.id)}</code>` : ''}</td><td><span class="role">${m.role}</span></td><td><code>${esc(m.folder || '—')}</code>${m.sha256 ? `<br><span class="ci">sha256 ${m.sha256.slice(0, 16)}…</span>` : ''}</td>`
        + `<td>${s !== null ? `T ${s.temperature}, top-p ${s.topP}, top-k ${s.topK}, ≤ ${s.maxNewTokens} tokens` : '<span class="na">not recorded</span>'}</td><td>${esc(p?.format ?? '—')}</td></tr>`;
    }).join('')}</tbody></table>`);

  const title = `pass@k on ${run.benchmark}, ${stats.problems} problems, n=${run.n}`;
  section('pass-at-k', 'pass@k', `<figure>${renderPassAtKSvg(seriesOfReport(stats), { title })}<figcaption>Unbiased pass@k per problem, averaged; bands and brackets: ${Math.round(stats.level * 100)}% paired bootstrap over problems (B=${stats.resamples}, seed ${stats.seed}).</figcaption></figure>${passTable(stats.models, stats.ks)}`);

  if (forecast) {
    const curves = forecast.models.map((m) => ({ model: m.model, role: m.role, points: forecast.ks.map((k) => ({ k, value: m.passAtK[String(k)], ci: m.ci[String(k)] })) }));
    const fits = forecast.models.map((m) => `<li>${esc(m.model)}: ${esc(m.family)}${m.fit.zero >= 0.0005 ? `, never solved ${(m.fit.zero * 100).toFixed(1)}%` : ''}; ${
      m.fit.components.map((c) => `${m.fit.components.length > 1 ? `${(c.weight * 100).toFixed(0)}% ` : ''}Beta(${c.a.toPrecision(3)}, ${c.b.toPrecision(3)})`).join(' + ')}</li>`).join('');
    section('forecast', 'pass@k beyond n (forecast)', `<figure>${renderPassAtKSvg(seriesOfReport(stats), { title: `${title}, forecast to k=${forecast.to}`, forecast: curves })}<figcaption>Solid: measured. Dashed: forecast from a maximum-likelihood fit of each model's per-problem success rates (README "Forecast"), each problem's posterior averaged; bands: ${Math.round(forecast.level * 100)}% bootstrap over problems with a refit per replicate (B=${forecast.resamples}, seed ${forecast.seed}). A forecast assumes the fitted family; it does not measure.</figcaption></figure>`
      + `<ul>${fits}</ul>${passTable(forecast.models.map((m) => ({ model: m.model, role: m.role, problems: stats.problems, minN: forecast.to, passAtK: m.passAtK, ci: m.ci })), forecast.ks)}`);
  }

  const cross = stats.crossover.pairs.map((c) => `<li><b>${esc(c.base)}</b> vs <b>${esc(c.rl)}</b>: ${c.k === null
    ? `base stays below up to k=${c.kMax}: no crossover on this grid`
    : `base reaches RL at k=${c.k} (difference ${signed(c.difference!)} ${interval(c.ci)})`}${c.deltaSE ? `; ΔSE = base pass@${c.deltaSE.k} − RL pass@1 = ${signed(c.deltaSE.value)} ${interval(c.deltaSE.ci)}` : ''}</li>`);
  const verdicts = stats.crossover.pairs.flatMap((c) => (['atKMax', 'atCrossover'] as const)
    .filter((which) => c.verdict[which] && !(which === 'atCrossover' && c.verdict.atKMax?.k === c.verdict.atCrossover?.k))
    .map((which) => `<li class="verdict-${c.verdict[which]!.side}">${esc(verdictText(c, which)!)}</li>`));
  section('crossover', 'Verdict, crossover and ΔSE', cross.length > 0
    ? `${verdicts.length > 0 ? `<p>Paired difference base − RL with its ${Math.round(stats.level * 100)}% interval, and what it says:</p><ul class="verdict">${verdicts.join('')}</ul>` : ''}<ul>${cross.join('')}</ul>`
    : `<p class="na">${esc(stats.crossover.note ?? '')}</p>`);

  const bins = stats.histogram[0]?.bins.map((b) => b.label) ?? [];
  section('histogram', 'Accuracy histogram', renderBarsSvg(bins.map((label, i) => ({
    label, bars: stats.histogram.map((h) => ({ series: h.model, role: h.role, value: h.bins[i].fraction })),
  })), { title: 'Problems per accuracy bin (c/n)', yLabel: 'fraction of problems' })
    + `<table class="numbers"><thead><tr><th scope="col">bin</th>${stats.histogram.map((h) => `<th scope="col">${esc(h.model)}</th>`).join('')}</tr></thead><tbody>${
      bins.map((label, i) => `<tr><th scope="row">${esc(label)}</th>${stats.histogram.map((h) => `<td>${h.bins[i].count}</td>`).join('')}</tr>`).join('')}</tbody></table>`);

  section('coverage', 'Solvable problems', stats.coverage.map((c) => `<h3>${esc(c.a)} vs ${esc(c.b)}</h3>
    <table><tbody>
      <tr><th scope="row">both</th><td>${c.both.length}</td><td>${problemList(c.both)}</td></tr>
      <tr><th scope="row">only ${esc(c.a)}</th><td>${c.onlyA.length}</td><td>${problemList(c.onlyA)}</td></tr>
      <tr><th scope="row">only ${esc(c.b)}</th><td>${c.onlyB.length}</td><td>${problemList(c.onlyB)}</td></tr>
      <tr><th scope="row">neither</th><td>${c.neither.length}</td><td>${problemList(c.neither)}</td></tr>
    </tbody></table><p class="ci">Solvable: at least one correct sample. Expected when drawing k=${c.k}: both ${c.expected.both.toFixed(1)}, only ${esc(c.a)} ${c.expected.onlyA.toFixed(1)}, only ${esc(c.b)} ${c.expected.onlyB.toFixed(1)}, neither ${c.expected.neither.toFixed(1)}${c.samplesDiffer ? '; the two drew different n, so the expected counts are the fair comparison' : ''}.</p>`).join(''));

  for (const [id, name, grouped] of [['by-level', 'level', a.byLevel], ['by-subject', 'subject', a.bySubject]] as const) {
    if (!grouped) continue;
    const plots = grouped.groups.map((g) => {
      const series = g.models.map((m) => ({ model: m.model, role: m.role, points: Object.keys(m.passAtK).map((k) => ({ k: Number(k), value: m.passAtK[k], ci: m.ci[k] })) }));
      return `<div>${renderPassAtKSvg(series, { title: `${name} ${g.group} (${g.problems} problems)`, width: 460, height: 300 })}</div>`;
    });
    const tables = grouped.groups.map((g) => {
      const ks = [...new Set(g.models.flatMap((m) => Object.keys(m.passAtK).map(Number)))].sort((x, y) => x - y);
      return `<h3>${name} ${esc(g.group)} (${g.problems} problems)</h3>${passTable(g.models, ks)}`;
    });
    section(id, `pass@k per ${name}`, `<div class="grid">${plots.join('')}</div><details><summary>the numbers</summary>${tables.join('')}</details>`
      + (grouped.ungrouped > 0 ? `<p class="na">${grouped.ungrouped} problems have no ${name}.</p>` : ''));
  }

  section('perplexity', 'Perplexity', a.perplexity.pairs.length === 0 ? `<p class="na">${esc(a.perplexity.note ?? 'no scores')}</p>`
    : renderBoxesSvg(a.perplexity.pairs.map((p) => ({
      label: `${p.model}'s answers under ${p.scorer}`, role: run.models.find((m) => m.id === p.model)?.role ?? 'other',
      q10: p.quantiles.q10, q25: p.quantiles.q25, median: p.median, q75: p.quantiles.q75, q90: p.quantiles.q90, medianCi: p.medianCi,
    })), { title: 'Perplexity of each model\'s answers under the scoring model', xLabel: 'perplexity (log scale); box: quartiles, whiskers: 10th–90th percentile, shaded: 95% interval of the median' })
      + `<table class="numbers"><thead><tr><th scope="col">answers of</th><th scope="col">under</th><th scope="col">samples</th><th scope="col">median</th><th scope="col">quartiles</th><th scope="col">mean</th></tr></thead><tbody>${
        a.perplexity.pairs.map((p) => `<tr><td>${esc(p.model)}</td><td>${esc(p.scorer)}</td><td>${p.samples}</td><td>${f3(p.median)} <span class="ci">${interval(p.medianCi)}</span></td><td>${f3(p.quantiles.q25)}–${f3(p.quantiles.q75)}</td><td>${f3(p.mean)}</td></tr>`).join('')}</tbody></table>`);

  section('diversity', 'Answer diversity', a.diversity.length === 0 ? '<p class="na">no samples</p>'
    : renderBarsSvg(a.diversity.map((d) => ({
      label: d.model, bars: [{ series: 'distinct answers', role: 'base' as const, value: d.answers.mean, ci: d.answers.ci }, { series: 'distinct chains', role: 'other' as const, value: d.chains.mean, ci: d.chains.ci }],
    })), { title: 'Distinct final answers and chains per problem', yLabel: 'per problem (mean)' })
      + `<p class="ci">Over ${a.diversity[0].problems} problems every model has, ${a.diversity[0].samples.toFixed(0)} samples each; answers are the verifier's extracted text, chains the full texts.</p>`);

  if (a.fallback.length > 0) {
    section('fallback', 'Guessed answers', `<p>Verdicts that judged only the last number in a response with no stated answer:</p><ul>${
      a.fallback.map((x) => `<li>${esc(x.model)}: ${x.verdicts} verdicts, ${x.correct} judged correct</li>`).join('')}</ul>`);
  }
  if (a.labels) {
    const l = a.labels;
    section('labels', 'Chains labelled by hand', `<p>${l.labelled} samples labelled on ${l.problems} problems; ${l.correctUnlabelled} correct samples there are unlabelled and count only in the plain pass@k.</p>`
      + renderPassAtKSvg([...seriesOfReport(l.plain), ...seriesOfReport(l.validOnly).map((s) => ({ ...s, model: `${s.model} (valid chains only)` }))], { title: `pass@k on the ${l.problems} labelled problems: plain and valid chains only` })
      + passTable([...l.plain.models, ...l.validOnly.models.map((m) => ({ ...m, model: `${m.model}, valid only` }))], l.plain.ks));
  }

  const origin = run.origin.tool === 'passk' ? 'sampled and verified by PassK Lab' : `imported from ${esc(String(run.origin.tool))}${run.origin.file ? ` (${esc(String(run.origin.file))})` : ''}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(run.name)} — PassK Lab report</title>
<style>
body{font:14px/1.45 Helvetica,Arial,sans-serif;color:#1d1d1f;margin:0 auto;max-width:1000px;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
table.numbers td{text-align:right;font-variant-numeric:tabular-nums}.ci{color:#666;font-size:12px}.na{color:#888}
.role{font-size:11px;border:1px solid #bbb;border-radius:3px;padding:0 4px;color:#444}code{font-size:12px}
svg{max-width:100%;height:auto}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(440px,1fr));gap:8px}figure{margin:0}figcaption{color:#555;font-size:12px}
nav a{margin-right:10px}header p{margin:2px 0;color:#444}
@media print{body{max-width:none;padding:0}nav{display:none}.grid>div{break-inside:avoid}}
</style></head><body>
<header><h1>${esc(run.name)}</h1>
<p>${esc(run.benchmark)} · ${run.problems} problems × n=${run.n} · ${run.models.length} models · verifier ${esc(run.verifier)} · seed ${esc(run.seed)} · status ${esc(run.status)}</p>
<p>${origin} · ${run.samples} samples · samples digest <code>${run.samplesDigest.slice(0, 16)}…</code></p></header>
<nav>${['models', 'pass-at-k', 'forecast', 'crossover', 'histogram', 'coverage', 'by-level', 'by-subject', 'perplexity', 'diversity', 'fallback', 'labels']
    .filter((id) => sections.some((s) => s.startsWith(`<section id="${id}"`))).map((id) => `<a href="#${id}">${id.replace(/-/g, ' ')}</a>`).join('')}</nav>
${sections.join('\n')}
<footer><p class="ci">PassK Lab ${esc(meta.version)}, ${esc(meta.generatedAt)}: <code>${esc(meta.command)}</code></p></footer>
</body></html>
`;
}
