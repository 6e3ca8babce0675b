import type { BenchmarkProblem } from '../../src/core/datasets/benchmark-problem.ts';
import { resolveGenerationSettings, type GenerationSettings } from '../../src/core/sampling/generation-settings.ts';
import type { PromptFormat } from '../../src/core/sampling/prompt-format.ts';
import type { Role } from '../../src/core/stats/types.ts';
import { judgeMath } from '../../src/core/verify/math/index.ts';
import type { Verdict } from '../../src/core/verify/verdict.ts';
import type { EpChoice } from '../engine/execution-provider.ts';
import type { Result } from '../../src/core/result.ts';
import { describeDecode, openEngine } from '../engine/open-engine.ts';
import type { DecodePathName } from '../engine/resident/open-decode-path.ts';
import { runSampleJob } from '../engine/sample-job.ts';

export interface LocalModel {
  /** Keys the random streams and names the model in every report. */
  id: string;
  role: Role;
  dir: string;
}

export interface LocalExperiment {
  models: readonly LocalModel[];
  /** Math problems with gold answers. */
  problems: readonly BenchmarkProblem[];
  n: number;
  seed: string;
  promptFormat: PromptFormat;
  /** The user message (chat) or whole prompt (raw) with {problem} substituted. */
  template?: string;
  /** Overrides of the models' generation_config.json (then the paper's settings). */
  settings: Partial<GenerationSettings>;
  batch: number;
  ep: EpChoice;
  threads?: number;
  /** Decode path (default resident; see openEngine). */
  decode?: DecodePathName;
}

/** One verified sample, the row every output of a run is made from. */
export interface VerifiedSample extends Verdict {
  model: string;
  role: Role;
  problem: string;
  sample: number;
  text: string;
  tokens: number;
  finish: 'stop' | 'length';
  logprob: number;
}

export interface RunHooks {
  /** Called once per (model, problem) with its n verified samples, in order. */
  onSamples?: (samples: readonly VerifiedSample[]) => void;
  onModel?: (model: LocalModel, description: string) => void;
  onTokens?: (count: number) => void;
}

/**
 * Samples n answers per problem from each model on this machine and verifies each, handing
 * every (model, problem) batch to `onSamples`. One process, no coordinator: the same shard
 * API (`runSampleJob`) a worker uses, so the samples equal a distributed run's.
 */
export async function runLocalExperiment(experiment: LocalExperiment, hooks: RunHooks = {}): Promise<Result<void>> {
  const codeProblem = experiment.problems.find((p) => p.kind !== 'math' || p.answer === null);
  if (codeProblem) return { ok: false, error: `problem ${codeProblem.id}: only math problems with a gold answer can be run locally so far` };
  for (const model of experiment.models) {
    const opened = await openEngine(model.dir, { ep: experiment.ep, threads: experiment.threads, decode: experiment.decode });
    if (!opened.ok) return { ok: false, error: `model ${model.id} (${model.role}): ${opened.error}` };
    const engine = opened.value;
    try {
      const settings = resolveGenerationSettings(experiment.settings, engine.folder.generation);
      if (!settings.ok) return { ok: false, error: `model ${model.id}: ${settings.error}` };
      const s = settings.value;
      hooks.onModel?.(model, `${engine.folder.dtype} on ${engine.decoder.ep}, ${describeDecode(engine)}; T=${s.temperature} top-p=${s.topP} top-k=${s.topK} max-new-tokens=${s.maxNewTokens}`);
      for (const problem of experiment.problems) {
        const samples = await runSampleJob(engine, {
          seed: experiment.seed, modelId: model.id, problemId: problem.id, problem: problem.problem,
          promptFormat: experiment.promptFormat, template: experiment.template, start: 0, end: experiment.n, settings: s, batch: experiment.batch,
        }, { onTokens: hooks.onTokens });
        const verified = samples.map((sample): VerifiedSample => ({
          model: model.id, role: model.role, problem: problem.id, sample: sample.index,
          text: sample.text, tokens: sample.tokenIds.length, finish: sample.finish, logprob: sample.logprob,
          ...judgeMath(problem.answer!, sample.text),
        }));
        hooks.onSamples?.(verified);
      }
    } finally {
      await engine.release();
    }
  }
  return { ok: true, value: undefined };
}

/** `count` problems spread evenly over the list (every level of a sorted benchmark), in order. */
export function spreadSubset<T>(items: readonly T[], count: number): T[] {
  if (count >= items.length) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]);
}
