import type { GenerationSettings } from '../../src/core/sampling/generation-settings.ts';
import type { PromptFormat } from '../../src/core/sampling/prompt-format.ts';
import type { Engine } from './open-engine.ts';
import type { Sample } from './sample-request.ts';

/**
 * What a worker is leased: samples [start, end) of one (run seed, model, problem). Any
 * split of [0, n) into shards, run anywhere, yields the samples one call for [0, n) would.
 */
export interface SampleJob {
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

export interface SampleJobHooks {
  onSample?: (sample: Sample) => void;
  onTokens?: (count: number) => void;
}

export async function runSampleJob(engine: Engine, job: SampleJob, hooks: SampleJobHooks = {}): Promise<Sample[]> {
  const prompt = engine.codec.formatPrompt(job.problem, job.promptFormat, job.template);
  return engine.decodePath.sample({
    promptIds: engine.codec.encode(prompt),
    stream: { seed: job.seed, modelId: job.modelId, problemId: job.problemId },
    start: job.start,
    end: job.end,
    params: { ...job.settings, stop: job.stop ?? [] },
    batch: job.batch,
    ...hooks,
  });
}
