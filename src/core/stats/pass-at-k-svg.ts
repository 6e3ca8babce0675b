import type { StatsReport } from './stats-report.ts';
import type { Role } from './types.ts';

export interface PlotSeries {
  model: string;
  role: Role;
  points: { k: number; value: number; ci: [number, number] }[];
}

export interface PlotOptions {
  title?: string;
  width?: number;
  height?: number;
  /** Forecast curves, drawn dashed (band lighter) from each model's largest measured k on, matched to `series` by model. */
  forecast?: readonly PlotSeries[];
}

/** Stable colours per role, so base is always blue and RL always red across figures. */
export const ROLE_COLOURS: Record<Role, string> = {
  base: '#1f6fb4',
  rl: '#d0342c',
  distilled: '#2c9a3c',
  other: '#7a4fb0',
};
/** Second and later models of one role keep its colour and change dash pattern. */
const DASHES = ['', '6 4', '2 3', '8 3 2 3'];

const FORECAST_DASH = '5 4';

const MARGIN = { left: 64, right: 24, top: 44, bottom: 56 };

/** The pass@k plot as a standalone SVG document: x = log₂ k, y = pass@k, a line and a CI band per model. */
export function renderPassAtKSvg(series: readonly PlotSeries[], options: PlotOptions = {}): string {
  const { title = 'pass@k', width = 760, height = 460 } = options;
  const forecast = (options.forecast ?? []).map((f) => {
    const measured = series.find((s) => s.model === f.model)?.points ?? [];
    const from = Math.max(0, ...measured.map((p) => p.k));
    const start = measured.find((p) => p.k === from);
    return { ...f, points: [...(start ? [start] : []), ...f.points.filter((p) => p.k > from)].sort((a, b) => a.k - b.k) };
  }).filter((f) => f.points.length > 1);
  const all = [...series, ...forecast];
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const ks = [...new Set(all.flatMap((s) => s.points.map((p) => p.k)))].sort((a, b) => a - b);
  const xMin = Math.log2(ks[0] ?? 1);
  const xMax = Math.max(Math.log2(ks.at(-1) ?? 2), xMin + 1);
  const lows = all.flatMap((s) => s.points.map((p) => p.ci[0]));
  const highs = all.flatMap((s) => s.points.map((p) => p.ci[1]));
  let yMin = Math.max(0, Math.floor(Math.min(...lows, 1) * 10) / 10);
  let yMax = Math.min(1, Math.ceil(Math.max(...highs, 0) * 10) / 10);
  if (yMax - yMin < 0.1) [yMin, yMax] = [Math.max(0, yMax - 0.1), Math.max(yMax, 0.1)];
  const x = (k: number): number => MARGIN.left + ((Math.log2(k) - xMin) / (xMax - xMin)) * plotW;
  const y = (v: number): number => MARGIN.top + (1 - (v - yMin) / (yMax - yMin)) * plotH;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`);

  // Grid and ticks: y every 0.1 (0.05 on narrow ranges), x at every k of the grid, labels thinned to fit.
  const yStep = yMax - yMin > 0.3 ? 0.1 : 0.05;
  for (let i = 0; yMin + i * yStep <= yMax + 1e-9; i++) {
    const v = yMin + i * yStep;
    const py = num(y(v));
    out.push(`<line x1="${MARGIN.left}" y1="${py}" x2="${MARGIN.left + plotW}" y2="${py}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${py}" text-anchor="end" dominant-baseline="middle">${v.toFixed(yStep < 0.1 ? 2 : 1)}</text>`);
  }
  const labelEvery = Math.max(1, Math.ceil(ks.length / 12));
  ks.forEach((k, i) => {
    const px = num(x(k));
    out.push(`<line x1="${px}" y1="${MARGIN.top}" x2="${px}" y2="${MARGIN.top + plotH}" stroke="#f0f0f0"/>`);
    out.push(`<line x1="${px}" y1="${MARGIN.top + plotH}" x2="${px}" y2="${MARGIN.top + plotH + 5}" stroke="#333"/>`);
    if (i % labelEvery === 0 || i === ks.length - 1) {
      out.push(`<text x="${px}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${k}</text>`);
    }
  });
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${MARGIN.left + plotW / 2}" y="${height - 14}" text-anchor="middle">k (log₂ scale)</text>`);
  out.push(`<text x="18" y="${MARGIN.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 18 ${MARGIN.top + plotH / 2})">pass@k</text>`);

  const seenPerRole = new Map<Role, number>();
  const legend: { label: string; colour: string; dash: string }[] = [];
  for (const s of series) {
    const nth = seenPerRole.get(s.role) ?? 0;
    seenPerRole.set(s.role, nth + 1);
    const colour = ROLE_COLOURS[s.role];
    const dash = DASHES[nth % DASHES.length];
    legend.push({ label: `${s.model} (${s.role})`, colour, dash });
    const points = [...s.points].sort((a, b) => a.k - b.k);
    if (points.length === 0) continue;
    const band = [
      ...points.map((p) => `${num(x(p.k))},${num(y(p.ci[1]))}`),
      ...points.slice().reverse().map((p) => `${num(x(p.k))},${num(y(p.ci[0]))}`),
    ].join(' ');
    out.push(`<polygon points="${band}" fill="${colour}" fill-opacity="0.15" stroke="none"/>`);
    const line = points.map((p) => `${num(x(p.k))},${num(y(p.value))}`).join(' ');
    out.push(`<polyline points="${line}" fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    // A title per point: hovering in a browser shows the value and its interval.
    for (const p of points) {
      out.push(`<circle cx="${num(x(p.k))}" cy="${num(y(p.value))}" r="3" fill="${colour}"><title>${escapeXml(`${s.model} pass@${p.k} = ${p.value.toFixed(3)} [${p.ci[0].toFixed(3)}, ${p.ci[1].toFixed(3)}]`)}</title></circle>`);
    }
  }

  for (const f of forecast) {
    const colour = ROLE_COLOURS[f.role];
    const band = [...f.points.map((p) => `${num(x(p.k))},${num(y(p.ci[1]))}`), ...f.points.slice().reverse().map((p) => `${num(x(p.k))},${num(y(p.ci[0]))}`)].join(' ');
    out.push(`<polygon points="${band}" fill="${colour}" fill-opacity="0.07" stroke="none"/>`);
    out.push(`<polyline points="${f.points.map((p) => `${num(x(p.k))},${num(y(p.value))}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="2" stroke-dasharray="${FORECAST_DASH}"/>`);
    for (const p of f.points.slice(1)) {
      out.push(`<circle cx="${num(x(p.k))}" cy="${num(y(p.value))}" r="3" fill="#ffffff" stroke="${colour}"><title>${escapeXml(`${f.model} forecast pass@${p.k} = ${p.value.toFixed(3)} [${p.ci[0].toFixed(3)}, ${p.ci[1].toFixed(3)}]`)}</title></circle>`);
    }
  }
  if (forecast.length > 0) legend.push({ label: 'forecast beyond n', colour: '#555555', dash: FORECAST_DASH });

  // Legend in the lower right, where pass@k curves (rising with k) leave room.
  const rowH = 18;
  const legendW = 16 + 28 + 7 * Math.max(...legend.map((l) => l.label.length), 4);
  const lx = MARGIN.left + plotW - legendW - 10;
  const ly = MARGIN.top + plotH - legend.length * rowH - 14;
  out.push(`<rect x="${lx}" y="${ly}" width="${legendW}" height="${legend.length * rowH + 8}" fill="#ffffff" fill-opacity="0.9" stroke="#bbb"/>`);
  legend.forEach((entry, i) => {
    const ey = ly + 4 + rowH * i + rowH / 2;
    out.push(`<line x1="${lx + 8}" y1="${ey}" x2="${lx + 32}" y2="${ey}" stroke="${entry.colour}" stroke-width="2"${entry.dash ? ` stroke-dasharray="${entry.dash}"` : ''}/>`);
    out.push(`<text x="${lx + 38}" y="${ey}" dominant-baseline="middle">${escapeXml(entry.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function num(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch] as string);
}

/** The plotted lines of a stats report: each model's pass@k over the k it has. */
export function seriesOfReport(report: StatsReport): PlotSeries[] {
  return report.models.map((model) => ({
    model: model.model,
    role: model.role,
    points: Object.keys(model.passAtK).map((k) => ({ k: Number(k), value: model.passAtK[k], ci: model.ci[k] })),
  }));
}
