import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { differenceRange, kTicks, log2Scale, logTicks, niceTicks, unitRange } from './charts/scales.ts';
import { parseRoute, routeHref, runHref } from './routes.ts';
import { draftOfRun, errorsByField, initialDraft, newModelDraft, specOfDraft } from './screens/new-experiment/experiment-draft.ts';
import { answerSpan } from './screens/problems/sample-viewer.tsx';
import { signed3 } from './ui/format.ts';

describe('Clone as new experiment', () => {
  const run = {
    benchmark: 'chain-arithmetic', problems: 12, n: 16, seed: '7',
    models: [
      { id: 'base', role: 'base' as const, label: null, folder: '/m/base', settings: { temperature: 0.6, topP: 0.95, topK: 0, maxNewTokens: 48, stop: [] }, prompt: { format: 'chat', template: null } },
      { id: 'rl-x', role: 'rl' as const, label: 'RL', folder: '/m/rl', settings: { temperature: 0.6 }, prompt: { format: 'raw', template: 'Q: {problem}' } },
    ],
  };

  it('fills the form as the run was made, and the spec it gives is that run\'s', () => {
    expect(draftOfRun({ ...run, benchmark: 'chain-arithmetic-test.jsonl' }, ['chain-arithmetic']).source).toBe('bundled');
    const draft = draftOfRun(run, ['chain-arithmetic']);
    expect(draft).toMatchObject({ source: 'bundled', limit: '12', n: '16', seed: '7', temperature: '0.6', topP: '0.95', topK: '0', maxNewTokens: '48' });
    const spec = specOfDraft(draft);
    expect(spec.ok && spec.value).toMatchObject({
      benchmark: { bundled: 'chain-arithmetic' }, limit: 12,
      models: [{ folder: '/m/base', role: 'base', id: 'base', promptFormat: 'chat' }, { folder: '/m/rl', role: 'rl', id: 'rl-x', label: 'RL', promptFormat: 'raw', template: 'Q: {problem}' }],
      sampling: { n: 16, temperature: 0.6, topP: 0.95, topK: 0, maxNewTokens: 48, seed: '7' },
    });
  });

  it('asks for the file again for a benchmark that is not bundled, and leaves settings it cannot read empty', () => {
    const draft = draftOfRun({ ...run, benchmark: 'math500.jsonl', models: [{ ...run.models[0], settings: {}, prompt: { format: 'odd' } }] }, ['chain-arithmetic']);
    expect(draft).toMatchObject({ source: 'file', file: '', temperature: '', maxNewTokens: '' });
    expect(draft.models[0].promptFormat).toBe('');
    expect(specOfDraft(draft)).toMatchObject({ ok: false, errors: [{ field: 'benchmark.file' }] });
    expect(parseRoute('#/new?from=run-1')).toEqual({ screen: 'new', from: 'run-1' });
    expect(routeHref({ screen: 'new', from: 'run 1' })).toBe('#/new?from=run%201');
    expect(parseRoute('#/new')).toEqual({ screen: 'new' });
  });
});

describe('routes', () => {
  it('round-trips every screen through the address', () => {
    const href = runHref('run-1', 'problems', { solvedBy: ['base'], unsolvedBy: ['rl', 'distilled'], search: 'a b', level: 'Level 3', subject: 'algebra', problem: 'p/1', model: 'base', sample: 3 });
    expect(routeHref(parseRoute(href))).toBe(href);
    expect(parseRoute(href)).toMatchObject({ screen: 'run', runId: 'run-1', tab: 'problems', problems: { solvedBy: ['base'], unsolvedBy: ['rl', 'distilled'], search: 'a b', level: 'Level 3', subject: 'algebra', problem: 'p/1', sample: 3 } });
    expect(parseRoute('#/runs/x/problems')).toMatchObject({ problems: { level: null, subject: null } });
    for (const h of ['#/new', '#/runs', '#/workers', '#/compare/a/b', '#/runs/x', '#/runs/x/results']) expect(routeHref(parseRoute(h))).toBe(h);
    expect(parseRoute('')).toEqual({ screen: 'archive' });
    expect(parseRoute('#/runs/x/problems?sample=-1')).toMatchObject({ problems: { sample: null } });
  });
});

