import { useId, useState, type KeyboardEvent, type PointerEvent, type Ref } from 'react';
import type { Role } from '../../../core/roles.ts';
import { fixed3, interval3, signed3 } from '../ui/format.ts';
import { differenceRange, kTicks, linearScale, log2Scale, ticksBetween, unitRange, type Box } from './scales.ts';

export interface CurvePoint { k: number; value: number; ci: [number, number] }
export interface CurveSeries {
  id: string;
  label: string;
  role: Role;
  points: CurvePoint[];
  /** Drawn dashed (the second run of a comparison). */
  dashed?: boolean;
  /** Its interval band drawn (off for the second run of a comparison, where bands would pile up; the tooltip still gives them). */
  band?: boolean;
}
/** Where a base curve reaches an RL curve, as the coordinator's report found it. */
export interface CrossoverMark { k: number; label: string }

/** Full width for a figure of its own; small for small multiples and side-by-side figures (text stays the same size on screen). */
const BOXES: Record<'full' | 'small', Box> = {
  full: { width: 880, height: 380, left: 56, right: 24, top: 18, bottom: 48 },
  small: { width: 480, height: 290, left: 60, right: 14, top: 14, bottom: 44 },
};

export interface PassAtKChartProps {
  series: CurveSeries[];
  crossovers?: CrossoverMark[];
  title: string;
  level: number;
  svgRef?: Ref<SVGSVGElement>;
  size?: 'full' | 'small';
  /** A y range shared by small multiples, so their heights compare; default: the data's, in tenths. */
  yRange?: [number, number];
  /** The curves are differences (b − a): signed values, a zero line, a range around 0. */
  difference?: boolean;
  /** Off where one legend stands for several charts. */
  legend?: boolean;
  yLabel?: string;
}

/**
 * pass@k against k on a log₂ axis, each model with its interval band, the crossover
 * marked. Hover or the arrow keys pick a k; the tooltip gives every model's value and
 * interval there. Values are drawn as the report gives them.
 */
