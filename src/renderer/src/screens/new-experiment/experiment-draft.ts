import { PROMPT_FORMATS } from '../../../../core/protocol/ui-app-requests.ts';
import type { Role } from '../../../../core/roles.ts';
import type { ExperimentSpecInput } from '../../../../core/spec/experiment-spec.ts';

/**
 * The New-experiment form as the user types it (text fields stay text), and the spec it
 * becomes. Only what the form itself can tell is checked here (a number field holding a
 * word); everything else is checked by the coordinator (experiment:check), the one place
 * specs are judged, whose errors name their spec path.
 */
export interface ModelDraft {
  key: number;
  folder: string;
  role: Role;
  id: string;
  label: string;
  promptFormat: '' | (typeof PROMPT_FORMATS)[number];
  template: string;
}

export interface ExperimentDraft {
  name: string;
  source: 'bundled' | 'file';
  file: string;
  /** How a file's records become problems. */
  read: 'preset' | 'map' | 'as-is';
  preset: string;
  map: string;
  limit: string;
  models: ModelDraft[];
  n: string;
  temperature: string;
  topP: string;
  topK: string;
  maxNewTokens: string;
  seed: string;
  /** Empty: 1, 2, 4, … up to n (and pass@k fills in live while the run goes). */
  ks: string;
}

let nextKey = 1;
export const newModelDraft = (folder = '', role: Role = 'base'): ModelDraft => ({ key: nextKey++, folder, role, id: '', label: '', promptFormat: '', template: '' });

/** The paper's settings where the form starts; unset fields fall to each model's generation_config.json, then the paper's. */
export const initialDraft = (): ExperimentDraft => ({
  name: '', source: 'bundled', file: '', read: 'preset', preset: 'math500', map: '', limit: '50', models: [],
  n: '64', temperature: '', topP: '', topK: '', maxNewTokens: '', seed: '0', ks: '',
});

/** What a stored run says of how it was made (`run:analysis`'s run), enough to draw it again. */
export interface RunRecipe {
  benchmark: string;
  problems: number;
  n: number;
  seed: string;
  models: { id: string; role: Role; label: string | null; folder: string; settings: unknown; prompt: unknown }[];
}

const numberIn = (value: unknown, key: string): string => {
  const v = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
};
const stringIn = (value: unknown, key: string): string => {
  const v = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : '';
};

/**
 * A run keeps its benchmark's file name: the bundled "chain-arithmetic" is stored as
 * chain-arithmetic-test.jsonl, so a name that is a bundled one, or starts with it and a dash
 * or a dot, is read as that one (the Clone notice says which was taken).
 */
export const isBundledBenchmark = (benchmark: string, bundled: readonly string[]) =>
  bundled.some((name) => benchmark === name || benchmark.startsWith(`${name}-`) || benchmark.startsWith(`${name}.`));

/**
 * The form filled as a run was made (Clone as new experiment): its models with their folders,
 * roles, labels and prompts, n, the problems' count, the sampling seed, and the settings it
 * resolved (one set: the first model's, as the form has one). A benchmark read from a file
 * needs its file chosen again: the store keeps its name, not its path.
 */
export function draftOfRun(run: RunRecipe, bundled: readonly string[]): ExperimentDraft {
  const first = run.models[0]?.settings;
  return {
    ...initialDraft(),
    source: isBundledBenchmark(run.benchmark, bundled) ? 'bundled' : 'file',
    limit: String(run.problems),
    n: String(run.n),
    temperature: numberIn(first, 'temperature'), topP: numberIn(first, 'topP'), topK: numberIn(first, 'topK'), maxNewTokens: numberIn(first, 'maxNewTokens'),
    seed: run.seed,
    models: run.models.map((m) => {
      const format = stringIn(m.prompt, 'format');
      return {
        ...newModelDraft(m.folder, m.role), id: m.id, label: m.label ?? '',
        promptFormat: (PROMPT_FORMATS as readonly string[]).includes(format) ? (format as ModelDraft['promptFormat']) : '',
        template: stringIn(m.prompt, 'template'),
      };
    }),
  };
}

