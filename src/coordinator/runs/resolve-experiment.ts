import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import type { BenchmarkProblem } from '../../core/datasets/benchmark-problem.ts';
import { parseFieldMapping } from '../../core/datasets/field-mapping.ts';
import { findPreset, presetFromMapping, presets, type DatasetPreset } from '../../core/datasets/presets.ts';
import { spreadSubset } from '../../core/planner/plan-shards.ts';
import type { Result } from '../../core/result.ts';
import { resolveGenerationSettings } from '../../core/sampling/generation-settings.ts';
import { BOXED_INSTRUCTION } from '../../core/sampling/prompt-format.ts';
import { mathOptionsForBenchmark, resolveMathOptions, type MathJudgeOptions } from '../../core/verify/math/judge-options.ts';
import { modelIdOf, type BenchmarkSpec, type ExperimentSpec, type VerifierKind } from '../../core/spec/experiment-spec.ts';
import { loadDataset } from '../../node/datasets/import-dataset.ts';
import { modelManifest } from '../../node/model-folder/model-manifest.ts';
import { readModelFolder } from '../../node/model-folder/read-model-folder.ts';
import { readServedFolder, servedManifest } from '../../node/model-folder/served-folder.ts';
import { BUNDLED_BENCHMARK } from '../../node/resources.ts';
import type { ResolvedSettings } from '../../core/protocol/worker-protocol.ts';
import type { RunModel } from '../store/models.ts';

/** A spec checked against the disk: problems loaded, models read and hashed, settings fixed. */
export interface ResolvedExperiment {
  spec: ExperimentSpec;
  verifier: VerifierKind;
  /** How math answers are judged: the benchmark's defaults under the spec's choices. */
  mathOptions: MathJudgeOptions | null;
  /** What reports call the benchmark: the file's name. */
  benchmark: string;
  problems: BenchmarkProblem[];
  models: ResolvedModel[];
}

/** A model of a resolved experiment: its settings are always fixed. */
export type ResolvedModel = RunModel & { settings: ResolvedSettings };

export const MATH_TEMPLATE = `{problem}\n${BOXED_INSTRUCTION}`;
const IDENTITY_MAPPING = { id: 'id', problem: 'problem', answer: 'answer', solution: 'solution' };

/**
 * Reads everything a spec names. Relative paths are taken from `baseDir` (the spec file's
 * folder, or the working directory for flags) and stored absolute. Every error names its
 * place in the spec, and all of them are reported at once.
 */
export async function resolveExperiment(spec: ExperimentSpec, baseDir: string): Promise<Result<ResolvedExperiment, string[]>> {
  const errors: string[] = [];
  const benchmark = await loadBenchmark(spec, baseDir);
  if (!benchmark.ok) errors.push(benchmark.error);
  const verifier = spec.verifier ?? (benchmark.ok ? benchmark.value.preset.kind : 'math');
  if (benchmark.ok) {
    const wrong = benchmark.value.problems.find((p) => p.kind !== verifier || (verifier === 'math' ? p.answer === null : p.task === null));
    if (wrong) errors.push(`verifier: "${verifier}" cannot judge problem ${wrong.id} (a ${wrong.kind} problem${wrong.kind === 'math' ? '' : ' with its tests'}); set "verifier" to match the benchmark`);
  }

  const models: ResolvedModel[] = [];
  for (const [i, model] of spec.models.entries()) {
    const resolvedModel = model.served === undefined ? await resolveOnnxModel(model, i, verifier, spec, baseDir) : await resolveServedModel(model, i, verifier, spec, baseDir);
    if (resolvedModel.ok) models.push(resolvedModel.value);
    else errors.push(resolvedModel.error);
  }
  if (errors.length > 0 || !benchmark.ok) return { ok: false, error: errors };
  const problems = spreadSubset(benchmark.value.problems, spec.limit);
  const mathOptions = verifier === 'math' ? resolveMathOptions({ ...mathOptionsForBenchmark(benchmark.value.preset.name), ...definedOnly(spec.math ?? {}) }) : null;
  return { ok: true, value: { spec, verifier, mathOptions, benchmark: benchmark.value.label, problems, models } };
}

/** The file a benchmark spec names and how its records become problems: what a launch and a preview both read. */
export function benchmarkSource(b: BenchmarkSpec, baseDir: string): Result<{ file: string; preset: DatasetPreset }> {
  if ('bundled' in b) return { ok: true, value: { file: BUNDLED_BENCHMARK, preset: presetFromMapping(IDENTITY_MAPPING) } };
  const file = absolute(b.file, baseDir);
  if (b.preset !== undefined) {
    const preset = findPreset(b.preset);
    if (!preset) return { ok: false, error: `benchmark.preset: unknown preset "${b.preset}"; one of ${presets.map((p) => p.name).join(', ')}` };
    return { ok: true, value: { file, preset } };
  }
  if (b.map !== undefined) {
    const mapping = parseFieldMapping(b.map);
    if (!mapping.ok) return { ok: false, error: `benchmark.map: ${mapping.error}` };
    return { ok: true, value: { file, preset: presetFromMapping(mapping.value) } };
  }
  return { ok: true, value: { file, preset: presetFromMapping(IDENTITY_MAPPING) } };
}

