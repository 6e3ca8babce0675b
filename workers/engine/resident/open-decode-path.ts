import type { Result } from '../../../src/core/result.ts';
import type { DecoderSession } from '../decoder-session.ts';
import type { Sampler } from '../sampler.ts';
import type { TextCodec } from '../text-codec.ts';
import type { Sample, SampleRequest } from '../sample-request.ts';
import { ResidentDecoder } from './resident-decoder.ts';
import { ResidentSampler, type ResidentOptions } from './resident-sampler.ts';

export const DECODE_PATHS = ['step', 'resident'] as const;
export type DecodePathName = (typeof DECODE_PATHS)[number];

/** What a worker samples through: the same requests and samples whichever path runs. */
export interface DecodePath {
  name: DecodePathName;
  sample(req: SampleRequest): Promise<Sample[]>;
  release(): Promise<void>;
}

/**
 * `step`: one `session.run` per token (the engine's own sampler). `resident`: `chunk`
 * tokens per run inside an ONNX Loop, so on a GPU the KV cache crosses PCIe once per chunk
 * instead of twice per token, and on the CPU the per-token host work goes. Both give the
 * same samples on the CPU.
 */
export async function openDecodePath(
  engine: { decoder: DecoderSession; sampler: Sampler; codec: TextCodec }, name: DecodePathName,
  options: Partial<Pick<ResidentOptions, 'chunk'>> & { threads?: number } = {},
): Promise<Result<DecodePath>> {
  if (name === 'step') {
    return { ok: true, value: { name, sample: (req) => engine.sampler.sample(req), release: async () => {} } };
  }
  const decoder = await ResidentDecoder.open(engine.decoder, { threads: options.threads });
  if (!decoder.ok) return decoder;
  const sampler = new ResidentSampler(engine.decoder, decoder.value, engine.codec, {
    chunk: options.chunk, prefillChunk: engine.sampler.prefillChunk,
  });
  return { ok: true, value: { name, sample: (req) => sampler.sample(req), release: () => decoder.value.release() } };
}
