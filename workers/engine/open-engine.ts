import { DecoderSession } from './decoder-session.ts';
import type { EpChoice } from './execution-provider.ts';
import { readModelFolder, type ModelFolder } from '../../src/node/model-folder/read-model-folder.ts';
import type { Result } from '../../src/core/result.ts';
import { openDecodePath, type DecodePath, type DecodePathName } from './resident/open-decode-path.ts';
import { Sampler } from './sampler.ts';
import { Scorer } from './scorer.ts';
import { createTextCodec, type TextCodec } from './text-codec.ts';
import { join } from 'node:path';

/** Everything a worker needs for one model: codec, decoder on its EP, samplers, scorer. */
export interface Engine {
  folder: ModelFolder;
  codec: TextCodec;
  decoder: DecoderSession;
  /** The step sampler: one session.run per token. */
  sampler: Sampler;
  /** What samples are drawn through (runSampleJob): `resident` unless asked otherwise or unavailable. */
  decodePath: DecodePath;
  /** Why the default resident path could not open, when the engine fell back to `step`. */
  decodeFallback?: string;
  scorer: Scorer;
  release(): Promise<void>;
}

export interface OpenOptions {
  dtype?: string;
  ep?: EpChoice;
  threads?: number;
  /** Run the shared-prefix rewrite of the decoder where it applies (default true). */
  sharePrefix?: boolean;
  /** Decode path (default `resident`; an explicit choice that cannot open is an error). */
  decode?: DecodePathName;
}

export async function openEngine(dir: string, options: OpenOptions = {}): Promise<Result<Engine>> {
  const folder = readModelFolder(dir, { dtype: options.dtype });
  if (!folder.ok) return folder;
  let codec: TextCodec;
  try {
    codec = createTextCodec(folder.value);
  } catch (error) {
    return { ok: false, error: `${join(dir, 'tokenizer.json')}: the tokenizer could not be loaded: ${(error as Error).message}` };
  }
  const decoder = await DecoderSession.open(folder.value, options.ep ?? 'auto', options.threads, { sharePrefix: options.sharePrefix });
  if (!decoder.ok) return decoder;
  const sampler = new Sampler(decoder.value, codec);
  const partial = { folder: folder.value, codec, decoder: decoder.value, sampler, scorer: new Scorer(decoder.value) };
  let decodePath = await openDecodePath(partial, options.decode ?? 'resident', { threads: options.threads });
  let decodeFallback: string | undefined;
  if (!decodePath.ok && options.decode === undefined) {
    decodeFallback = decodePath.error;
    decodePath = await openDecodePath(partial, 'step');
  }
  if (!decodePath.ok) {
    await decoder.value.release();
    return decodePath;
  }
  const path = decodePath.value;
  return {
    ok: true,
    value: {
      ...partial,
      decodePath: path,
      ...(decodeFallback ? { decodeFallback } : {}),
      release: async () => {
        await path.release();
        await decoder.value.release();
      },
    },
  };
}

/** The decode path and prefix sharing an engine runs, for a command's header line. */
export function describeDecode(engine: Engine): string {
  const fallback = engine.decodeFallback ? ` (resident unavailable: ${engine.decodeFallback})` : '';
  const prefix = engine.decoder.sharedPrefix
    ? ', shared prompt cache'
    : engine.decoder.prefixFallback ? `, prompt cache per row (${engine.decoder.prefixFallback})` : '';
  return `decode ${engine.decodePath.name}${fallback}${prefix}`;
}
