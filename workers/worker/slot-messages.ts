import type { RequestOf } from '../../src/core/protocol/requests.ts';
import type { Lease, ModelRef, ResultsRequest, WorkerRequests } from '../../src/core/protocol/worker-protocol.ts';
import type { Result } from '../../src/core/result.ts';
import type { EpChoice } from '../engine/execution-provider.ts';

/**
 * Between a worker's main thread (the coordinator link, the model cache) and its slot
 * threads (one onnxruntime session each: onnxruntime-node runs a session on the thread that
 * calls it, so parallel slots need threads). Both ends are this program, so plain types
 * suffice here; what crosses the network is parsed at the socket.
 */
export interface SlotInit {
  ep: EpChoice;
  threads: number;
  batch: number;
}

export type ToSlot =
  | { type: 'lease'; lease: Lease }
  | { type: 'cancel'; leaseId: number }
  /** Abandon the lease in hand, release the engine's sessions, then say `stopped`. */
  | { type: 'stop' }
  | { type: 'sent'; id: number; result: Result<{ stored: number }> }
  | { type: 'model'; id: number; result: Result<string> };

/** What a slot asks its main thread for, answered by a `sent` or `model` message with the same id. */
export type SlotRequest =
  | { type: 'send'; name: ResultsRequest; payload: RequestOf<WorkerRequests, ResultsRequest> }
  | { type: 'ensure'; model: ModelRef };

export type FromSlot =
  | (SlotRequest & { id: number })
  | { type: 'progress'; leaseId: number; done: number }
  | { type: 'tokens'; count: number }
  | { type: 'loaded'; sha256: string | null }
  | { type: 'finished'; leaseId: number; result: Result<{ tokens: number }> }
  /** Nothing of onnxruntime runs or is held any more: the thread may be ended. */
  | { type: 'stopped' };
