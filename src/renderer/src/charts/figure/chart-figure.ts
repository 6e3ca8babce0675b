import { ROLES } from '../../../../core/protocol/ui-app-requests.ts';
import type { Role } from '../../../../core/roles.ts';
import { helveticaWidth } from './helvetica.ts';
import { FIGURE_WIDTHS, PRINT, type Figure, type FigureWidth, type LegendEntry, type Paint, type Primitive } from './figure-model.ts';

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
const multiply = (m: Matrix, o: Matrix): Matrix => [
  m[0] * o[0] + m[2] * o[1], m[1] * o[0] + m[3] * o[1],
  m[0] * o[2] + m[2] * o[3], m[1] * o[2] + m[3] * o[3],
  m[0] * o[4] + m[2] * o[5] + m[4], m[1] * o[4] + m[3] * o[5] + m[5],
];
const apply = (m: Matrix, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

/** translate, rotate (about the origin or a point) and scale: what the charts write. */
export function parseTransform(text: string | null): Matrix {
  let m = IDENTITY;
  for (const [, op, args] of (text ?? '').matchAll(/(\w+)\s*\(([^)]*)\)/g)) {
    const v = args.trim().split(/[\s,]+/).filter(Boolean).map(Number);
    if (op === 'translate') m = multiply(m, [1, 0, 0, 1, v[0] ?? 0, v[1] ?? 0]);
    else if (op === 'scale') m = multiply(m, [v[0] ?? 1, 0, 0, v[1] ?? v[0] ?? 1, 0, 0]);
    else if (op === 'rotate') {
      const r = ((v[0] ?? 0) * Math.PI) / 180;
      const [cx, cy] = [v[1] ?? 0, v[2] ?? 0];
      m = multiply(multiply(multiply(m, [1, 0, 0, 1, cx, cy]), [Math.cos(r), Math.sin(r), -Math.sin(r), Math.cos(r), 0, 0]), [1, 0, 0, 1, -cx, -cy]);
    }
  }
  return m;
}

/** Subpaths of a path made of M, L, H, V and Z (absolute), as the charts draw them. */
export function parsePathData(d: string): { points: [number, number][]; closed: boolean }[] {
  const subpaths: { points: [number, number][]; closed: boolean }[] = [];
  let x = 0;
  let y = 0;
  for (const [, command, args] of d.matchAll(/([MLHVZ])([^MLHVZ]*)/gi)) {
    const v = args.trim().split(/[\s,]+/).filter(Boolean).map(Number);
    const c = command.toUpperCase();
    if (c === 'Z') {
      if (subpaths.length > 0) subpaths[subpaths.length - 1].closed = true;
      continue;
    }
    if (c === 'H' || c === 'V') {
      for (const value of v) {
        if (c === 'H') x = value; else y = value;
        subpaths.at(-1)?.points.push([x, y]);
      }
      continue;
    }
    for (let i = 0; i + 1 < v.length; i += 2) {
      [x, y] = [v[i], v[i + 1]];
      if (c === 'M' && i === 0) subpaths.push({ points: [[x, y]], closed: false });
      else subpaths.at(-1)?.points.push([x, y]);
    }
  }
  return subpaths.filter((s) => s.points.length > 0);
}

interface Context { role: Role | null; classes: Set<string> }
type Style = { paint: Paint; r?: number } | { text: { size: number; fill: string } } | null;

