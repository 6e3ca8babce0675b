/**
 * Step vs resident decode on a real model folder (the bundled ones by default), CPU EP:
 * tokens/s (alternating repetitions, medians), whether the samples are identical, and
 * the largest per-token log-prob difference.
 *
 *   npx tsx bench/gpu/compare-cpu.ts [--model resources/models/base] [--n 64] [--max-new 256] [--reps 3] [--chunk 64]
 */
import { parseArgs } from 'node:util';
import { openEngine } from '../../workers/engine/open-engine.ts';
import { openDecodePath, type DecodePath } from '../../workers/engine/resident/open-decode-path.ts';
import type { Sample } from '../../workers/engine/sample-request.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'resources/models/base' },
    n: { type: 'string', default: '64' },
    'max-new': { type: 'string', default: '256' },
    reps: { type: 'string', default: '3' },
    chunk: { type: 'string', default: '64' },
    threads: { type: 'string' },
  },
});

async function main(): Promise<void> {
  const opened = await openEngine(values.model, { ep: 'cpu', threads: values.threads ? Number(values.threads) : undefined });
  if (!opened.ok) throw new Error(opened.error);
  const engine = opened.value;
  const problem = 'Compute 17 * 23 - 45 + 8. Give the final answer in \\boxed{}.';
  const promptIds = engine.codec.encode(engine.codec.formatPrompt(problem, engine.codec.hasChatTemplate ? 'chat' : 'raw'));
  const n = Number(values.n);
  const req = {
    promptIds, stream: { seed: 3, modelId: 'base', problemId: 'cmp' }, start: 0, end: n, batch: n,
    params: { temperature: 0.6, topP: 0.95, topK: 0, maxNewTokens: Number(values['max-new']), stop: [] },
  };
  const paths: DecodePath[] = [];
  for (const name of ['step', 'resident'] as const) {
    const p = await openDecodePath(engine, name, { chunk: Number(values.chunk) });
    if (!p.ok) throw new Error(p.error);
    paths.push(p.value);
  }
  const rates: Record<string, number[]> = { step: [], resident: [] };
  const samples: Record<string, Sample[]> = {};
  for (const p of paths) await p.sample({ ...req, end: Math.min(n, 4) });
  for (let r = 0; r < Number(values.reps); r++) {
    for (const p of paths) {
      const t0 = performance.now();
      const got = await p.sample(req);
      const s = (performance.now() - t0) / 1000;
      const tokens = got.reduce((a, x) => a + x.tokenIds.length, 0);
      rates[p.name].push(tokens / s);
      samples[p.name] = got;
      console.error(`${p.name} rep ${r}: ${tokens} tokens in ${s.toFixed(2)} s`);
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const identical = samples.step.filter((s, i) => s.tokenIds.join() === samples.resident[i].tokenIds.join()).length;
  let maxLp = 0;
  samples.step.forEach((s, i) => s.tokenLogprobs.forEach((lp, t) => {
    const other = samples.resident[i].tokenLogprobs[t];
    if (other !== undefined) maxLp = Math.max(maxLp, Math.abs(lp - other));
  }));
  const lengths = samples.step.map((s) => s.tokenIds.length);
  console.log(JSON.stringify({
    model: values.model, n, max_new_tokens: req.params.maxNewTokens, chunk: Number(values.chunk),
    step_tokens_per_s: median(rates.step), resident_tokens_per_s: median(rates.resident),
    ratio: median(rates.resident) / median(rates.step), runs: rates,
    identical_samples: `${identical}/${n}`, max_abs_logprob_diff: maxLp,
    sample_lengths: { min: Math.min(...lengths), max: Math.max(...lengths) },
  }));
  for (const p of paths) await p.release();
  await engine.release();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
