import type { GenerationSettings } from '../../src/core/sampling/generation-settings.ts';
import type { PromptFormat } from '../../src/core/sampling/prompt-format.ts';
import type { Engine } from './open-engine.ts';
import type { Sample } from './sampler.ts';

/**
 * What a worker is leased: samples [start, end) of one (run seed, model, problem). Any
 * split of [0, n) into shards, run anywhere, yields the samples one call for [0, n) would.
 */
export interface Shard {
  seed: number | string;
  modelId: string;
  problemId: string;
  problem: string;
  promptFormat: PromptFormat;
  /** User message (chat) or whole prompt (raw) with {problem} substituted. */
  template?: string;
  start: number;
  end: number;
  settings: GenerationSettings;
  stop?: readonly string[];
  batch: number;
}

export interface ShardHooks {
  onSample?: (sample: Sample) => void;
  onTokens?: (count: number) => void;
}

export async function sampleShard(engine: Engine, shard: Shard, hooks: ShardHooks = {}): Promise<Sample[]> {
  const prompt = engine.codec.formatPrompt(shard.problem, shard.promptFormat, shard.template);
  return engine.decodePath.sample({
    promptIds: engine.codec.encode(prompt),
    stream: { seed: shard.seed, modelId: shard.modelId, problemId: shard.problemId },
    start: shard.start,
    end: shard.end,
    params: { ...shard.settings, stop: shard.stop ?? [] },
    batch: shard.batch,
    ...hooks,
  });
}
