import type { Figure, Paint, Primitive } from './figure-model.ts';

const n = (v: number) => String(Math.round(v * 100) / 100);
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function paintAttributes(p: Paint): string {
  const parts = [`fill="${p.fill ?? 'none'}"`];
  if (p.fillOpacity !== undefined) parts.push(`fill-opacity="${n(p.fillOpacity)}"`);
  if (p.stroke) {
    parts.push(`stroke="${p.stroke}"`, `stroke-width="${n(p.strokeWidth ?? 1)}"`);
    if (p.dash && p.dash.length > 0) parts.push(`stroke-dasharray="${p.dash.map(n).join(' ')}"`);
    if (p.strokeOpacity !== undefined) parts.push(`stroke-opacity="${n(p.strokeOpacity)}"`);
  }
  return parts.join(' ');
}

function primitiveSvg(p: Primitive): string {
  if (p.kind === 'path') {
    const d = p.subpaths.map((s) => s.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${n(x)} ${n(y)}`).join(' ') + (s.closed ? ' Z' : '')).join(' ');
    return `<path d="${d}" ${paintAttributes(p)}/>`;
  }
  if (p.kind === 'circle') return `<circle cx="${n(p.cx)}" cy="${n(p.cy)}" r="${n(p.r)}" ${paintAttributes(p)}/>`;
  const rotate = p.angle !== 0 ? ` transform="rotate(${n(p.angle)} ${n(p.x)} ${n(p.y)})"` : '';
  return `<text x="${n(p.x)}" y="${n(p.y)}" font-size="${n(p.size)}"${p.bold ? ' font-weight="bold"' : ''} text-anchor="${p.anchor}" fill="${p.fill}"${rotate}>${escape(p.text)}</text>`;
}

/**
 * The figure as a standalone SVG file: its size in points, presentation attributes only (no
 * `style`, no class, so no stylesheet or CSP is involved), text in Helvetica or its stand-ins.
 */
export function figureSvg(figure: Figure): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(figure.width)}pt" height="${n(figure.height)}pt" viewBox="0 0 ${n(figure.width)} ${n(figure.height)}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect x="0" y="0" width="${n(figure.width)}" height="${n(figure.height)}" fill="${figure.background}"/>`,
    ...figure.primitives.map(primitiveSvg),
    '</svg>',
    '',
  ].join('\n');
}
