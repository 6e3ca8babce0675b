import { useState, type RefObject } from 'react';
import { download, pngOfSvg, standaloneSvg } from './chart-export.ts';

/**
 * A figure's exports: PNG and SVG of its chart when there is one chart to draw, CSV and JSON
 * of the numbers behind it as the coordinator gave them. `name` is the file stem.
 */
export function ExportButtons({ name, what, svg, csv, json }: {
  name: string; what: string;
  svg?: RefObject<SVGSVGElement | null>;
  csv?: () => string;
  json?: () => unknown;
}) {
  const [error, setError] = useState<string | null>(null);
  const kinds = [...(svg ? (['png', 'svg'] as const) : []), ...(csv ? (['csv'] as const) : []), ...(json ? (['json'] as const) : [])];
  const exportAs = async (kind: (typeof kinds)[number]) => {
    setError(null);
    try {
      if (kind === 'csv') return download(`${name}.csv`, csv!(), 'text/csv');
      if (kind === 'json') return download(`${name}.json`, JSON.stringify(json!(), null, 2) + '\n', 'application/json');
      const chart = svg?.current;
      if (!chart) throw new Error('the chart is not drawn yet');
      const text = standaloneSvg(chart);
      if (kind === 'svg') return download(`${name}.svg`, text, 'image/svg+xml');
      const { width, height } = chart.viewBox.baseVal;
      download(`${name}.png`, await pngOfSvg(text, width, height));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="export">
      <div className="button-group" role="group" aria-label={`Export ${what}`}>
        {kinds.map((k) => <button key={k} type="button" onClick={() => void exportAs(k)}>{k.toUpperCase()}</button>)}
      </div>
      {error && <p className="text-danger small" role="alert">Export failed: {error}</p>}
    </div>
  );
}
