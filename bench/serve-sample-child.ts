/**
 * The `passk sample` side of `bench:serve`, in its own process as the server is in its own:
 * the engine and runSampleJob exactly as `passk sample` runs them. The parent sends a config
 * on stdin's first line and one "run" line per repetition; each answers one JSON line.
 */
import { createInterface } from 'node:readline';
import { openEngine, type Engine } from '../workers/engine/open-engine.ts';
import { runSampleJob } from '../workers/engine/sample-job.ts';

export interface SampleChildConfig {
  modelDir: string;
  prompts: string[];
  n: number;
  batch: number;
  maxNewTokens: number;
  temperature: number;
  topP: number;
  threads: number;
}

const lines = createInterface({ input: process.stdin });
let config: SampleChildConfig | null = null;
let engine: Engine | null = null;
let rep = 0;
for await (const line of lines) {
  if (config === null) {
    config = JSON.parse(line) as SampleChildConfig;
    const opened = await openEngine(config.modelDir, { ep: 'cpu', threads: config.threads });
    if (!opened.ok) throw new Error(opened.error);
    engine = opened.value;
    process.stdout.write('{"ready":true}\n');
    continue;
  }
  const e = engine!;
  const c = config;
  const started = performance.now();
  let tokens = 0;
  rep++;
  for (const [i, prompt] of c.prompts.entries()) {
    // Raw format: the parent rendered the chat template, as it sends the same text to the server.
    const samples = await runSampleJob(e, {
      seed: `bench-${rep}`, modelId: 'bench', problemId: `p${i}`, problem: prompt, promptFormat: 'raw',
      start: 0, end: c.n, settings: { temperature: c.temperature, topP: c.topP, topK: 0, maxNewTokens: c.maxNewTokens }, stop: [], batch: c.batch,
    });
    for (const s of samples) tokens += s.tokenIds.length;
  }
  process.stdout.write(`${JSON.stringify({ tokens, seconds: (performance.now() - started) / 1000 })}\n`);
}
