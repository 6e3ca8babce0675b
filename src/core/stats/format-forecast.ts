import type { ForecastReport } from './forecast.ts';

/** The forecast as a text table under `passk stats`: pass@k with its interval per model, a * beside each k beyond some model's n. */
export function formatForecast(report: ForecastReport): string {
  const cell = (value: number, ci: [number, number]) => `${value.toFixed(3)} [${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}]`;
  const widths = report.models.map((m) => Math.max(`${m.model} (${m.family})`.length, 21));
  const lines = [
    `Forecast pass@k beyond n (per-problem success fitted by maximum likelihood; ${Math.round(report.level * 100)}% bootstrap over problems with a refit each, B=${report.resamples}, seed ${report.seed}; * = k above some model's n):`,
    `    k  ${report.models.map((m, i) => `${m.model} (${m.family})`.padEnd(widths[i])).join('  ')}`,
  ];
  for (const k of report.ks) {
    const key = String(k);
    lines.push(`${String(k).padStart(5)}${report.models.some((m) => k > m.n) ? '*' : ' '} ${report.models.map((m, i) => cell(m.passAtK[key], m.ci[key]).padEnd(widths[i])).join('  ')}`.trimEnd());
  }
  for (const c of report.coverage) {
    const e = c.expected;
    lines.push(`  ${c.a} vs ${c.b}, expected at k=${c.k}: both ${e.both.toFixed(1)}, only ${c.a} ${e.onlyA.toFixed(1)}, only ${c.b} ${e.onlyB.toFixed(1)}, neither ${e.neither.toFixed(1)}`);
  }
  return lines.join('\n') + '\n';
}