describe('the experiment form', () => {
  it('becomes the spec the coordinator checks, leaving unset settings to the models', () => {
    const draft = { ...initialDraft(), models: [newModelDraft('/m/base', 'base'), { ...newModelDraft('/m/rl', 'rl'), id: 'rl-400', promptFormat: 'qwen-boxed' as const }], n: '256', temperature: '0.6', ks: '1, 4 2,4' };
    expect(specOfDraft(draft)).toEqual({
      ok: true,
      value: {
        benchmark: { bundled: 'chain-arithmetic' }, limit: 50,
        models: [{ folder: '/m/base', role: 'base' }, { folder: '/m/rl', role: 'rl', id: 'rl-400', promptFormat: 'qwen-boxed' }],
        sampling: { n: 256, temperature: 0.6, seed: '0' }, ks: [1, 2, 4],
      },
    });
    expect(specOfDraft({ ...draft, source: 'file', file: 'x.jsonl', read: 'map', map: 'problem=q' })).toMatchObject({ ok: true, value: { benchmark: { file: 'x.jsonl', map: 'problem=q' } } });
  });

  it('names the field for what only the form can tell, and sorts the coordinator\'s errors to their fields', () => {
    expect(specOfDraft({ ...initialDraft(), n: '2.5', topP: 'high' })).toEqual({
      ok: false,
      errors: [
        { field: 'sampling.n', message: '"2.5" is not a whole number' },
        { field: 'sampling.topP', message: '"high" is not a number' },
        { field: 'models', message: 'add at least one model' },
      ],
    });
    expect(errorsByField(['models[1].folder: /x: not a folder', 'something went wrong'])).toEqual([
      { field: 'models[1].folder', message: '/x: not a folder' }, { field: '(spec)', message: 'something went wrong' },
    ]);
  });
});

describe('chart scales', () => {
  it('puts k on a log₂ axis and keeps the y range in tenths within [0, 1]', () => {
    const box = { width: 100, height: 100, left: 0, right: 0, top: 0, bottom: 0 };
    const x = log2Scale(1, 256, box);
    expect([x(1), x(16), x(256)]).toEqual([0, 50, 100]);
    expect(unitRange([0.23, 0.61])).toEqual([0.2, 0.7]);
    expect(unitRange([0, 1])).toEqual([0, 1]);
    expect(unitRange([1, 1])).toEqual([0.9, 1]);
    expect(kTicks([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 10000], 6)).toEqual([1, 8, 64, 512, 4096, 10000]);
  });

  it('gives differences a range in tenths around 0, and round ticks on linear and log axes', () => {
    expect(differenceRange([-0.013, 0.205])).toEqual([-0.1, 0.3]);
    expect(differenceRange([0.01, 0.02])).toEqual([0, 0.1]);
    expect(differenceRange([-0.42, -0.05])).toEqual([-0.5, 0]);
    expect(niceTicks(0, 6.8)).toEqual({ lo: 0, hi: 8, ticks: [0, 2, 4, 6, 8] });
    expect(niceTicks(1.053, 1.198)).toEqual({ lo: 1.05, hi: 1.2, ticks: [1.05, 1.1, 1.15, 1.2] });
    // A wide perplexity range on a log axis: 1-2-5 ticks; a narrower one gets the finer ladder.
    expect(logTicks(1.2, 180)).toEqual({ lo: 1, hi: 200, ticks: [1, 2, 5, 10, 20, 50, 100, 200] });
    expect(logTicks(1.2, 9)).toEqual({ lo: 1, hi: 10, ticks: [1, 2, 5, 10] });
    expect(logTicks(1.2, 4.5)).toEqual({ lo: 1, hi: 5, ticks: [1, 1.5, 2, 3, 5] });
  });
});

describe('numbers as printed', () => {
  it('signs a difference by its printed value', () => {
    expect([signed3(0.0994), signed3(-1.7e-17), signed3(-0.0004), signed3(-0.0006), signed3(0)]).toEqual(['+0.099', '+0.000', '+0.000', '−0.001', '+0.000']);
  });
});

describe('the sample viewer', () => {
  it('marks the boxed answer the verifier read, the last one, or nothing when it was normalised', () => {
    const text = 'so \\boxed{7}? no: \\boxed{12}. Answer 12';
    expect(answerSpan(text, '12')).toEqual([18, 28]);
    expect(answerSpan('x = 5 then 5', '5')).toEqual([11, 12]);
    expect(answerSpan('one half', '\\frac{1}{2}')).toBeNull();
    expect(answerSpan('x', null)).toBeNull();
  });
});

describe('the renderer\'s imports', () => {
  // docs/architecture.md, "The import rule": renderer → core/protocol only (pure core types
  // allowed), never the store, engine, Node or Electron; the same bundle runs in a browser.
  it('reach only src/core/protocol, type-only pure core, and browser packages', () => {
    const root = resolve('src/renderer');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) files.push(path);
      }
    };
    walk(root);
    const bad: string[] = [];
    for (const file of files) {
      for (const match of readFileSync(file, 'utf8').matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)) {
        const [, typeOnly, spec] = match;
        const where = `${relative('.', file)}: ${spec}`;
        if (spec.startsWith('.')) {
          const target = relative('.', resolve(file, '..', spec));
          if (target.startsWith('src/renderer/')) continue;
          if (target.startsWith('src/core/protocol/')) continue;
          if (typeOnly && target.startsWith('src/core/')) continue;
          bad.push(where);
        } else if (!['react', 'react-dom', 'react-dom/client', 'socket.io-client', 'zod'].includes(spec)) {
          bad.push(where);
        }
      }
    }
    expect(files.length).toBeGreaterThan(20);
    expect(bad).toEqual([]);
  });
});