/** The print theme's look of each part of a chart, by its class; null: not part of the figure. */
function printStyle(own: Set<string>, ctx: Context): Style {
  const role = ctx.role ? PRINT.roles[ctx.role] : PRINT.text;
  const inRow = ctx.classes.has('interval-row');
  if (own.has('tick-label')) return { text: { size: own.has('small') ? 5.5 : 6.5, fill: PRINT.muted } };
  if (own.has('axis-label')) return { text: { size: 7, fill: PRINT.text } };
  if (own.has('crossover-label')) return { text: { size: 6.5, fill: PRINT.text } };
  if (own.has('row-label')) return { text: { size: 7, fill: PRINT.text } };
  if (own.has('grid-line')) return { paint: { stroke: PRINT.grid, strokeWidth: 0.5 } };
  if (own.has('zero-line')) return { paint: { stroke: PRINT.text, strokeWidth: 0.6, strokeOpacity: 0.6 } };
  if (own.has('crossover-line')) return { paint: { stroke: PRINT.text, strokeWidth: 0.7, dash: [2, 2] } };
  if (own.has('band')) return { paint: { fill: role, fillOpacity: 0.14 } };
  if (own.has('series-line')) return { paint: { stroke: role, strokeWidth: 1.3, ...(ctx.classes.has('dashed') ? { dash: [4, 2.5] } : {}) } };
  if (own.has('series-point')) return inRow ? { paint: { fill: role }, r: 2.4 } : { paint: { fill: role, stroke: PRINT.background, strokeWidth: 0.4 }, r: 1.8 };
  if (own.has('bar')) return { paint: { fill: role } };
  if (own.has('interval') || own.has('whisker')) return { paint: { stroke: role, strokeWidth: 1 } };
  if (own.has('box')) return { paint: { fill: role, fillOpacity: 0.22, stroke: role, strokeWidth: 0.8 } };
  if (own.has('median-ci')) return { paint: { fill: role, fillOpacity: 0.75 } };
  if (own.has('median')) return { paint: { stroke: PRINT.text, strokeWidth: 1.3 } };
  return null;
}

const classesOf = (el: Element) => new Set((el.getAttribute('class') ?? '').split(/\s+/).filter(Boolean));
const roleOf = (classes: Set<string>): Role | null => ROLES.find((r) => classes.has(`role-${r}`)) ?? null;
const attr = (el: Element, name: string) => Number(el.getAttribute(name) ?? 0);

/** A chart's SVG (as drawn on screen, any theme) as print primitives, placed by `m` (chart units → points). */
function walk(el: Element, m: Matrix, ctx: Context, scale: number, out: Primitive[]): void {
  for (const child of el.children) {
    const tag = child.tagName.toLowerCase();
    if (tag === 'title' || tag === 'desc' || tag === 'defs' || child.getAttribute('data-export') === 'omit') continue;
    const own = classesOf(child);
    const here = multiply(m, parseTransform(child.getAttribute('transform')));
    const inner: Context = { role: roleOf(own) ?? ctx.role, classes: new Set([...ctx.classes, ...own]) };
    if (tag === 'g') {
      walk(child, here, inner, scale, out);
      continue;
    }
    const style = printStyle(own, inner);
    if (style === null) continue;
    if ('text' in style) {
      const text = (child.textContent ?? '').trim();
      if (!text) continue;
      const size = style.text.size;
      const angle = (Math.atan2(here[1], here[0]) * 180) / Math.PI;
      let [x, y] = apply(here, attr(child, 'x'), attr(child, 'y'));
      const baseline = child.getAttribute('dominant-baseline');
      if (baseline === 'middle' || baseline === 'central') {
        const a = (angle * Math.PI) / 180;
        x += -Math.sin(a) * 0.35 * size;
        y += Math.cos(a) * 0.35 * size;
      }
      const anchor = child.getAttribute('text-anchor');
      out.push({ kind: 'text', x, y, text, size, angle, fill: style.text.fill, anchor: anchor === 'middle' || anchor === 'end' ? anchor : 'start' });
      continue;
    }
    let paint = style.paint;
    // A curve drawn wider on screen because it coincides with another keeps its nesting in print.
    const screenWidth = Number.parseFloat((child as SVGElement).style?.strokeWidth ?? '');
    if (Number.isFinite(screenWidth) && paint.strokeWidth) paint = { ...paint, strokeWidth: (paint.strokeWidth * screenWidth) / 2.2 };
    if (tag === 'circle') {
      const [cx, cy] = apply(here, attr(child, 'cx'), attr(child, 'cy'));
      out.push({ kind: 'circle', cx, cy, r: style.r ?? attr(child, 'r') * scale, ...paint });
      continue;
    }
    let points: { points: [number, number][]; closed: boolean }[] = [];
    if (tag === 'path') points = parsePathData(child.getAttribute('d') ?? '');
    else if (tag === 'line') points = [{ points: [[attr(child, 'x1'), attr(child, 'y1')], [attr(child, 'x2'), attr(child, 'y2')]], closed: false }];
    else if (tag === 'rect') {
      const [x, y, w, h] = [attr(child, 'x'), attr(child, 'y'), attr(child, 'width'), attr(child, 'height')];
      points = [{ points: [[x, y], [x + w, y], [x + w, y + h], [x, y + h]], closed: true }];
    }
    if (points.length > 0) out.push({ kind: 'path', subpaths: points.map((s) => ({ closed: s.closed, points: s.points.map(([px, py]) => apply(here, px, py)) })), ...paint });
  }
}

