import { escapeXml, ROLE_COLOURS } from '../stats/pass-at-k-svg.ts';
import type { Role } from '../roles.ts';

const FONT = 'font-family="Helvetica, Arial, sans-serif" font-size="12"';
const fmt = (v: number) => (Math.round(v * 10) / 10).toString();

export interface BarGroup {
  label: string;
  bars: { series: string; role: Role; value: number; ci?: [number, number] }[];
}

/** Grouped bars (a group per bin or per model), optional interval whiskers, a title per bar for hover. */
export function renderBarsSvg(groups: readonly BarGroup[], options: { title: string; yLabel: string; width?: number; height?: number; yMax?: number }): string {
  const { title, yLabel, width = 760, height = 320 } = options;
  const m = { left: 64, right: 16, top: 40, bottom: 64 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const axis = niceAxis(options.yMax ?? Math.max(1e-9, ...groups.flatMap((g) => g.bars.map((b) => b.ci?.[1] ?? b.value))));
  const top = axis.top;
  const y = (v: number) => m.top + plotH * (1 - v / top);
  const slot = plotW / Math.max(1, groups.length);
  const seriesCount = Math.max(1, ...groups.map((g) => g.bars.length));
  const barW = Math.min(28, (slot * 0.8) / seriesCount);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`, `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>`];
  for (let i = 0; i * axis.step <= top + 1e-12; i++) {
    const v = i * axis.step;
    out.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${fmt(y(v))}" y2="${fmt(y(v))}" stroke="#e6e6e6"/>`,
      `<text x="${m.left - 6}" y="${fmt(y(v))}" text-anchor="end" dominant-baseline="middle">${Number(v.toPrecision(6))}</text>`);
  }
  groups.forEach((g, gi) => {
    const x0 = m.left + slot * gi + (slot - barW * g.bars.length) / 2;
    g.bars.forEach((b, bi) => {
      const x = x0 + bi * barW;
      const colour = ROLE_COLOURS[b.role];
      out.push(`<rect x="${fmt(x)}" y="${fmt(y(b.value))}" width="${fmt(barW - 2)}" height="${fmt(m.top + plotH - y(b.value))}" fill="${colour}" fill-opacity="0.8">`
        + `<title>${escapeXml(`${b.series}, ${g.label}: ${b.value.toFixed(3)}${b.ci ? ` [${b.ci[0].toFixed(3)}, ${b.ci[1].toFixed(3)}]` : ''}`)}</title></rect>`);
      if (b.ci) {
        const cx = fmt(x + (barW - 2) / 2);
        out.push(`<line x1="${cx}" x2="${cx}" y1="${fmt(y(b.ci[0]))}" y2="${fmt(y(b.ci[1]))}" stroke="#222"/>`);
      }
    });
    out.push(`<text x="${fmt(m.left + slot * gi + slot / 2)}" y="${m.top + plotH + 16}" text-anchor="middle">${escapeXml(g.label)}</text>`);
  });
  out.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${m.top + plotH}" y2="${m.top + plotH}" stroke="#333"/>`,
    `<text x="16" y="${m.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${m.top + plotH / 2})">${escapeXml(yLabel)}</text>`);
  const series = [...new Map(groups.flatMap((g) => g.bars.map((b) => [b.series, b.role] as const))).entries()];
  series.forEach(([name, role], i) => {
    const lx = m.left + 8 + i * 150;
    out.push(`<rect x="${lx}" y="${height - 22}" width="12" height="12" fill="${ROLE_COLOURS[role]}"/>`, `<text x="${lx + 18}" y="${height - 12}">${escapeXml(name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

export interface BoxRow {
  label: string;
  role: Role;
  q10: number; q25: number; median: number; q75: number; q90: number;
  medianCi: [number, number];
}

/** Horizontal box plots on a log axis (perplexity): whiskers at the 10th and 90th percentiles, the median's interval as a band. */
export function renderBoxesSvg(rows: readonly BoxRow[], options: { title: string; xLabel: string; width?: number }): string {
  const { title, xLabel, width = 760 } = options;
  const rowH = 34;
  const m = { left: 220, right: 24, top: 40, bottom: 44 };
  const height = m.top + m.bottom + rowH * rows.length;
  const lo = Math.log10(Math.min(...rows.map((r) => r.q10)));
  const hi = Math.log10(Math.max(...rows.map((r) => r.q90)));
  const span = hi > lo ? hi - lo : 1;
  const x = (v: number) => m.left + ((Math.log10(v) - lo) / span) * (width - m.left - m.right);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`, `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>`];
  rows.forEach((r, i) => {
    const cy = m.top + rowH * i + rowH / 2;
    const colour = ROLE_COLOURS[r.role];
    out.push(`<text x="${m.left - 8}" y="${cy}" text-anchor="end" dominant-baseline="middle">${escapeXml(r.label)}</text>`,
      `<line x1="${fmt(x(r.q10))}" x2="${fmt(x(r.q90))}" y1="${cy}" y2="${cy}" stroke="#555"/>`,
      `<rect x="${fmt(x(r.q25))}" y="${cy - 9}" width="${fmt(Math.max(1, x(r.q75) - x(r.q25)))}" height="18" fill="${colour}" fill-opacity="0.35" stroke="${colour}">`
      + `<title>${escapeXml(`${r.label}: median ${r.median.toFixed(3)} [${r.medianCi[0].toFixed(3)}, ${r.medianCi[1].toFixed(3)}], quartiles ${r.q25.toFixed(3)}–${r.q75.toFixed(3)}`)}</title></rect>`,
      `<rect x="${fmt(x(r.medianCi[0]))}" y="${cy - 9}" width="${fmt(Math.max(1, x(r.medianCi[1]) - x(r.medianCi[0])))}" height="18" fill="${colour}" fill-opacity="0.5"/>`,
      `<line x1="${fmt(x(r.median))}" x2="${fmt(x(r.median))}" y1="${cy - 11}" y2="${cy + 11}" stroke="#111" stroke-width="2"/>`);
  });
  const ticks = 5;
  for (let i = 0; i <= ticks; i++) {
    const v = 10 ** (lo + (span * i) / ticks);
    out.push(`<text x="${fmt(x(v))}" y="${height - m.bottom + 16}" text-anchor="middle">${v < 10 ? v.toFixed(2) : v.toFixed(0)}</text>`);
  }
  out.push(`<text x="${m.left + (width - m.left - m.right) / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(xLabel)}</text>`, '</svg>');
  return out.join('\n');
}

/** An axis for values up to `v`: a step of 1, 2 or 5 × 10^e giving at most five intervals, and the top a whole number of steps. */
export function niceAxis(v: number): { top: number; step: number } {
  const rough = v / 5;
  const exponent = Math.floor(Math.log10(rough));
  const clean = (x: number) => Number(x.toPrecision(12));
  const step = clean([1, 2, 5, 10].map((m) => m * 10 ** exponent).find((x) => x >= rough * (1 - 1e-12))!);
  return { top: clean(Math.max(step, Math.ceil(v / step - 1e-9) * step)), step };
}
