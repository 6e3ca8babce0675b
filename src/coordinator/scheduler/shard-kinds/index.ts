import type { HandlerMap, ParsedRequestOf } from '../../../core/protocol/requests.ts';
import type { Result } from '../../../core/result.ts';
import type { ResultsRequest, ShardKind, WorkerRequests } from '../../../core/protocol/worker-protocol.ts';
import { sampleKind } from './sample.ts';
import { scoreKind } from './score.ts';
import type { ShardKindModule } from './shard-kind.ts';
import { verifyKind } from './verify.ts';

/**
 * Every shard kind the coordinator schedules, each declared in one module (shard-kind.ts
 * says what a module declares). Adding a kind: its lease schema and results request in
 * src/core/protocol/worker-protocol.ts (and its name in SHARD_KINDS), one module here beside
 * sample.ts, an entry in SHARD_KINDS_BY_NAME, SHARD_KIND_ORDER and resultsHandlers below, its runner in
 * workers/worker/shard-kinds/, and tests; the compiler points at each table that lacks it.
 */
export const SHARD_KINDS_BY_NAME: { [K in ShardKind]: ShardKindModule<K> } = {
  sample: sampleKind,
  verify: verifyKind,
  score: scoreKind,
};

/**
 * The order a worker's lease request is served in: verification first (quick, and it fills
 * the live curves while sampling goes on), then sampling, then scoring.
 */
export const SHARD_KIND_ORDER: readonly ShardKindModule[] = [verifyKind, sampleKind, scoreKind];

export function shardKind<K extends ShardKind>(kind: K): ShardKindModule<K> {
  return SHARD_KINDS_BY_NAME[kind];
}

/** The worker handlers of every results request, each given the kind whose results it carries. */
export function resultsHandlers(
  handle: <R extends ResultsRequest>(kind: ShardKindModule<ShardKind, R>, request: ParsedRequestOf<WorkerRequests, R>) => Result<{ stored: number }>,
): Pick<HandlerMap<WorkerRequests>, ResultsRequest> {
  return {
    'results:samples': (request) => handle(sampleKind, request),
    'results:verdicts': (request) => handle(verifyKind, request),
    'results:scores': (request) => handle(scoreKind, request),
  };
}