export function PassAtKChart({ series, crossovers = [], title, level, svgRef, size = 'full', yRange, difference = false, legend = true, yLabel = 'pass@k' }: PassAtKChartProps) {
  const ks = [...new Set(series.flatMap((s) => s.points.map((p) => p.k)))].sort((a, b) => a - b);
  const [active, setActive] = useState<number | null>(null);
  const titleId = useId();
  if (ks.length === 0) return <p className="muted">No pass@k values yet.</p>;
  const BOX = BOXES[size];
  const x = log2Scale(ks[0], ks[ks.length - 1], BOX);
  const values = series.flatMap((s) => s.points.flatMap((p) => [p.ci[0], p.ci[1], p.value]));
  const [lo, hi] = yRange ?? (difference ? differenceRange(values) : unitRange(values));
  const y = linearScale(lo, hi, BOX);
  const step = hi - lo > 0.5 ? 0.2 : hi - lo > 0.2 ? 0.1 : 0.05;
  const yTicks = ticksBetween(lo, hi, step);
  // Curves with the same values at every k would hide one another: each is drawn wider by the
  // number of later curves it coincides with, so they show as nested stripes (at most three).
  const same = (a: CurveSeries, b: CurveSeries) => a.points.length === b.points.length && a.points.every((p, j) => p.k === b.points[j].k && p.value === b.points[j].value);
  const nested = series.map((s, i) => Math.min(3, series.slice(i + 1).filter((t) => same(s, t)).length));
  const show = difference ? signed3 : fixed3;
  const showInterval = (ci: [number, number]) => (difference ? `[${signed3(ci[0])}, ${signed3(ci[1])}]` : interval3(ci));
  const activeK = active === null ? null : ks[Math.min(active, ks.length - 1)];

  const pick = (event: PointerEvent<SVGSVGElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const px = ((event.clientX - rect.left) / rect.width) * BOX.width;
    let best = 0;
    ks.forEach((k, i) => { if (Math.abs(x(k) - px) < Math.abs(x(ks[best]) - px)) best = i; });
    setActive(best);
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      event.preventDefault();
      const step = event.key === 'ArrowRight' ? 1 : -1;
      setActive((current) => (current === null ? 0 : Math.max(0, Math.min(ks.length - 1, current + step))));
    } else if (event.key === 'Escape') {
      setActive(null);
    }
  };

  return (
    <figure className="chart">
      <div className="chart-frame">
        <svg ref={svgRef} viewBox={`0 0 ${BOX.width} ${BOX.height}`} className="chart-svg" role="img" aria-labelledby={titleId}
          tabIndex={0} onPointerMove={pick} onPointerLeave={() => setActive(null)} onKeyDown={onKey} onBlur={() => setActive(null)}>
          <title id={titleId}>{`${title}. Arrow keys move along k; the table below lists every value.`}</title>
          {yTicks.map((t) => (
            <g key={`y${t}`} className="axis">
              <line x1={BOX.left} x2={BOX.width - BOX.right} y1={y(t)} y2={y(t)} className="grid-line" />
              <text x={BOX.left - 8} y={y(t)} textAnchor="end" dominantBaseline="middle" className="tick-label">{difference && t > 0 ? '+' : ''}{t.toFixed(step < 0.1 ? 2 : 1)}</text>
            </g>
          ))}
          {difference && <line x1={BOX.left} x2={BOX.width - BOX.right} y1={y(0)} y2={y(0)} className="zero-line" />}
          {kTicks(ks).map((k) => (
            <text key={`x${k}`} x={x(k)} y={BOX.height - BOX.bottom + 18} textAnchor="middle" className="tick-label">{k}</text>
          ))}
          <text x={BOX.left + (BOX.width - BOX.left - BOX.right) / 2} y={BOX.height - 6} textAnchor="middle" className="axis-label">{size === 'small' ? 'k (log₂ scale)' : 'k (samples drawn, log₂ scale)'}</text>
          <text transform={`translate(12 ${BOX.top + (BOX.height - BOX.top - BOX.bottom) / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">{yLabel}</text>
          {series.filter((s) => s.band !== false).map((s) => (
            <path key={`band-${s.id}`} className={`band role-${s.role}`}
              d={`${s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.k)},${y(p.ci[1])}`).join(' ')} ${[...s.points].reverse().map((p) => `L${x(p.k)},${y(p.ci[0])}`).join(' ')} Z`} />
          ))}
          {crossovers.map((c) => (
            <g key={`cross-${c.label}`} className="crossover">
              <line x1={x(c.k)} x2={x(c.k)} y1={BOX.top} y2={BOX.height - BOX.bottom} className="crossover-line" />
              {/* Beside the line, on the side with room. */}
              <text x={x(c.k) > BOX.width / 2 ? x(c.k) - 6 : x(c.k) + 6} y={BOX.top + 12} textAnchor={x(c.k) > BOX.width / 2 ? 'end' : 'start'} className="crossover-label">{c.label}</text>
            </g>
          ))}
          {series.map((s, i) => (
            <g key={`line-${s.id}`} className={`series role-${s.role}${s.dashed ? ' dashed' : ''}`} data-series={s.id}>
              <path className="series-line" style={nested[i] > 0 ? { strokeWidth: 2.2 + 1.8 * nested[i] } : undefined} d={s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.k)},${y(p.value)}`).join(' ')} />
              {s.points.map((p) => (
                <circle key={p.k} cx={x(p.k)} cy={y(p.value)} r={activeK === p.k ? 5 : 3.2} className="series-point"
                  data-k={p.k} data-value={p.value} data-lo={p.ci[0]} data-hi={p.ci[1]} />
              ))}
            </g>
          ))}
          {activeK !== null && <line data-export="omit" className="hover-guide" x1={x(activeK)} x2={x(activeK)} y1={BOX.top} y2={BOX.height - BOX.bottom} />}
        </svg>
        {activeK !== null && (
          // Beside the guide, on the side with room, so it does not hide the points it describes.
          <div className={`chart-tooltip ${x(activeK) > BOX.width / 2 ? 'to-left' : 'to-right'}`} role="status" style={{ left: `${(x(activeK) / BOX.width) * 100}%` }}>
            <div className="tooltip-title">k = {activeK}</div>
            {series.map((s) => {
              const point = s.points.find((p) => p.k === activeK);
              return (
                <div key={s.id} className={`tooltip-row role-${s.role}`}>
                  <span className="role-swatch" aria-hidden="true" />
                  <span className="tooltip-label">{s.label}</span>
                  <span className="tooltip-value">{point ? `${show(point.value)} ${showInterval(point.ci)}` : '— (k > n)'}</span>
                </div>
              );
            })}
          </div>
        )}
      </div>
      {legend && <figcaption className="chart-legend">
        {series.map((s) => (
          <span key={s.id} className={`legend-item role-${s.role}${s.dashed ? ' dashed' : ''}`}><span className="legend-line" aria-hidden="true" />{s.label}</span>
        ))}
        <span className="legend-note muted">{series.every((s) => s.band !== false) ? 'bands' : 'bands (solid lines)'}: {Math.round(level * 100)}% paired bootstrap intervals over problems{nested.some((n) => n > 0) ? '; curves that coincide are drawn one inside the other' : ''}</span>
      </figcaption>}
    </figure>
  );
}
