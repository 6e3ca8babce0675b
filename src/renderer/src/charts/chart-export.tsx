import type { ReactElement } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { Role } from '../../../core/roles.ts';
import { buildFigure, type FigurePanel } from './figure/chart-figure.ts';
import { FIGURE_WIDTHS, type Figure, type FigureWidth, type LegendEntry } from './figure/figure-model.ts';
import { withPngDpi } from './figure/png-dpi.ts';

/**
 * What a figure is made of for export: its charts drawn at the width asked (a chart may pick
 * a narrower layout for a column), its legend and a note (what the bands are).
 */
export interface FigureSpec {
  panels: (width: FigureWidth) => { title?: string; chart: ReactElement }[];
  legend: LegendEntry[];
  note?: string;
}

/**
 * Draws the figure's charts off screen (never the ones in the window: their size follows the
 * window, their colours the theme, and they carry focus and hover state), reads them as
 * print primitives, and takes the drawing away again.
 */
export function drawFigure(spec: FigureSpec, width: FigureWidth): Figure {
  const host = document.createElement('div');
  host.className = 'figure-offscreen';
  host.setAttribute('aria-hidden', 'true');
  document.body.append(host);
  const root = createRoot(host);
  try {
    const panels = spec.panels(width);
    flushSync(() => root.render(<>{panels.map((p, i) => <div key={i} data-panel={i}>{p.chart}</div>)}</>));
    const drawn: FigurePanel[] = panels.flatMap((p, i) => {
      const svg = host.querySelector(`[data-panel="${i}"] svg.chart-svg`);
      return svg ? [{ svg: svg as SVGSVGElement, ...(p.title ? { title: p.title } : {}) }] : [];
    });
    if (drawn.length === 0) throw new Error('there is no chart to draw yet');
    return buildFigure(drawn, { width, legend: spec.legend, ...(spec.note ? { note: spec.note } : {}) });
  } finally {
    root.unmount();
    host.remove();
  }
}

/** The figure's SVG drawn onto a canvas at `dpi` and encoded as a PNG that states its resolution. */
export async function pngOfSvg(svgText: string, figure: Figure, dpi: number): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the figure could not be drawn as an image'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round((figure.width / 72) * dpi);
    canvas.height = Math.round((figure.height / 72) * dpi);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas in this window');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
    return new Blob([withPngDpi(new Uint8Array(await blob.arrayBuffer()), dpi)], { type: 'image/png' });
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Legend entries of curves (dashed where the chart dashes them). */
export const curveLegend = (series: readonly { label: string; role: Role; dashed?: boolean }[]): LegendEntry[] =>
  series.map((s) => ({ label: s.label, role: s.role, mark: s.dashed ? 'dashed' : 'line' }));

/** Legend entries of one mark per distinct label (bars, points of interval rows). */
export const markLegend = (items: readonly { label: string; role: Role }[], mark: 'box' | 'point'): LegendEntry[] =>
  [...new Map(items.map((i) => [i.label, i])).values()].map((i) => ({ label: i.label, role: i.role, mark }));

export const widthLabel = (w: FigureWidth) => `${FIGURE_WIDTHS[w] / 72} in`;

export function download(name: string, data: Blob | string | Uint8Array<ArrayBuffer>, type = 'text/plain'): void {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