export interface FieldError { field: string; message: string }

function number(text: string, field: string, errors: FieldError[], integer: boolean): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const value = Number(t);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    errors.push({ field, message: `"${t}" is not ${integer ? 'a whole number' : 'a number'}` });
    return undefined;
  }
  return value;
}

export function specOfDraft(d: ExperimentDraft): { ok: true; value: ExperimentSpecInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const limit = number(d.limit, 'limit', errors, true);
  const n = number(d.n, 'sampling.n', errors, true);
  const temperature = number(d.temperature, 'sampling.temperature', errors, false);
  const topP = number(d.topP, 'sampling.topP', errors, false);
  const topK = number(d.topK, 'sampling.topK', errors, true);
  const maxNewTokens = number(d.maxNewTokens, 'sampling.maxNewTokens', errors, true);
  let ks: number[] | undefined;
  if (d.ks.trim() !== '') {
    const parts = d.ks.split(/[\s,]+/).filter(Boolean);
    if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) errors.push({ field: 'ks', message: 'a list of whole numbers ≥ 1, such as 1, 2, 4, 8' });
    else ks = [...new Set(parts.map(Number))].sort((a, b) => a - b);
  }
  if (n === undefined && !errors.some((e) => e.field === 'sampling.n')) errors.push({ field: 'sampling.n', message: 'how many samples per problem and model?' });
  if (d.source === 'file' && d.file.trim() === '') errors.push({ field: 'benchmark.file', message: 'choose a benchmark file' });
  if (d.models.length === 0) errors.push({ field: 'models', message: 'add at least one model' });
  d.models.forEach((m, i) => { if (m.folder.trim() === '') errors.push({ field: `models[${i}].folder`, message: 'choose the model\'s folder' }); });
  if (errors.length > 0) return { ok: false, errors };

  const benchmark: ExperimentSpecInput['benchmark'] = d.source === 'bundled'
    ? { bundled: 'chain-arithmetic' }
    : { file: d.file.trim(), ...(d.read === 'preset' ? { preset: d.preset } : d.read === 'map' ? { map: d.map.trim() } : {}) };
  return {
    ok: true,
    value: {
      ...(d.name.trim() ? { name: d.name.trim() } : {}),
      benchmark,
      ...(limit !== undefined ? { limit } : {}),
      models: d.models.map((m) => ({
        folder: m.folder.trim(), role: m.role,
        ...(m.id.trim() ? { id: m.id.trim() } : {}),
        ...(m.label.trim() ? { label: m.label.trim() } : {}),
        ...(m.promptFormat ? { promptFormat: m.promptFormat } : {}),
        ...(m.template.trim() ? { template: m.template } : {}),
      })),
      sampling: {
        n: n!,
        ...(temperature !== undefined ? { temperature } : {}), ...(topP !== undefined ? { topP } : {}),
        ...(topK !== undefined ? { topK } : {}), ...(maxNewTokens !== undefined ? { maxNewTokens } : {}),
        ...(d.seed.trim() ? { seed: d.seed.trim() } : {}),
      },
      ...(ks ? { ks } : {}),
    },
  };
}

/** The coordinator's spec errors ("models[1].folder: …") sorted to the field they name. */
export function errorsByField(lines: readonly string[]): FieldError[] {
  return lines.map((line) => {
    const at = line.indexOf(': ');
    return at > 0 && /^[\w.[\]()]+$/.test(line.slice(0, at)) ? { field: line.slice(0, at), message: line.slice(at + 2) } : { field: '(spec)', message: line };
  });
}

export const errorsFor = (errors: readonly FieldError[], prefix: string) => errors.filter((e) => e.field === prefix || e.field.startsWith(`${prefix}.`) || e.field.startsWith(`${prefix}[`));
