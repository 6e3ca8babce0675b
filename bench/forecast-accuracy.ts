/**
 * `npx tsx bench/forecast-accuracy.ts [--resamples 1000] [--thinned 20]`: the forecast's validation table of
 * README "Forecast", the zero-inflated Beta and the single Beta side by side. The bundled
 * trio's counts at n = 32 and n = 16 (seeds 1–3, test/fixtures/forecast/README.md) forecast
 * to k = 64, 128, 256 against the unbiased pass@k of the model card's n = 256 counts.
 * Prints Markdown: per draw, the draw's own error at k = n, each family's errors (✗ where
 * the interval misses), then a tally. Then the thinning study: --thinned subsets of 32 of the
 * card's own 256 samples per problem (hypergeometric, seed 7; not independent of the truth),
 * each family's bias, rmse and hits within 0.03 at k = 64 and 256.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ForecastFamily } from '../src/core/stats/beta-binomial-fit.ts';
import { computeForecast } from '../src/core/stats/forecast.ts';
import { fitSuccessPrior, forecastProblemPassAtK } from '../src/core/stats/beta-binomial-fit.ts';
import { passAtK } from '../src/core/stats/pass-at-k.ts';
import { createRng } from '../src/core/stats/prng.ts';
import type { ProblemCount } from '../src/core/stats/types.ts';

const { values } = parseArgs({ options: { resamples: { type: 'string', default: '1000' }, thinned: { type: 'string', default: '20' } } });
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

const M = 32;
const rng = createRng(7);
/** c′ of the first M of n exchangeable samples with c correct: hypergeometric, drawn one sample at a time. */
const thin = (n: number, c: number): number => {
  let good = c;
  let got = 0;
  for (let i = 0; i < M; i++) {
    if (rng.nextFloat() < good / (n - i)) {
      got++;
      good--;
    }
  }
  return got;
};
console.log(`\nThinning: ${values.thinned} subsets of ${M} of the card's 256 samples per problem\n\n| model | family | k | bias | rmse | within 0.03 |\n|---|---|---|---|---|---|`);
for (const model of ['base', 'rl', 'distilled']) {
  const mine = measured.filter((r) => r.model === model);
  const errors = new Map<string, number[]>();
  for (let r = 0; r < Number(values.thinned); r++) {
    const cs = mine.map((x) => thin(x.n, x.c));
    const classes = [...new Set(cs)].map((c) => ({ n: M, c, weight: cs.filter((x) => x === c).length }));
    for (const family of FAMILIES) {
      const fit = fitSuccessPrior(family, classes);
      for (const k of [64, 256]) {
        const value = classes.reduce((sum, c) => sum + c.weight * forecastProblemPassAtK(fit, c.n, c.c, k), 0) / mine.length;
        const key = `${family} | ${k}`;
        errors.set(key, [...(errors.get(key) ?? []), value - truth(model, k)]);
      }
    }
  }
  for (const [key, e] of errors) {
    const bias = e.reduce((sum, x) => sum + x, 0) / e.length;
    const rmse = Math.sqrt(e.reduce((sum, x) => sum + x * x, 0) / e.length);
    console.log(`| ${model} | ${key} | ${signed(bias)} | ${rmse.toFixed(3)} | ${e.filter((x) => Math.abs(x) <= 0.03).length}/${e.length} |`);
  }
}