/** Words of `text` in lines no wider than `width` at `size`. */
function wrap(text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && helveticaWidth(next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

export interface FigurePanel { svg: SVGSVGElement; title?: string }
export interface FigureOptions { width: FigureWidth; legend: LegendEntry[]; note?: string }

const MARGIN = 6;
const GAP = 10;
const LEGEND_SIZE = 7;

/**
 * The print figure of one or more charts (small multiples in a grid: one column at column
 * width, two at full width), with its legend (each model's colour and mark beside its name)
 * and a note under it. The figure's size depends only on the width asked for and the charts'
 * own proportions, never on the window.
 */
export function buildFigure(panels: FigurePanel[], options: FigureOptions): Figure {
  const width = FIGURE_WIDTHS[options.width];
  const columns = panels.length > 1 && options.width === 'full' ? 2 : 1;
  const panelWidth = (width - 2 * MARGIN - (columns - 1) * GAP) / columns;
  const primitives: Primitive[] = [];
  let y = MARGIN;
  for (let row = 0; row * columns < panels.length; row++) {
    let rowHeight = 0;
    panels.slice(row * columns, row * columns + columns).forEach((panel, i) => {
      const x = MARGIN + i * (panelWidth + GAP);
      const { width: vbWidth, height: vbHeight } = panel.svg.viewBox.baseVal;
      const scale = panelWidth / (vbWidth || 1);
      let top = y;
      if (panel.title) {
        primitives.push({ kind: 'text', x, y: top + 8, text: panel.title, size: 7.5, anchor: 'start', angle: 0, fill: PRINT.text, bold: true });
        top += 12;
      }
      walk(panel.svg, [scale, 0, 0, scale, x, top], { role: null, classes: new Set() }, scale, primitives);
      rowHeight = Math.max(rowHeight, top - y + vbHeight * scale);
    });
    y += rowHeight + GAP;
  }
  // The legend: a swatch drawn as the chart draws the model, then its name; rows wrap.
  let x = MARGIN;
  y += 2;
  for (const entry of options.legend) {
    const itemWidth = 16 + helveticaWidth(entry.label, LEGEND_SIZE);
    if (x > MARGIN && x + itemWidth > width - MARGIN) {
      x = MARGIN;
      y += LEGEND_SIZE + 5;
    }
    const colour = PRINT.roles[entry.role];
    const mid = y - LEGEND_SIZE * 0.33;
    if (entry.mark === 'box') primitives.push({ kind: 'path', subpaths: [{ points: [[x + 2, mid - 3.5], [x + 9, mid - 3.5], [x + 9, mid + 3.5], [x + 2, mid + 3.5]], closed: true }], fill: colour });
    else if (entry.mark === 'point') primitives.push({ kind: 'circle', cx: x + 6, cy: mid, r: 2.4, fill: colour });
    else primitives.push({ kind: 'path', subpaths: [{ points: [[x, mid], [x + 12, mid]], closed: false }], stroke: colour, strokeWidth: 1.5, ...(entry.mark === 'dashed' ? { dash: [3, 2] } : {}) });
    primitives.push({ kind: 'text', x: x + 15, y, text: entry.label, size: LEGEND_SIZE, anchor: 'start', angle: 0, fill: PRINT.text });
    x += itemWidth + 10;
  }
  if (options.legend.length > 0) y += LEGEND_SIZE + 4;
  for (const line of options.note ? wrap(options.note, 6, width - 2 * MARGIN) : []) {
    primitives.push({ kind: 'text', x: MARGIN, y: y + 1, text: line, size: 6, anchor: 'start', angle: 0, fill: PRINT.muted });
    y += 8;
  }
  return { width, height: Math.ceil(y + MARGIN - 2), background: PRINT.background, primitives };
}