type ModelSpecOf = ExperimentSpec['models'][number];

async function resolveOnnxModel(model: ModelSpecOf, i: number, verifier: VerifierKind, spec: ExperimentSpec, baseDir: string): Promise<Result<ResolvedModel>> {
  const where = `models[${i}]`;
  const folder = absolute(model.folder, baseDir);
  const read = readModelFolder(folder, { dtype: model.dtype });
  if (!read.ok) return { ok: false, error: `${where}.folder: ${read.error}` };
  const settings = resolveGenerationSettings(spec.sampling, read.value.generation);
  if (!settings.ok) return { ok: false, error: `${where}: ${settings.error} (from sampling, else ${folder}/generation_config.json)` };
  const prompt = resolvePrompt(model, i, verifier, folder, read.value.chatTemplate !== null);
  if (!prompt.ok) return prompt;
  const manifest = await modelManifest(read.value);
  return {
    ok: true,
    value: {
      id: modelIdOf(model), role: model.role, name: model.label ?? basename(folder), label: model.label ?? null, folder,
      dtype: read.value.dtype, sha256: manifest.sha256, files: manifest.files,
      config: JSON.parse(readFileSync(`${folder}/config.json`, 'utf8')) as Record<string, unknown>,
      prompt: prompt.value, settings: { ...settings.value, stop: spec.sampling.stop }, served: null,
    },
  };
}

/** A model an inference server holds: its folder gives the prompt (template) and default settings; the server, the samples. */
async function resolveServedModel(model: ModelSpecOf, i: number, verifier: VerifierKind, spec: ExperimentSpec, baseDir: string): Promise<Result<ResolvedModel>> {
  const where = `models[${i}]`;
  const folder = absolute(model.folder, baseDir);
  const read = readServedFolder(folder);
  if (!read.ok) return { ok: false, error: `${where}.folder: ${read.error}` };
  const settings = resolveGenerationSettings(spec.sampling, read.value.generation);
  if (!settings.ok) return { ok: false, error: `${where}: ${settings.error} (from sampling, else ${folder}/generation_config.json)` };
  const served = model.served!;
  // The chat endpoint renders with the server's template, so the folder need not have one.
  const prompt = resolvePrompt(model, i, verifier, folder, read.value.chatTemplate !== null || served.endpoint === 'chat');
  if (!prompt.ok) return prompt;
  const manifest = await servedManifest(read.value);
  // Two served models may share their prompt files (a base and its RL version): the name keeps their addresses apart.
  const sha256 = createHash('sha256').update(`${manifest.sha256}\0served\0${served.model}\0${served.endpoint}`).digest('hex');
  return {
    ok: true,
    value: {
      id: modelIdOf(model), role: model.role, name: model.label ?? served.model, label: model.label ?? null, folder,
      dtype: 'served', sha256, files: manifest.files, config: read.value.config,
      prompt: prompt.value, settings: { ...settings.value, stop: spec.sampling.stop }, served,
    },
  };
}

function resolvePrompt(model: ModelSpecOf, i: number, verifier: VerifierKind, folder: string, hasTemplate: boolean): Result<RunModel['prompt']> {
  const format = model.promptFormat ?? (hasTemplate ? 'chat' : 'raw');
  if (format === 'chat' && !hasTemplate) {
    return { ok: false, error: `models[${i}].promptFormat: ${folder} has no chat template (tokenizer_config.json "chat_template" or chat_template.jinja); use "raw" or "qwen-boxed"` };
  }
  return { ok: true, value: { format, template: model.template ?? (format === 'qwen-boxed' ? null : verifier === 'math' ? MATH_TEMPLATE : '{problem}') } };
}

async function loadBenchmark(spec: ExperimentSpec, baseDir: string): Promise<Result<{ label: string; preset: DatasetPreset; problems: BenchmarkProblem[] }>> {
  const b = spec.benchmark;
  const source = benchmarkSource(b, baseDir);
  if (!source.ok) return source;
  const { file, preset } = source.value;
  const loaded = await loadDataset(file, preset, 'format' in b ? b.format : undefined);
  if (!loaded.ok) return { ok: false, error: `benchmark.file: ${loaded.error}` };
  return { ok: true, value: { label: basename(file), preset, problems: loaded.value } };
}

const definedOnly = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

const absolute = (path: string, baseDir: string) => (isAbsolute(path) ? path : resolve(baseDir, path));
