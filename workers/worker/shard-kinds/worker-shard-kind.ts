import type { LeaseOfKind, ShardKind } from '../../../src/core/protocol/worker-protocol.ts';
import type { Result } from '../../../src/core/result.ts';
import type { LeaseContext, Runners } from '../run-lease.ts';

/**
 * How a worker's slot runs one kind of lease (the coordinator's side of the kind is
 * src/coordinator/scheduler/shard-kinds/): it draws, judges or scores the lease's samples
 * and sends their results in batches through the context, each batch acknowledged before
 * the next goes.
 */
export interface WorkerShardKind<K extends ShardKind> {
  kind: K;
  /** The lease in a log or status line: its model(s), problem and range. */
  describe(lease: LeaseOfKind[K]): string;
  /** Runs the lease to its end; the tokens it drew or read, or why it could not. */
  run(lease: LeaseOfKind[K], context: LeaseContext, runners: Runners): Promise<Result<{ tokens: number }>>;
}

/** Verdict texts are bounded on the wire (and a program's output can be anything). */
export function clip(text: string | null): string | null {
  return text === null ? null : text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

/** `model/problem [start,end)`. */
export function describeRange(model: string, lease: { problem: { id: string }; start: number; end: number }): string {
  return `${model}/${lease.problem.id} [${lease.start},${lease.end})`;
}
