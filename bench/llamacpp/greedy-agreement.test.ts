/**
 * llama.cpp (node-llama-cpp, the GGUF written by qwen2-gguf.ts) and passk decode the
 * bundled model greedily to the same tokens in f32: the check that the GGUF's tensors,
 * dim order, rope style and metadata are the model passk runs. Skipped, with the reason,
 * where node-llama-cpp's prebuilt binary cannot load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BOXED_INSTRUCTION } from '../../src/core/sampling/prompt-format.ts';
import { REPO_ROOT } from '../../test/support/test-model.ts';
import { openEngine } from '../../workers/engine/open-engine.ts';
import { llamaUnavailable, openLlamaEngine } from './llama-engine.ts';
import { ensureQwen2Gguf } from './qwen2-gguf.ts';

const why = await llamaUnavailable();
if (why) process.stderr.write(`greedy-agreement.test.ts skipped: ${why}\n`);
const cache = mkdtempSync(join(tmpdir(), 'passk-gguf-test-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

describe.skipIf(why !== null)('llama.cpp and passk agree greedily on the bundled model (f32)', () => {
  it('same tokens for three prompts, with the prompt state loaded into a second sequence', async () => {
    const dir = join(REPO_ROOT, 'resources', 'models', 'base');
    process.env.PASSK_GGUF_CACHE = cache;
    const gguf = ensureQwen2Gguf(dir, 'f32');
    const opened = await openEngine(dir, { ep: 'cpu', threads: 1, decode: 'step' });
    if (!opened.ok) throw new Error(opened.error);
    const { codec, decodePath } = opened.value;
    const llama = await openLlamaEngine(gguf, { threads: 1, contextPerSequence: 512 });
    try {
      for (const problem of ['Compute 12 + 7 * 3 - 5.', 'Let a = 4. Compute a * a - 9.', 'Compute (8 - 3) * (2 + 6).']) {
        const ids = codec.encode(codec.formatPrompt(problem, 'chat', `{problem}\n${BOXED_INSTRUCTION}`));
        const [mine] = await decodePath.sample({
          promptIds: ids, stream: { seed: 0, modelId: 'greedy', problemId: problem }, start: 0, end: 1, batch: 1,
          params: { temperature: 0, topP: 1, topK: 0, maxNewTokens: 96, stop: [] },
        });
        const theirs = await llama.sample(ids, 2, 2, { temperature: 0, topP: 1, topK: 0, maxNewTokens: 96 }, 0);
        expect(mine.tokenIds.length).toBeGreaterThan(8);
        expect(theirs[0]).toEqual(mine.tokenIds);
        expect(theirs[1]).toEqual(mine.tokenIds);
      }
    } finally {
      await llama.close();
    }
  });
});
