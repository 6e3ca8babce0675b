import { describe, expect, it } from 'vitest';
import { MAX_N, modelIdOf, parseExperimentSpec, specPath } from './experiment-spec.ts';

const minimal = { benchmark: { bundled: 'chain-arithmetic' }, models: [{ folder: '/m/base', role: 'base' }], sampling: { n: 8 } };

describe('experiment spec', () => {
  it('fills in defaults: seed 0, no stop strings, all problems, no scoring', () => {
    const parsed = parseExperimentSpec(minimal);
    expect(parsed).toMatchObject({ ok: true, value: { limit: 0, scoring: [], sampling: { n: 8, seed: '0', stop: [] } } });
    expect(modelIdOf({ folder: '/m/base/', role: 'base' })).toBe('base');
    expect(modelIdOf({ id: 'qwen-rl', folder: '/m/x', role: 'rl' })).toBe('qwen-rl');
  });

  it('takes a served model by name or with its endpoint, and refuses what a server cannot honour', () => {
    const served = (model: Record<string, unknown>) => parseExperimentSpec({ ...minimal, models: [{ folder: '/m/base', role: 'base', ...model }] });
    expect(served({ served: 'qwen-7b' })).toMatchObject({ ok: true, value: { models: [{ served: { model: 'qwen-7b', endpoint: 'completions' } }] } });
    expect(served({ served: { model: 'qwen-7b', endpoint: 'chat' } })).toMatchObject({ ok: true, value: { models: [{ served: { model: 'qwen-7b', endpoint: 'chat' } }] } });
    expect(served({ served: { model: 'q', endpoint: 'chat' }, promptFormat: 'raw' })).toMatchObject({ ok: false, error: [expect.stringMatching(/^models\[0\]\.served\.endpoint: "chat" .* promptFormat must be "chat"/)] });
    expect(served({ served: 'q', dtype: 'fp16' })).toMatchObject({ ok: false, error: ['models[0].dtype: a served model\'s weights are the server\'s; dtype applies to ONNX models only'] });
    expect(served({ served: { name: 'q' } })).toMatchObject({ ok: false, error: [expect.stringMatching(/^models\[0\]\.served: expected the served model's name/)] });
  });

  it('names the path of every problem at once', () => {
    const parsed = parseExperimentSpec({
      benchmark: { file: 'x.jsonl', preset: 'gsm8k', map: 'problem=q' },
      models: [{ folder: '/a/m', role: 'base' }, { folder: '/b/m', role: 'teacher', colour: 'red' }],
      sampling: { n: 1e9, topP: 0 },
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toEqual(expect.arrayContaining([
      'models[1].role: expected one of base, rl, distilled, other',
      'models[1]: unknown field "colour"',
      `sampling.n: at most ${MAX_N} samples per problem`,
      expect.stringMatching(/^sampling\.topP: /),
    ]));
  });

  it('refuses two models with one id, scoring pairs naming no model, k above n, and preset with map', () => {
    const parsed = parseExperimentSpec({
      ...minimal,
      benchmark: { file: 'x.jsonl', preset: 'gsm8k', map: 'problem=q' },
      models: [{ folder: '/a/base', role: 'base' }, { folder: '/b/base', role: 'rl' }],
      ks: [1, 16],
      scoring: [{ answers: 'base', under: 'teacher' }],
    });
    expect(parsed).toEqual({
      ok: false,
      error: [
        'models[1]: id "base" is already models[0]\'s; model ids key the random streams and must be distinct (set "id")',
        'scoring[0].under: no model with id "teacher" (ids: base)',
        'ks: 16 exceed sampling.n = 8; pass@k needs k ≤ n',
        'benchmark: give "preset" or "map", not both',
      ],
    });
  });

  it('writes zod paths the way a user reads them', () => {
    expect(specPath(['models', 1, 'folder'])).toBe('models[1].folder');
    expect(specPath([])).toBe('(spec)');
  });
});
