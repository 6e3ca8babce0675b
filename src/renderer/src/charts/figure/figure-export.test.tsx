// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { drawFigure, curveLegend, type FigureSpec } from '../chart-export.tsx';
import { HistogramChart } from '../histogram-chart.tsx';
import { PassAtKChart, type CurveSeries } from '../pass-at-k-chart.tsx';
import { buildFigure, parsePathData, parseTransform } from './chart-figure.ts';
import { figurePdf } from './figure-pdf.ts';
import { figureSvg } from './figure-svg.ts';
import { FIGURE_WIDTHS, PRINT } from './figure-model.ts';
import { helveticaWidth, winAnsiCodes } from './helvetica.ts';
import { pngDpi, withPngDpi } from './png-dpi.ts';

const series: CurveSeries[] = [
  { id: 'b', label: 'base (base)', role: 'base', points: [1, 2, 4, 8].map((k) => ({ k, value: 0.2 + 0.08 * Math.log2(k), ci: [0.15 + 0.08 * Math.log2(k), 0.25 + 0.08 * Math.log2(k)] as [number, number] })) },
  { id: 'r', label: 'rl (rl)', role: 'rl', dashed: true, points: [1, 2, 4, 8].map((k) => ({ k, value: 0.35 + 0.03 * Math.log2(k), ci: [0.3 + 0.03 * Math.log2(k), 0.4 + 0.03 * Math.log2(k)] as [number, number] })) },
];
const spec: FigureSpec = {
  panels: (width) => [{ chart: <PassAtKChart size={width === 'column' ? 'small' : 'full'} legend={false} title="pass@k" series={series} crossovers={[{ k: 8, label: 'base reaches rl at k=8' }]} level={0.95} /> }],
  legend: curveLegend(series),
  note: 'Bands: 95% paired bootstrap intervals over 30 problems.',
};

afterEach(() => { document.documentElement.removeAttribute('data-theme'); });

describe('figure export', () => {
  it('draws the chart off screen in the print theme at the width asked, with its legend and no UI attribute', () => {
    document.documentElement.setAttribute('data-theme', 'dark');
    const figure = drawFigure(spec, 'column');
    expect(figure.width).toBe(FIGURE_WIDTHS.column);
    expect(figure.background).toBe('#ffffff');
    expect(document.querySelector('.figure-offscreen')).toBeNull();
    const svg = figureSvg(figure);
    expect(svg).toContain('width="252pt"');
    expect(svg).toMatch(/<rect x="0" y="0" width="252" height="\d+" fill="#ffffff"\/>/);
    for (const ui of ['style=', 'class=', 'tabindex', 'aria-', 'role=', 'Arrow keys', '<title', 'data-']) expect(svg).not.toContain(ui);
    expect(svg).toContain('>base (base)</text>');
    expect(svg).toContain('>rl (rl)</text>');
    expect(svg).toContain('>base reaches rl at k=8</text>');
    expect(svg).toContain(`stroke="${PRINT.roles.rl}" stroke-width="1.3" stroke-dasharray="4 2.5"`);
    // The band is the role's colour, translucent; the grid is the print grey.
    expect(svg).toContain(`fill="${PRINT.roles.base}" fill-opacity="0.14"`);
    expect(svg).toContain(`stroke="${PRINT.grid}"`);
    // Text is set in points whatever the chart's units: a tick label is 6.5 pt at both widths.
    expect(svg).toMatch(/font-size="6.5"/);
    const full = drawFigure(spec, 'full');
    expect(full.width).toBe(504);
    expect(figureSvg(full)).toMatch(/font-size="6.5"/);
  });

  it('lays small multiples in a grid with a title each, one column at column width and two at full width', () => {
    const panels: FigureSpec = { ...spec, panels: () => ['1', '2', '3'].map((g) => ({ title: `Level ${g}`, chart: <PassAtKChart size="small" legend={false} title={g} series={series} level={0.95} /> })) };
    const column = drawFigure(panels, 'column');
    const full = drawFigure(panels, 'full');
    const titles = (f: typeof column) => f.primitives.filter((p) => p.kind === 'text' && p.bold);
    expect(titles(column).map((t) => t.kind === 'text' && t.text)).toEqual(['Level 1', 'Level 2', 'Level 3']);
    const xs = (f: typeof column) => titles(f).map((t) => (t.kind === 'text' ? t.x : 0));
    expect(new Set(xs(column)).size).toBe(1);
    expect(new Set(xs(full)).size).toBe(2);
    expect(column.height).toBeGreaterThan(full.height);
  });

  it('draws a histogram with box swatches, and rotates its bin labels at column width', () => {
    const figure = drawFigure({ panels: (w) => [{ chart: <HistogramChart size={w === 'column' ? 'small' : 'full'} title="h" series={[{ id: 'b', label: 'base', role: 'base', bins: [{ label: '0', count: 3, fraction: 0.3 }, { label: '1', count: 7, fraction: 0.7 }] }]} /> }], legend: [{ label: 'base', role: 'base', mark: 'box' }] }, 'column');
    const bins = figure.primitives.filter((p) => p.kind === 'text' && (p.text === '0' || p.text === '1') && p.angle !== 0);
    expect(bins).toHaveLength(2);
    expect(figure.primitives.filter((p) => p.kind === 'path' && p.fill === PRINT.roles.base).length).toBe(3); // two bars and the legend's box
  });

  it('refuses a figure with no chart drawn', () => {
    expect(() => drawFigure({ panels: () => [{ chart: <PassAtKChart title="x" series={[]} level={0.95} /> }], legend: [] }, 'full')).toThrow(/no chart/);
  });
});

