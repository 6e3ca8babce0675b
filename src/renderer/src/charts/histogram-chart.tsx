import { useId, useState, type KeyboardEvent } from 'react';
import type { Role } from '../../../core/roles.ts';
import { linearScale, ticksBetween, type Box } from './scales.ts';

export interface HistogramSeries { id: string; label: string; role: Role; bins: { label: string; count: number; fraction: number }[] }

/** Full: a figure of its own; small: a paper's column (fewer units per bin, so the labels are drawn at a slant). */
const BOXES: Record<'full' | 'small', Box> = {
  full: { width: 720, height: 320, left: 56, right: 16, top: 16, bottom: 54 },
  small: { width: 480, height: 300, left: 50, right: 10, top: 14, bottom: 66 },
};

/**
 * Problems per accuracy bin (c/n) for each model, the paper's bins: exactly 0, the
 * tenths, exactly 1. Bars are the report's fractions; hover or arrow keys give counts.
 */
export function HistogramChart({ series, title, size = 'full' }: { series: HistogramSeries[]; title: string; size?: 'full' | 'small' }) {
  const BOX = BOXES[size];
  const [active, setActive] = useState<number | null>(null);
  const titleId = useId();
  const labels = series[0]?.bins.map((b) => b.label) ?? [];
  if (labels.length === 0) return <p className="muted">No histogram yet.</p>;
  const top = Math.min(1, Math.ceil(Math.max(0.1, ...series.flatMap((s) => s.bins.map((b) => b.fraction))) * 10) / 10);
  const y = linearScale(0, top, BOX);
  const slot = (BOX.width - BOX.left - BOX.right) / labels.length;
  const barWidth = Math.max(2, (slot * 0.8) / Math.max(1, series.length));
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    event.preventDefault();
    const step = event.key === 'ArrowRight' ? 1 : -1;
    setActive((a) => (a === null ? 0 : Math.max(0, Math.min(labels.length - 1, a + step))));
  };
  return (
    <figure className="chart">
      <div className="chart-frame">
        <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} className="chart-svg" role="img" aria-labelledby={titleId} tabIndex={0}
          onKeyDown={onKey} onPointerLeave={() => setActive(null)} onBlur={() => setActive(null)}>
          <title id={titleId}>{`${title}. Arrow keys move between bins.`}</title>
          {ticksBetween(0, top, top > 0.5 ? 0.2 : 0.1).map((t) => (
            <g key={t} className="axis">
              <line x1={BOX.left} x2={BOX.width - BOX.right} y1={y(t)} y2={y(t)} className="grid-line" />
              <text x={BOX.left - 8} y={y(t)} textAnchor="end" dominantBaseline="middle" className="tick-label">{`${Math.round(t * 100)}%`}</text>
            </g>
          ))}
          {labels.map((label, i) => (
            <g key={label} onPointerEnter={() => setActive(i)}>
              <rect x={BOX.left + i * slot} y={BOX.top} width={slot} height={BOX.height - BOX.top - BOX.bottom} className={active === i ? 'bin-hover active' : 'bin-hover'} data-export="omit" />
              {series.map((s, j) => {
                const bin = s.bins[i];
                const x = BOX.left + i * slot + slot * 0.1 + j * barWidth;
                return <rect key={s.id} x={x} y={y(bin.fraction)} width={barWidth - 1} height={y(0) - y(bin.fraction)} className={`bar role-${s.role}`} data-count={bin.count} />;
              })}
              {size === 'small'
                ? <text transform={`translate(${BOX.left + (i + 0.5) * slot} ${BOX.height - BOX.bottom + 10}) rotate(-40)`} textAnchor="end" className="tick-label small">{label}</text>
                : <text x={BOX.left + (i + 0.5) * slot} y={BOX.height - BOX.bottom + 16} textAnchor="middle" className="tick-label small">{label}</text>}
            </g>
          ))}
          <text x={BOX.left + (BOX.width - BOX.left - BOX.right) / 2} y={BOX.height - 8} textAnchor="middle" className="axis-label">accuracy c/n of a problem</text>
        </svg>
        {active !== null && (
          <div className={`chart-tooltip ${active >= labels.length / 2 ? 'to-left' : 'to-right'}`} role="status" style={{ left: `${((BOX.left + (active + 0.5) * slot) / BOX.width) * 100}%` }}>
            <div className="tooltip-title">accuracy {labels[active]}</div>
            {series.map((s) => (
              <div key={s.id} className={`tooltip-row role-${s.role}`}>
                <span className="role-swatch" aria-hidden="true" />
                <span className="tooltip-label">{s.label}</span>
                <span className="tooltip-value">{s.bins[active].count} problems ({(s.bins[active].fraction * 100).toFixed(1)}%)</span>
              </div>
            ))}
          </div>
        )}
      </div>
      <figcaption className="chart-legend">
        {series.map((s) => <span key={s.id} className={`legend-item role-${s.role}`}><span className="legend-box" aria-hidden="true" />{s.label}</span>)}
      </figcaption>
    </figure>
  );
}
