import { useState } from 'react';
import { download, drawFigure, pngOfSvg, widthLabel, type FigureSpec } from './chart-export.tsx';
import { figurePdf } from './figure/figure-pdf.ts';
import { figureSvg } from './figure/figure-svg.ts';
import type { FigureWidth } from './figure/figure-model.ts';

const DPIS = [150, 300, 600] as const;

/**
 * A figure's exports: PNG (at the resolution chosen), SVG and PDF of its charts for print,
 * at a paper's column or full width, with the legend, in the print theme; CSV and JSON of
 * the numbers behind it as the coordinator gave them. `name` is the file stem.
 */
export function ExportButtons({ name, what, figure, csv, json }: {
  name: string; what: string;
  figure?: FigureSpec;
  csv?: () => string;
  json?: () => unknown;
}) {
  const [error, setError] = useState<string | null>(null);
  const [width, setWidth] = useState<FigureWidth>('full');
  const [dpi, setDpi] = useState<number>(300);
  const kinds = [...(figure ? (['png', 'svg', 'pdf'] as const) : []), ...(csv ? (['csv'] as const) : []), ...(json ? (['json'] as const) : [])];
  const exportAs = async (kind: (typeof kinds)[number]) => {
    setError(null);
    try {
      if (kind === 'csv') return download(`${name}.csv`, csv!(), 'text/csv');
      if (kind === 'json') return download(`${name}.json`, JSON.stringify(json!(), null, 2) + '\n', 'application/json');
      const drawn = drawFigure(figure!, width);
      if (kind === 'pdf') return download(`${name}.pdf`, figurePdf(drawn, { title: what }), 'application/pdf');
      const svg = figureSvg(drawn);
      if (kind === 'svg') return download(`${name}.svg`, svg, 'image/svg+xml');
      download(`${name}.png`, await pngOfSvg(svg, drawn, dpi));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="export">
      <div className="button-group" role="group" aria-label={`Export ${what}`}>
        {figure && (
          <>
            <select aria-label={`Figure width of ${what}`} value={width} onChange={(e) => setWidth(e.target.value as FigureWidth)} title="Figure width: a paper's column or its full width">
              {(['column', 'full'] as const).map((w) => <option key={w} value={w}>{w === 'column' ? 'column' : 'full'} {widthLabel(w)}</option>)}
            </select>
            <select aria-label={`PNG resolution of ${what}`} value={dpi} onChange={(e) => setDpi(Number(e.target.value))}>
              {DPIS.map((d) => <option key={d} value={d}>{d} dpi</option>)}
            </select>
          </>
        )}
        {kinds.map((k) => <button key={k} type="button" onClick={() => void exportAs(k)}>{k.toUpperCase()}</button>)}
      </div>
      {error && <p className="text-danger small" role="alert">Export failed: {error}</p>}
    </div>
  );
}
