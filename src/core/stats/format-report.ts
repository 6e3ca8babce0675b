import { verdictText } from './verdict.ts';
import type { StatsReport } from './stats-report.ts';

const LISTED_IDS = 10;

/** The plain-text report of `passk stats`: pass@k table, accuracy histogram, coverage, crossover. */
export function formatStatsReport(report: StatsReport): string {
  const lines: string[] = [];
  const percent = Math.round(report.level * 100);
  lines.push(`pass@k over ${report.problems} problems, ${percent}% paired bootstrap intervals over problems (B=${report.resamples}, seed ${report.seed})`, '');

  const header = ['k', ...report.models.map((model) => `${model.model} (${model.role})`)];
  const rows = report.ks.map((k) => [
    String(k),
    ...report.models.map((model) => {
      const value = model.passAtK[String(k)];
      if (value === undefined) return `— (k > n=${model.minN})`;
      const [lo, hi] = model.ci[String(k)];
      return `${fixed(value)} [${fixed(lo)}, ${fixed(hi)}]`;
    }),
  ]);
  lines.push(...alignColumns([header, ...rows]), '');

  lines.push('Accuracy histogram (problems per bin of c/n):');
  const bins = report.histogram[0]?.bins.map((bin) => bin.label) ?? [];
  lines.push(...alignColumns([
    ['bin', ...report.histogram.map((h) => h.model)],
    ...bins.map((label, i) => [label, ...report.histogram.map((h) => String(h.bins[i].count))]),
  ], true).map((line) => `  ${line}`), '');

  if (report.coverage.length > 0) {
    lines.push('Solvable problems (solvable = at least one correct sample; expected counts when drawing k samples):');
    for (const cov of report.coverage) {
      lines.push(
        `  ${cov.a} vs ${cov.b}: both ${cov.both.length}, only ${cov.a} ${cov.onlyA.length}, only ${cov.b} ${cov.onlyB.length}, neither ${cov.neither.length}` +
        `  (expected at k=${cov.k}: both ${cov.expected.both.toFixed(1)}, only ${cov.a} ${cov.expected.onlyA.toFixed(1)}, only ${cov.b} ${cov.expected.onlyB.toFixed(1)})`,
      );
      if (cov.samplesDiffer) {
        lines.push(`    (the two models drew different numbers of samples: the sets favour the one with more; the expected counts compare both at k=${cov.k})`);
      }
      for (const [who, ids] of [[cov.a, cov.onlyA], [cov.b, cov.onlyB]] as const) {
        if (ids.length > 0) lines.push(`    only ${who}: ${listIds(ids)}`);
      }
    }
    lines.push('');
  }

  lines.push('Crossover (base vs RL):');
  if (report.crossover.note) lines.push(`  ${report.crossover.note}`);
  for (const pair of report.crossover.pairs) {
    if (pair.kMax === 0) {
      lines.push(`  ${pair.base} and ${pair.rl} share no k of the grid (their n differ); give --k values up to the smaller n`);
    } else if (pair.k === null || pair.difference === null || pair.ci === null) {
      lines.push(`  ${pair.base} stays below ${pair.rl} up to k=${pair.kMax}: no crossover on this grid`);
    } else {
      lines.push(`  ${pair.base} reaches ${pair.rl} at k=${pair.k}: ${pair.base} − ${pair.rl} = ${signed(pair.difference)} [${signed(pair.ci[0])}, ${signed(pair.ci[1])}]`);
    }
    for (const which of ['atKMax', 'atCrossover'] as const) {
      if (which === 'atCrossover' && pair.verdict.atCrossover?.k === pair.verdict.atKMax?.k) continue;
      const text = verdictText(pair, which);
      if (text) lines.push(`  ${text}`);
    }
    if (pair.deltaSE) {
      const { k, value, ci } = pair.deltaSE;
      lines.push(`  ΔSE = ${pair.base} pass@${k} − ${pair.rl} pass@1 = ${signed(value)} [${signed(ci[0])}, ${signed(ci[1])}]`);
    }
  }
  return lines.join('\n') + '\n';
}

function alignColumns(table: string[][], alignRight = false): string[] {
  const widths = table[0].map((_, col) => Math.max(...table.map((row) => row[col].length)));
  const pad = (cell: string, col: number): string => (col === 0 || alignRight ? cell.padStart(widths[col]) : cell.padEnd(widths[col]));
  return table.map((row) => row.map(pad).join('  ').trimEnd());
}

function listIds(ids: readonly string[]): string {
  const shown = ids.slice(0, LISTED_IDS).join(', ');
  return ids.length > LISTED_IDS ? `${shown}, … (${ids.length - LISTED_IDS} more in --json)` : shown;
}

const fixed = (x: number): string => x.toFixed(3);
const signed = (x: number): string => (x >= 0 ? '+' : '−') + Math.abs(x).toFixed(3);
