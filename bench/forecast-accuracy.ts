/**
 * `npx tsx bench/forecast-accuracy.ts [--resamples 1000]`: the forecast's validation table of
 * README "Forecast", the zero-inflated Beta and the single Beta side by side. The bundled
 * trio's counts at n = 32 and n = 16 (seeds 1–3, test/fixtures/forecast/README.md) forecast
 * to k = 64, 128, 256 against the unbiased pass@k of the model card's n = 256 counts.
 * Prints Markdown: per draw, the draw's own error at k = n, each family's errors (✗ where
 * the interval misses), then a tally.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ForecastFamily } from '../src/core/stats/beta-binomial-fit.ts';
import { computeForecast } from '../src/core/stats/forecast.ts';
import { passAtK } from '../src/core/stats/pass-at-k.ts';
import type { ProblemCount } from '../src/core/stats/types.ts';

const { values } = parseArgs({ options: { resamples: { type: 'string', default: '1000' } } });
const read = (path: string): ProblemCount[] => readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as ProblemCount);
const mean = (rows: readonly ProblemCount[], k: number) => rows.reduce((sum, r) => sum + passAtK(r.n, r.c, k), 0) / rows.length;
const measured = read('resources/models/measured-counts.jsonl');
const truth = (model: string, k: number) => mean(measured.filter((r) => r.model === model), k);
const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;
const FAMILIES: ForecastFamily[] = ['zero-inflated-beta', 'beta'];
const KS = [64, 128, 256];

const tally = new Map<string, { within: number; draws: number; covered: number; cells: number }>();
for (const n of [32, 16]) {
  console.log(`\nFrom n = ${n}:\n\n| model | seed | draw − truth at k = ${n} | ${FAMILIES.map((f) => `${f}: ${KS.map((k) => `k = ${k}`).join(' | ')} | mass at 0`).join(' | ')} |`);
  console.log(`|${'---|'.repeat(3 + FAMILIES.length * (KS.length + 1))}`);
  for (const seed of [1, 2, 3]) {
    const rows = read(`test/fixtures/forecast/trio-n${n}-seed${seed}.jsonl`);
    const reports = FAMILIES.map((family) => {
      const result = computeForecast(rows, { to: 256, family, resamples: Number(values.resamples), seed: 1 });
      if (!result.ok) throw new Error(result.error);
      return result.value;
    });
    for (const model of ['base', 'rl', 'distilled']) {
      const draw = mean(rows.filter((r) => r.model === model), n) - truth(model, n);
      const cells = reports.map((report) => {
        const m = report.models.find((x) => x.model === model)!;
        const t = tally.get(`${report.family} n=${n} ${model}`) ?? { within: 0, draws: 0, covered: 0, cells: 0 };
        tally.set(`${report.family} n=${n} ${model}`, t);
        const errors = KS.map((k) => {
          const [lo, hi] = m.ci[k];
          const covers = lo <= truth(model, k) && truth(model, k) <= hi;
          t.cells++;
          if (covers) t.covered++;
          return `${signed(m.passAtK[k] - truth(model, k))}${covers ? '' : ' ✗'}`;
        });
        t.draws++;
        if (Math.abs(m.passAtK[256] - truth(model, 256)) <= 0.03) t.within++;
        return `${errors.join(' | ')} | ${m.fit.zero.toFixed(3)}`;
      });
      console.log(`| ${model} | ${seed} | ${signed(draw)} | ${cells.join(' | ')} |`);
    }
  }
}
console.log('\n| family | n | model | within 0.03 at k = 256 | intervals covering |\n|---|---|---|---|---|');
for (const [key, t] of tally) {
  const [family, n, model] = key.split(' ');
  console.log(`| ${family} | ${n.slice(2)} | ${model} | ${t.within}/${t.draws} draws | ${t.covered}/${t.cells} |`);
}
