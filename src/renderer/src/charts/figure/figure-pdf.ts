import type { Figure, Paint, Primitive } from './figure-model.ts';
import { helveticaWidth, winAnsiCodes } from './helvetica.ts';

const n = (v: number) => String(Math.round(v * 1000) / 1000);
const rgb = (hex: string) => {
  const v = hex.replace('#', '');
  const full = v.length === 3 ? [...v].map((c) => c + c).join('') : v;
  return [0, 2, 4].map((i) => n(Number.parseInt(full.slice(i, i + 2), 16) / 255)).join(' ');
};
/** A PDF string literal of WinAnsi codes: ( ) \ escaped, anything outside printable ASCII in octal. */
const pdfString = (text: string) => `(${winAnsiCodes(text).map((c) => (c === 40 || c === 41 || c === 92 ? `\\${String.fromCharCode(c)}` : c < 32 || c > 126 ? `\\${c.toString(8).padStart(3, '0')}` : String.fromCharCode(c))).join('')})`;
/** Control-point distance of a quarter circle drawn as one cubic Bézier. */
const KAPPA = 0.5522847498;

/**
 * The figure as a one-page PDF (1.4) written directly: its paths, circles and text as vector
 * operators on a page of the figure's size in points, text in the standard fonts Helvetica and
 * Helvetica-Bold (WinAnsiEncoding), translucency through ExtGState. No browser print dialog,
 * no library: the figure only uses these few primitives.
 */
export function figurePdf(figure: Figure, meta: { title?: string } = {}): Uint8Array<ArrayBuffer> {
  const H = figure.height;
  const states = new Map<string, string>();
  const state = (fill: number, stroke: number) => {
    const key = `${n(fill)}/${n(stroke)}`;
    if (!states.has(key)) states.set(key, `/GS${states.size} gs`);
    return states.get(key)!;
  };
  const paintOps = (p: Paint): { pre: string[]; op: string } => {
    const pre: string[] = [];
    if (p.fillOpacity !== undefined || p.strokeOpacity !== undefined) pre.push(state(p.fillOpacity ?? 1, p.strokeOpacity ?? 1));
    if (p.fill) pre.push(`${rgb(p.fill)} rg`);
    if (p.stroke) pre.push(`${rgb(p.stroke)} RG`, `${n(p.strokeWidth ?? 1)} w`, `[${(p.dash ?? []).map(n).join(' ')}] 0 d`);
    return { pre, op: p.fill && p.stroke ? 'B' : p.fill ? 'f' : p.stroke ? 'S' : 'n' };
  };
  const draw = (p: Primitive): string => {
    if (p.kind === 'text') {
      const shift = p.anchor === 'middle' ? 0.5 : p.anchor === 'end' ? 1 : 0;
      const a = (p.angle * Math.PI) / 180;
      const w = helveticaWidth(p.text, p.size) * shift;
      const [x, y] = [p.x - Math.cos(a) * w, p.y - Math.sin(a) * w];
      const [c, s] = [Math.cos(a), Math.sin(a)];
      return `q ${rgb(p.fill)} rg BT /${p.bold ? 'F2' : 'F1'} ${n(p.size)} Tf ${n(c)} ${n(-s)} ${n(s)} ${n(c)} ${n(x)} ${n(H - y)} Tm ${pdfString(p.text)} Tj ET Q`;
    }
    const { pre, op } = paintOps(p);
    let path: string;
    if (p.kind === 'circle') {
      const { cx, r } = p;
      const cy = H - p.cy;
      const k = r * KAPPA;
      path = [`${n(cx + r)} ${n(cy)} m`,
        `${n(cx + r)} ${n(cy + k)} ${n(cx + k)} ${n(cy + r)} ${n(cx)} ${n(cy + r)} c`,
        `${n(cx - k)} ${n(cy + r)} ${n(cx - r)} ${n(cy + k)} ${n(cx - r)} ${n(cy)} c`,
        `${n(cx - r)} ${n(cy - k)} ${n(cx - k)} ${n(cy - r)} ${n(cx)} ${n(cy - r)} c`,
        `${n(cx + k)} ${n(cy - r)} ${n(cx + r)} ${n(cy - k)} ${n(cx + r)} ${n(cy)} c h`].join(' ');
    } else {
      path = p.subpaths.map((s) => s.points.map(([x, y], i) => `${n(x)} ${n(H - y)} ${i === 0 ? 'm' : 'l'}`).join(' ') + (s.closed ? ' h' : '')).join(' ');
    }
    return `q ${pre.join(' ')} ${path} ${op} Q`;
  };
  const content = [`${rgb(figure.background)} rg 0 0 ${n(figure.width)} ${n(H)} re f`, ...figure.primitives.map(draw)].join('\n');
  const gs = [...states.entries()].map(([key, op]) => {
    const [fill, stroke] = key.split('/');
    return `${op.split(' ')[0]} << /Type /ExtGState /ca ${fill} /CA ${stroke} >>`;
  }).join(' ');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${n(figure.width)} ${n(H)}] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> /ExtGState << ${gs} >> >> /Contents 6 0 R >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    `<< /Producer (PassK Lab)${meta.title ? ` /Title ${pdfString(meta.title)}` : ''} >>`,
  ];
  // Every character written is one byte (the content is ASCII; text is escaped), so string offsets are byte offsets.
  let out = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 7 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  const bytes = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) bytes[i] = out.charCodeAt(i) & 0xff;
  return bytes;
}
