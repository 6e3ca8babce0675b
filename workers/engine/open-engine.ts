import { DecoderSession } from './decoder-session.ts';
import type { EpChoice } from './execution-provider.ts';
import { readModelFolder, type ModelFolder, type Result } from './model-folder.ts';
import { Sampler } from './sampler.ts';
import { Scorer } from './scorer.ts';
import { createTextCodec, type TextCodec } from './text-codec.ts';

/** Everything a worker needs for one model: codec, decoder on its EP, sampler, scorer. */
export interface Engine {
  folder: ModelFolder;
  codec: TextCodec;
  decoder: DecoderSession;
  sampler: Sampler;
  scorer: Scorer;
  release(): Promise<void>;
}

export interface OpenOptions {
  dtype?: string;
  ep?: EpChoice;
  threads?: number;
}

export async function openEngine(dir: string, options: OpenOptions = {}): Promise<Result<Engine>> {
  const folder = readModelFolder(dir, { dtype: options.dtype });
  if (!folder.ok) return folder;
  let codec: TextCodec;
  try {
    codec = createTextCodec(folder.value);
  } catch (error) {
    return { ok: false, error: `${dir}: tokenizer.json or its chat template could not be loaded: ${(error as Error).message}` };
  }
  const decoder = await DecoderSession.open(folder.value, options.ep ?? 'auto', options.threads);
  if (!decoder.ok) return decoder;
  return {
    ok: true,
    value: {
      folder: folder.value,
      codec,
      decoder: decoder.value,
      sampler: new Sampler(decoder.value, codec),
      scorer: new Scorer(decoder.value),
      release: () => decoder.value.release(),
    },
  };
}