describe('figure primitives', () => {
  it('reads the paths and transforms the charts write', () => {
    expect(parsePathData('M1,2 L3,4 L5,6 Z M7 8 H9 V10')).toEqual([
      { points: [[1, 2], [3, 4], [5, 6]], closed: true },
      { points: [[7, 8], [9, 8], [9, 10]], closed: false },
    ]);
    const m = parseTransform('translate(12 190) rotate(-90)');
    // A point 10 along the text's x goes up the page.
    expect(m[4] + m[0] * 10).toBeCloseTo(12);
    expect(m[5] + m[1] * 10).toBeCloseTo(180);
  });

  it('measures and encodes Helvetica text', () => {
    expect(helveticaWidth('0.25', 10)).toBeCloseTo((556 * 3 + 278) / 100);
    expect(winAnsiCodes('log₂ − ×')).toEqual([108, 111, 103, 50, 32, 0x96, 32, 0xd7]);
    expect(winAnsiCodes('漢')).toEqual([63]);
  });

  it('writes a PDF whose cross-reference table points at its objects, with the legend as text in Helvetica', () => {
    const figure = drawFigure(spec, 'full');
    const bytes = figurePdf(figure, { title: 'pass@k (run a)' });
    const text = String.fromCharCode(...bytes);
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    const xref = Number(/startxref\n(\d+)/.exec(text)![1]);
    expect(text.slice(xref, xref + 4)).toBe('xref');
    const offsets = [...text.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(7);
    offsets.forEach((o, i) => expect(text.slice(o, o + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));
    const length = Number(/\/Length (\d+) >>\nstream\n/.exec(text)![1]);
    const start = text.indexOf('stream\n') + 'stream\n'.length;
    expect(text.slice(start + length, start + length + '\nendstream'.length)).toBe('\nendstream');
    expect(text).toContain('/BaseFont /Helvetica ');
    expect(text).toContain(`/MediaBox [0 0 504 ${figure.height}]`);
    expect(text).toContain('(base \\(base\\)) Tj');
    expect(text).toContain('(rl \\(rl\\)) Tj');
    expect(text).toContain('/ca 0.14'); // the bands' translucency
    expect(text).toContain('1 1 1 rg 0 0 504'); // white page
  });
});

describe('PNG resolution', () => {
  const crcOf = (bytes: number[]) => {
    let c = 0xffffffff;
    for (const b of bytes) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: number[]) => {
    const body = [...type].map((c) => c.charCodeAt(0)).concat(data);
    const be = (v: number) => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
    return [...be(data.length), ...body, ...be(crcOf(body))];
  };
  const png = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10, ...chunk('IHDR', [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]), ...chunk('pHYs', [0, 0, 11, 19, 0, 0, 11, 19, 1]), ...chunk('IEND', [])]);

  it('states the dpi in one pHYs chunk after IHDR, with its CRC', () => {
    expect(pngDpi(png)).toBe(72);
    const out = withPngDpi(png, 300);
    expect(pngDpi(out)).toBe(300);
    expect(String.fromCharCode(...out)).toContain('IHDR');
    expect(String.fromCharCode(...out).split('pHYs')).toHaveLength(2);
    const at = String.fromCharCode(...out).indexOf('pHYs');
    const crc = new DataView(out.buffer).getUint32(at + 13);
    expect(crc).toBe(crcOf([...out.subarray(at, at + 13)]));
    expect(() => withPngDpi(Uint8Array.from([1, 2, 3]), 300)).toThrow(/not a PNG/);
  });
});

it('builds a figure from an SVG of another document too (no window size involved)', () => {
  const holder = document.createElement('div');
  holder.innerHTML = '<svg viewBox="0 0 100 50" class="chart-svg"><g class="series role-base"><path class="series-line" d="M0,0 L100,50"/></g></svg>';
  const figure = buildFigure([{ svg: holder.querySelector('svg')! }], { width: 'full', legend: [] });
  const line = figure.primitives.find((p) => p.kind === 'path');
  expect(line && line.kind === 'path' && line.subpaths[0].points).toEqual([[6, 6], [498, 252]]);
});
