/**
 * `npx tsx bench/verify-math.ts [--pairs N] [--seed S] [--json]`: math verifications per
 * second on mismatched pairs, the slow path (both sides parsed by the CAS and compared by
 * value). Every pair is distinct text, so the parse cache cannot make the figure look
 * better than a real run of distinct samples; the first 200 pairs only warm the engine up
 * and are not timed.
 */
import { parseArgs } from 'node:util';
import { judgeMath } from '../src/core/verify/math/judge-math.ts';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '4000' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
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

function makePairs(count: number): { gold: string; response: string }[] {
  const out: { gold: string; response: string }[] = [];
  const seen = new Set<string>();
  while (out.length < count) {
    const template = TEMPLATES[out.length % TEMPLATES.length]!;
    const [gold, wrong] = template(next(97), next(89), next(83));
    if (seen.has(gold + wrong)) continue;
    seen.add(gold + wrong);
    out.push({ gold, response: `Working through it, the answer is $\\boxed{${wrong}}$.` });
  }
  return out;
}

const all = makePairs(pairs + 200);
for (const p of all.slice(0, 200)) judgeMath(p.gold, p.response);
const timed = all.slice(200);
const started = performance.now();
let correct = 0;
for (const p of timed) if (judgeMath(p.gold, p.response).correct) correct += 1;
const seconds = (performance.now() - started) / 1000;
const perSecond = timed.length / seconds;
const result = { pairs: timed.length, seconds, perSecond, wronglyAccepted: correct };
if (values.json) console.log(JSON.stringify(result));
else console.log(`${timed.length} mismatched pairs in ${seconds.toFixed(2)} s: ${perSecond.toFixed(0)} verifications/s (${correct} wrongly accepted)`);
