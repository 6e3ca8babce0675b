import { useId, useState, type KeyboardEvent, type PointerEvent, type Ref } from 'react';
import type { Role } from '../../../core/roles.ts';
import { logScale, logTicks, niceTicks } from './scales.ts';

/** A distribution's spread, drawn as a box (quartiles) with whiskers (10th–90th percentile). */
export interface RowBox { q10: number; q25: number; q75: number; q90: number }

export interface IntervalRow {
  id: string;
  label: string;
  role: Role;
  /** The point estimate (a mean, a median) and its interval, as the coordinator gives them. */
  value: number;
  ci: [number, number];
  box?: RowBox;
}

export interface IntervalRowsChartProps {
  rows: IntervalRow[];
  title: string;
  axisLabel: string;
  /** How a value reads in the tooltip (the axis writes its round ticks as they are). */
  format: (v: number) => string;
  /** What the value is, in the tooltip ("mean", "median"). */
  valueName: string;
  /** 'log' draws a log axis where the values span a factor of 3 or more (the label says so), else linear. */
  scale?: 'linear' | 'log';
  /** A linear axis that starts at 0 (counts). */
  fromZero?: boolean;
  width?: number;
  labelWidth?: number;
  svgRef?: Ref<SVGSVGElement>;
}

const ROW = 34;
const TOP = 10;
const BOTTOM = 46;
const RIGHT = 18;

/**
 * One row per model (or pair): a point with its interval, or, for a distribution, a box
 * (quartiles), whiskers (10th–90th percentile), the median and the median's interval.
 * Hover or the arrow keys pick a row; the tooltip gives its numbers. Nothing is computed
 * here but pixels.
 */
export function IntervalRowsChart({ rows, title, axisLabel, format, valueName, scale = 'linear', fromZero = false, width = 880, labelWidth = 190, svgRef }: IntervalRowsChartProps) {
  const [active, setActive] = useState<number | null>(null);
  const titleId = useId();
  if (rows.length === 0) return <p className="muted">Nothing to draw.</p>;
  const extent = rows.flatMap((r) => [r.ci[0], r.ci[1], r.value, ...(r.box ? [r.box.q10, r.box.q90] : [])]).filter(Number.isFinite);
  const min = Math.min(...extent);
  const max = Math.max(...extent);
  const left = labelWidth;
  const right = width - RIGHT;
  // Over less than a factor of 3 a log axis reads as a linear one with worse ticks: use linear there.
  const log = scale === 'log' && min > 0 && max / min >= 3;
  const axis = log ? logTicks(min, max) : niceTicks(fromZero ? Math.min(0, min) : min, max);
  const x = log ? logScale(axis.lo, axis.hi, left, right) : (v: number) => left + ((v - axis.lo) / (axis.hi - axis.lo || 1)) * (right - left);
  const height = TOP + rows.length * ROW + BOTTOM;
  const mid = (i: number) => TOP + (i + 0.5) * ROW;

  const pick = (event: PointerEvent<SVGSVGElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const py = ((event.clientY - rect.top) / rect.height) * height;
    const i = Math.floor((py - TOP) / ROW);
    setActive(i >= 0 && i < rows.length ? i : null);
  };
  const onKey = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowDown' || event.key === 'ArrowRight' ? 1 : event.key === 'ArrowUp' || event.key === 'ArrowLeft' ? -1 : 0;
    if (step !== 0) {
      event.preventDefault();
      setActive((a) => (a === null ? 0 : Math.max(0, Math.min(rows.length - 1, a + step))));
    } else if (event.key === 'Escape') {
      setActive(null);
    }
  };
  const row = active === null ? null : rows[active];

  return (
    <figure className="chart">
      <div className="chart-frame">
        <svg ref={svgRef} viewBox={`0 0 ${width} ${height}`} className="chart-svg" role="img" aria-labelledby={titleId} tabIndex={0}
          onPointerMove={pick} onPointerLeave={() => setActive(null)} onKeyDown={onKey} onBlur={() => setActive(null)}>
          <title id={titleId}>{`${title}. Arrow keys move between rows; the table lists every value.`}</title>
          {axis.ticks.map((t) => (
            <g key={t} className="axis">
              <line x1={x(t)} x2={x(t)} y1={TOP} y2={height - BOTTOM} className="grid-line" />
              <text x={x(t)} y={height - BOTTOM + 16} textAnchor="middle" className="tick-label">{String(Number(t.toPrecision(6)))}</text>
            </g>
          ))}
          <text x={(left + right) / 2} y={height - 8} textAnchor="middle" className="axis-label">{log ? `${axisLabel} (log scale)` : axisLabel}</text>
          {rows.map((r, i) => (
            <g key={r.id} className={`interval-row role-${r.role}`} data-row={r.id} data-value={r.value} data-lo={r.ci[0]} data-hi={r.ci[1]}
              onPointerEnter={() => setActive(i)}>
              {active === i && <rect data-export="omit" className="row-hover" x={0} y={mid(i) - ROW / 2} width={width} height={ROW} />}
              <text x={left - 10} y={mid(i)} textAnchor="end" dominantBaseline="middle" className="row-label">{r.label}</text>
              {r.box ? (
                <>
                  <line className="whisker" x1={x(r.box.q10)} x2={x(r.box.q90)} y1={mid(i)} y2={mid(i)} />
                  <line className="whisker" x1={x(r.box.q10)} x2={x(r.box.q10)} y1={mid(i) - 6} y2={mid(i) + 6} />
                  <line className="whisker" x1={x(r.box.q90)} x2={x(r.box.q90)} y1={mid(i) - 6} y2={mid(i) + 6} />
                  <rect className="box" x={x(r.box.q25)} y={mid(i) - 10} width={Math.max(1, x(r.box.q75) - x(r.box.q25))} height={20} />
                  <rect className="median-ci" x={x(r.ci[0])} y={mid(i) - 4} width={Math.max(2, x(r.ci[1]) - x(r.ci[0]))} height={8} />
                  <line className="median" x1={x(r.value)} x2={x(r.value)} y1={mid(i) - 10} y2={mid(i) + 10} />
                </>
              ) : (
                <>
                  <line className="interval" x1={x(r.ci[0])} x2={x(r.ci[1])} y1={mid(i)} y2={mid(i)} />
                  <line className="interval" x1={x(r.ci[0])} x2={x(r.ci[0])} y1={mid(i) - 5} y2={mid(i) + 5} />
                  <line className="interval" x1={x(r.ci[1])} x2={x(r.ci[1])} y1={mid(i) - 5} y2={mid(i) + 5} />
                  <circle className="series-point" cx={x(r.value)} cy={mid(i)} r={active === i ? 5.5 : 4.5} />
                </>
              )}
            </g>
          ))}
        </svg>
        {row !== null && active !== null && (
          <div className={`chart-tooltip ${x(row.value) > (left + right) / 2 ? 'to-left' : 'to-right'}`} role="status"
            style={{ left: `${(x(row.value) / width) * 100}%`, top: `${(Math.max(0, mid(active) - ROW) / height) * 100}%` }}>
            <div className="tooltip-title">{row.label}</div>
            <div className="tooltip-line">{valueName} {format(row.value)} [{format(row.ci[0])}, {format(row.ci[1])}]</div>
            {row.box && <div className="tooltip-line muted">10% {format(row.box.q10)} · 25% {format(row.box.q25)} · 75% {format(row.box.q75)} · 90% {format(row.box.q90)}</div>}
          </div>
        )}
      </div>
    </figure>
  );
}
