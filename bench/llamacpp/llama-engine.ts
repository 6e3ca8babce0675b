/**
 * llama.cpp through node-llama-cpp (a devDependency for benchmarks only), sampling as
 * passk's engine does: n samples of one prompt, `batch` sequences decoded together in one
 * context. node-llama-cpp copies no KV cache between sequences, so the prompt is evaluated
 * once (all but its last token), its sequence state saved to a file and loaded into every
 * sequence; each sequence then evaluates the prompt's last token and samples from there.
 * llama.cpp keeps the KV cache in f16 (its default) and applies top-p before temperature.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LlamaSampleParams { temperature: number; topP: number; topK: number; maxNewTokens: number }

export interface LlamaEngine {
  /** n samples of `promptIds`, `batch` at a time; sample i's seed is seedBase + i. */
  sample(promptIds: readonly number[], n: number, batch: number, params: LlamaSampleParams, seedBase: number): Promise<number[][]>;
  close(): Promise<void>;
}

/** Why node-llama-cpp cannot run here, or null when it loads. */
export async function llamaUnavailable(): Promise<string | null> {
  try {
    const { getLlama } = await import('node-llama-cpp');
    const llama = await getLlama({ gpu: false, build: 'never', usePrebuiltBinaries: true, logLevel: 'error' as never, progressLogs: false });
    await llama.dispose();
    return null;
  } catch (e) {
    return `node-llama-cpp cannot load its prebuilt CPU binary here: ${(e as Error).message.split('\n')[0]}`;
  }
}

export async function openLlamaEngine(ggufPath: string, options: { threads: number; contextPerSequence: number }): Promise<LlamaEngine> {
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  const llama = await getLlama({
    gpu: false, build: 'never', usePrebuiltBinaries: true, logLevel: LlamaLogLevel.error, progressLogs: false,
    maxThreads: options.threads,
  });
  const model = await llama.loadModel({ modelPath: ggufPath, gpuLayers: 0 });
  // One context at a time, with exactly `batch` sequences (a context sized for 64 would
  // make a batch of 1 pay for the larger KV cache and batch buffers).
  let opened: { batch: number; context: Awaited<ReturnType<typeof model.createContext>>; sequences: ReturnType<Awaited<ReturnType<typeof model.createContext>>['getSequence']>[] } | null = null;
  const contextFor = async (batch: number): Promise<NonNullable<typeof opened>> => {
    if (opened?.batch === batch) return opened;
    if (opened) await opened.context.dispose();
    const context = await model.createContext({
      sequences: batch, contextSize: options.contextPerSequence,
      batchSize: Math.max(512, batch), threads: { ideal: options.threads, min: options.threads },
    });
    opened = { batch, context, sequences: Array.from({ length: batch }, () => context.getSequence()) };
    return opened;
  };
  const stateDir = mkdtempSync(join(tmpdir(), 'passk-llama-state-'));
  const statePath = join(stateDir, 'prompt.bin');
  const eog = (t: number): boolean => model.isEogToken(t as never);

  return {
    async sample(promptIds, n, batch, params, seedBase) {
      if (promptIds.length < 1) throw new Error('empty prompt');
      const { sequences } = await contextFor(Math.min(batch, n));
      const head = promptIds.slice(0, -1) as never[];
      const last = promptIds[promptIds.length - 1] as never;
      const first = sequences[0];
      await first.clearHistory();
      if (head.length > 0) await first.evaluateWithoutGeneratingNewTokens(head);
      await first.saveStateToFile(statePath);
      const out: number[][] = [];
      for (let start = 0; start < n; start += sequences.length) {
        const rows = Math.min(sequences.length, n - start);
        const runs = Array.from({ length: rows }, async (_, r) => {
          const seq = sequences[r];
          if (r > 0 || start > 0) {
            await seq.clearHistory();
            if (head.length > 0) await seq.loadStateFromFile(statePath, { acceptRisk: true });
          }
          const ids: number[] = [];
          const gen = seq.evaluate([last], {
            temperature: params.temperature, topP: params.topP, topK: params.topK, seed: seedBase + start + r, yieldEogToken: true,
          });
          for await (const t of gen) {
            ids.push(t as number);
            if (eog(t as number) || ids.length >= params.maxNewTokens) break;
          }
          return ids;
        });
        out.push(...await Promise.all(runs));
      }
      return out;
    },
    async close() {
      if (opened) await opened.context.dispose();
      await model.dispose();
      await llama.dispose();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
