import type { Capabilities } from '../protocol/worker-protocol.ts';
import type { ServedModel } from '../spec/experiment-spec.ts';

/**
 * Whether a worker can sample (or score under) a model. A model of the onnx engine goes to
 * onnx workers only; a served model only to workers joined to a server serving it under the
 * same name, and for scoring only where that server returns prompt log-probabilities. No
 * model mixes the two, so every sample of a model comes from one kind of source.
 */
export function workerRunsModel(caps: Pick<Capabilities, 'server'>, served: ServedModel | null, needs: { scoring: boolean }): boolean {
  if (served === null) return caps.server === null;
  return caps.server !== null && caps.server.model === served.model && (!needs.scoring || caps.server.scoring);
}
