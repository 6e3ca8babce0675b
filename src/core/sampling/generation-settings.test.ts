import { describe, expect, it } from 'vitest';
import { resolveGenerationSettings } from './generation-settings.ts';

describe('resolveGenerationSettings', () => {
  it('prefers the user, then generation_config.json, then the paper', () => {
    expect(resolveGenerationSettings({ topK: 5 }, { temperature: 0.7, maxNewTokens: 256 })).toEqual({
      ok: true, value: { temperature: 0.7, topP: 0.95, topK: 5, maxNewTokens: 256 },
    });
    expect(resolveGenerationSettings({}, {})).toEqual({
      ok: true, value: { temperature: 0.6, topP: 0.95, topK: 0, maxNewTokens: 16384 },
    });
  });

  it('treats do_sample: false as greedy unless the user sets a temperature', () => {
    expect(resolveGenerationSettings({}, { doSample: false, temperature: 0.9 })).toMatchObject({ ok: true, value: { temperature: 0 } });
    expect(resolveGenerationSettings({ temperature: 1 }, { doSample: false })).toMatchObject({ ok: true, value: { temperature: 1 } });
  });

  it('names the bad setting', () => {
    expect(resolveGenerationSettings({ topP: 0 }, {})).toMatchObject({ ok: false, error: expect.stringContaining('top-p 0') });
    expect(resolveGenerationSettings({ maxNewTokens: 1.5 }, {})).toMatchObject({ ok: false, error: expect.stringContaining('max-new-tokens') });
    expect(resolveGenerationSettings({ temperature: -1 }, {})).toMatchObject({ ok: false, error: expect.stringContaining('temperature') });
  });
});
