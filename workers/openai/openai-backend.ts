import type { Result } from '../../src/core/result.ts';
import type { WorkerBackend } from '../worker/lease-runner.ts';
import { Slot } from '../worker/slot.ts';
import { OpenAiRunner } from './openai-runner.ts';
import { ServerClient, type ServerClientOptions } from './server-client.ts';

export interface OpenAiBackendOptions extends ServerClientOptions {
  /** Sampling or scoring leases held at once. */
  slots: number;
  /** Samples per request (`n`); 1 passes a seed for every sample. */
  perRequest: number;
  batch: number;
}

/**
 * A worker whose samples come from an inference server: `slots` lanes of sample (and, where
 * the server returns prompt log-probabilities, score) leases sharing one request limit, and
 * a verification lane on a slot thread as any worker has.
 */
export async function openAiBackend(options: OpenAiBackendOptions): Promise<Result<{ backend: WorkerBackend; scoringProblem: string | null }>> {
  const connected = await ServerClient.connect(options);
  if (!connected.ok) return connected;
  const { client, info } = connected.value;
  return {
    ok: true,
    value: {
      scoringProblem: info.scoringProblem,
      backend: {
        ep: 'cpu',
        slots: options.slots,
        server: info,
        lanes: (host) => [
          ...Array.from({ length: options.slots }, () => ({
            kinds: info.scoring ? ['sample' as const, 'score' as const] : ['sample' as const],
            runner: new OpenAiRunner(client, host, options.perRequest),
          })),
          { kinds: ['verify'], runner: new Slot({ ep: 'cpu', threads: 1, batch: options.batch }, host) },
        ],
      },
    },
  };
}
