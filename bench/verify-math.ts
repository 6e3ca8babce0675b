/**
 * `npx tsx bench/verify-math.ts [--pairs N] [--seed S] [--long] [--baseline DIR] [--json]`:
 * math verifications per second on mismatched pairs, the slow path (both sides parsed by the
 * CAS and compared by value). Every pair is distinct text, so the parse cache cannot make the
 * figure look better than a real run of distinct samples; the first 200 pairs only warm the
 * engine up and are not timed. `--long` puts each answer at the end of a ~3 kB worked
 * solution, as large-k samples are, so that reading the response counts too. `--baseline DIR`
 * (a checkout of another commit, e.g. from `git archive`) times that judge on the same pairs
 * in alternating blocks in this one process and prints the ratio.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { judgeMath } from '../src/core/verify/math/judge-math.ts';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '4000' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    long: { type: 'boolean', default: false },
    baseline: { type: 'string' },
  },
});
const pairs = Number(values.pairs);
let state = Number(values.seed) >>> 0 || 1;
/** xorshift32: a seed gives the same pairs on every machine. */
function next(max: number): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return 2 + (state % max);
}

type Template = (a: number, b: number, c: number) => [gold: string, wrong: string];
/** Gold and a wrong answer of the same kind: same shape, different value. */
const TEMPLATES: Template[] = [
  (a, b, c) => [`\\frac{${a}}{${b}}\\sqrt{${c}}`, `\\frac{${a}}{${b + 1}}\\sqrt{${c}}`],
  (a, b, c) => [`x^2+${a + b}x+${a * b}`, `(x+${a})(x+${b + c})`],
  (a, b) => [`\\sin(${a}x)+${b}`, `\\cos(${a}x)+${b}`],
  (a, b, c) => [`\\frac{${a}+\\sqrt{${b}}}{${c}}`, `\\frac{${a}-\\sqrt{${b}}}{${c}}`],
  (a, b) => [`\\frac{${a}\\pi}{${b}}`, `\\frac{${a + 1}\\pi}{${b}}`],
  (a, b, c) => [`${a}e^{${b}t}-${c}`, `${a}e^{${b}t}+${c}`],
  (a, b) => [`\\left(${a}, \\frac{${b}}{2}\\right)`, `(${a}, \\frac{${b}}{3})`],
  (a, b, c) => [`\\frac{${a}}{\\sqrt[3]{u}}+${b}u^{${c}}`, `${a}u^{-1/2}+${b}u^{${c}}`],
  (a, b) => [`${a}\\log_{2}(${b}) `, `${a + 1}\\log_2 ${b}`],
  (a, b, c) => [`\\begin{pmatrix} ${a} & ${b} \\\\ ${c} & x \\end{pmatrix}`, `\\begin{bmatrix} ${a} & ${b} \\\\ ${c} & 2x \\end{bmatrix}`],
];

/** A worked solution of about 3 kB in which the pair's numbers recur, different for every pair. */
function workings(a: number, b: number): string {
  const steps: string[] = [];
  for (let i = 0; steps.join('\n').length < 3000; i += 1) {
    steps.push(`Step ${i + 1}: we have $${a + i}x + ${b} = ${(a + i) * 2 + b}$, so $x = 2$ in this case, and the term $\\frac{${a}}{${b + i}}$ stays as it is.`);
  }
  return steps.join('\n');
}

function makePairs(count: number): { gold: string; response: string }[] {
  const out: { gold: string; response: string }[] = [];
  const seen = new Set<string>();
  while (out.length < count) {
    const template = TEMPLATES[out.length % TEMPLATES.length]!;
    const [a, b, c] = [next(97), next(89), next(83)];
    const [gold, wrong] = template(a, b, c);
    if (seen.has(gold + wrong)) continue;
    seen.add(gold + wrong);
    const prefix = values.long ? `${workings(a, b)}\n` : '';
    out.push({ gold, response: `${prefix}Working through it, the answer is $\\boxed{${wrong}}$.` });
  }
  return out;
}

type Judge = (gold: string, response: string) => { correct: boolean };
const judges: { name: string; judge: Judge }[] = [{ name: 'this tree', judge: judgeMath }];
if (values.baseline !== undefined) {
  const module = (await import(resolve(values.baseline, 'src/core/verify/math/judge-math.ts'))) as { judgeMath: Judge };
  judges.push({ name: `baseline ${values.baseline}`, judge: module.judgeMath });
}

const all = makePairs(pairs + 200);
for (const { judge } of judges) for (const p of all.slice(0, 200)) judge(p.gold, p.response);
const timed = all.slice(200);
const BLOCK = 250;
const seconds = judges.map(() => 0);
const wronglyAccepted = judges.map(() => 0);
const blockRatios: number[] = [];
// Alternating blocks, each judge first in every other one: load on a shared machine falls on both alike.
for (let from = 0, b = 0; from < timed.length; from += BLOCK, b += 1) {
  const block = timed.slice(from, from + BLOCK);
  const spent = judges.map(() => 0);
  const order = b % 2 === 0 ? judges.map((_, j) => j) : judges.map((_, j) => judges.length - 1 - j);
  for (const j of order) {
    const started = performance.now();
    for (const p of block) if (judges[j]!.judge(p.gold, p.response).correct) wronglyAccepted[j]! += 1;
    spent[j] = (performance.now() - started) / 1000;
    seconds[j]! += spent[j]!;
  }
  if (judges.length > 1) blockRatios.push(spent[1]! / spent[0]!);
}
const results = judges.map(({ name }, j) => ({ name, pairs: timed.length, seconds: seconds[j]!, perSecond: timed.length / seconds[j]!, wronglyAccepted: wronglyAccepted[j]! }));
const ratio = results.length > 1 ? results[0]!.perSecond / results[1]!.perSecond : null;
const sorted = [...blockRatios].sort((x, y) => x - y);
const medianRatio = sorted.length > 0 ? sorted[Math.floor(sorted.length / 2)]! : null;
if (values.json) console.log(JSON.stringify(results.length > 1 ? { long: values.long, results, ratio, medianBlockRatio: medianRatio } : { ...results[0], long: values.long }));
else {
  for (const r of results) console.log(`${r.name}: ${r.pairs} mismatched pairs${values.long ? ' (long responses)' : ''} in ${r.seconds.toFixed(2)} s: ${r.perSecond.toFixed(0)} verifications/s (${r.wronglyAccepted} wrongly accepted)`);
  if (ratio !== null) console.log(`this tree / baseline: ${ratio.toFixed(2)}× overall, ${medianRatio?.toFixed(2)}× the median of ${sorted.length} blocks of ${BLOCK}`);
}
