import type { Result } from '../result.ts';
import type { SamplingParams } from './sample-token.ts';

/** The paper's settings (Yue et al. 2025), used where neither the user nor the model says. */
export const PAPER_DEFAULTS = { temperature: 0.6, topP: 0.95, topK: 0, maxNewTokens: 16_384 } as const;

/** Why a sample ended: a stop string or end-of-text token (`stop`), or maxNewTokens (`length`). */
export const FINISH_REASONS = ['stop', 'length'] as const;
export type Finish = (typeof FINISH_REASONS)[number];

export interface GenerationSettings extends SamplingParams {
  maxNewTokens: number;
}

export type SettingsResult = Result<GenerationSettings>;

/**
 * Each setting from the first source that has it: the user's choice, then the model's
 * generation_config.json, then the paper. A model that says do_sample: false is greedy
 * unless the user sets a temperature.
 */
export function resolveGenerationSettings(
  user: Partial<GenerationSettings>,
  model: Partial<GenerationSettings> & { doSample?: boolean },
): SettingsResult {
  const modelTemperature = model.doSample === false ? 0 : model.temperature;
  const s: GenerationSettings = {
    temperature: user.temperature ?? modelTemperature ?? PAPER_DEFAULTS.temperature,
    topP: user.topP ?? model.topP ?? PAPER_DEFAULTS.topP,
    topK: user.topK ?? model.topK ?? PAPER_DEFAULTS.topK,
    maxNewTokens: user.maxNewTokens ?? model.maxNewTokens ?? PAPER_DEFAULTS.maxNewTokens,
  };
  if (!(s.temperature >= 0) || !Number.isFinite(s.temperature)) return { ok: false, error: `temperature ${s.temperature}: must be a finite number ≥ 0` };
  if (!(s.topP > 0 && s.topP <= 1)) return { ok: false, error: `top-p ${s.topP}: must be in (0, 1]` };
  if (!Number.isInteger(s.topK) || s.topK < 0) return { ok: false, error: `top-k ${s.topK}: must be an integer ≥ 0 (0 = off)` };
  if (!Number.isInteger(s.maxNewTokens) || s.maxNewTokens < 1) return { ok: false, error: `max-new-tokens ${s.maxNewTokens}: must be an integer ≥ 1` };
  return { ok: true, value: s };
}
