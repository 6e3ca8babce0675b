import { z } from 'zod';
import { describeZodError } from '../../../core/protocol/requests.ts';
import { mathOptionsSchema, type ModelRef, type ResolvedSettings } from '../../../core/protocol/worker-protocol.ts';
import { experimentSpecSchema } from '../../../core/spec/experiment-spec.ts';
import { DEFAULT_MATH_OPTIONS, type MathJudgeOptions } from '../../../core/verify/math/judge-options.ts';
import type { RunModel } from '../../store/models.ts';
import type { Run } from '../../store/runs.ts';
import type { SchedulingSpec } from './shard-kind.ts';

/** Parts of leases that more than one kind sends. */

export function modelRef(model: RunModel): ModelRef {
  if (model.sha256 === null) throw new Error(`model ${model.id} has no content address (a run imported without its model cannot be sampled)`);
  return { id: model.id, sha256: model.sha256, dtype: model.dtype, files: model.files, folder: model.folder, served: model.served };
}

/** The settings a model is sampled with; a run imported without them cannot be sampled. */
export function modelSettings(model: RunModel): ResolvedSettings {
  if (model.settings === null) throw new Error(`model ${model.id} has no recorded sampling settings (a run imported from another tool cannot be sampled)`);
  return model.settings;
}

/** How the run judges math answers: its resolved options, or the defaults for runs resolved before they existed. */
export function runMathOptions(run: Run): MathJudgeOptions {
  const stored = typeof run.resolved === 'object' && run.resolved !== null && 'mathOptions' in run.resolved ? run.resolved.mathOptions : null;
  if (stored === null || stored === undefined) return DEFAULT_MATH_OPTIONS;
  const parsed = mathOptionsSchema.safeParse(stored);
  if (!parsed.success) throw new Error(`run ${run.name}: its stored math options are not valid (${describeZodError(parsed.error)})`);
  return parsed.data;
}

const schedulingSpecSchema = z.object({ scoring: experimentSpecSchema.shape.scoring, shardSize: experimentSpecSchema.shape.shardSize });

/** What scheduling reads of the run's stored spec (the rest is ignored here). */
export function schedulingSpec(run: Run): SchedulingSpec {
  const parsed = schedulingSpecSchema.safeParse(run.spec);
  if (!parsed.success) throw new Error(`run ${run.name}: its stored spec does not say how to schedule it (${describeZodError(parsed.error)})`);
  return parsed.data;
}
