import { parentPort, workerData } from 'node:worker_threads';
import { describeDecode, openEngine } from '../engine/open-engine.ts';
import type { EngineInit, FromEngine, ToEngine } from './serve-messages.ts';

// One model's engine for `passk serve`: jobs run one at a time, in the order they come.
const port = parentPort!;
const init = workerData as EngineInit;
const post = (message: FromEngine) => port.postMessage(message);

const opened = await openEngine(init.dir, { ep: init.ep, threads: init.threads, dtype: init.dtype });
if (!opened.ok) {
  post({ type: 'failed', error: opened.error });
} else {
  const engine = opened.value;
  post({ type: 'ready', ep: engine.decoder.ep, decode: describeDecode(engine) });
  let chain = Promise.resolve();
  port.on('message', (message: ToEngine) => {
    chain = chain.then(() => run(message)).catch((error: unknown) => post({ type: 'done', job: message.job, error: (error as Error).stack ?? String(error) }));
  });

  async function run(message: ToEngine): Promise<void> {
    if (message.type === 'score') {
      const { ids, top } = message;
      const score = ids.length < 2 ? { tokenLogprobs: [], topLogprobs: top > 0 ? [] : undefined } : await engine.scorer.score(ids.slice(0, 1), ids.slice(1), { top });
      post({ type: 'scored', job: message.job, logprobs: score.tokenLogprobs, top: score.topLogprobs ?? null });
      post({ type: 'done', job: message.job, error: null });
      return;
    }
    const { job, keys, stream } = message;
    // New tokens of streaming rows, sent after each decode step (or Loop chunk), not per token.
    const fresh = new Map<number, number[]>();
    const flush = () => {
      if (fresh.size === 0) return;
      post({ type: 'tokens', job, rows: [...fresh] });
      fresh.clear();
    };
    await engine.decodePath.sample({
      promptIds: message.promptIds,
      stream: { seed: 'passk-serve', modelId: '', problemId: '' },
      start: 0,
      end: keys.length,
      params: message.params,
      batch: message.batch,
      rowKey: (row) => keys[row],
      onToken: (row, ids) => {
        if (!stream[row]) return;
        const list = fresh.get(row);
        if (list) list.push(ids[ids.length - 1]);
        else fresh.set(row, [ids[ids.length - 1]]);
      },
      onTokens: flush,
      onSample: (sample) => {
        flush();
        post({ type: 'row', job, row: sample.index, ids: sample.tokenIds, logprobs: sample.tokenLogprobs, text: sample.text, finish: sample.finish });
      },
    });
    post({ type: 'done', job, error: null });
  }
}
