import type { RequestOf } from '../../src/core/protocol/requests.ts';
import type { Lease, ModelRef, ResultsRequest, ServerInfo, ShardKind, WorkerRequests } from '../../src/core/protocol/worker-protocol.ts';
import type { Result } from '../../src/core/result.ts';
import type { EpChoice } from '../engine/execution-provider.ts';

/** How a lease's results reach the coordinator, typed by the request: each batch resent until acknowledged, or refused with a reason. */
export type SendResults = <R extends ResultsRequest>(name: R, payload: RequestOf<WorkerRequests, R>) => Promise<Result<{ stored: number }>>;

/** What a runner asks of its worker: send result batches (each resent until acknowledged), fetch model files, count tokens. */
export interface RunnerHost {
  send: SendResults;
  ensure(model: ModelRef): Promise<Result<string>>;
  onTokens(count: number): void;
}

/**
 * Runs leases one at a time: a slot thread with an onnxruntime session (slot.ts), or a
 * client of an inference server (workers/openai). The worker's coordinator link, lanes,
 * heartbeats and draining are the same for both.
 */
export interface LeaseRunner {
  /** The model (sha256) it holds, which lease requests name so shards of it come back here. */
  loaded(): string | null;
  run(lease: Lease, progress: (done: number) => void): Promise<Result<{ tokens: number }>>;
  cancel(leaseId: number): void;
  terminate(): Promise<void>;
}

/** One lane asks for leases of these kinds, one at a time, and runs them on its runner. */
export interface Lane {
  kinds: ShardKind[];
  runner: LeaseRunner;
}

/** How a worker draws samples: what its hello announces, and its lanes. */
export interface WorkerBackend {
  ep: EpChoice;
  /** Sampling or scoring leases held at once. */
  slots: number;
  /** The inference server it draws from; null for the onnx engine. */
  server: ServerInfo | null;
  lanes(host: RunnerHost): Lane[];
}
