import ort from 'onnxruntime-node';
import { checkDecoderSignature, type DecoderSignature } from './decoder-signature.ts';
import type { ModelFolder } from '../../src/node/model-folder/read-model-folder.ts';
import type { Result } from '../../src/core/result.ts';
import { openSession, type EpChoice, type EpName } from './execution-provider.ts';
import { ensureDerivedModel } from './derived-model-file.ts';
import { prefixInput, sharePrefix } from './prefix/share-prefix.ts';

/**
 * A KV cache: per layer key then value, [batch, kv_heads, positions, head_dim]. With a
 * shared-prefix decoder (prefix/share-prefix.ts) the positions of a cohort's prompt sit
 * once in `prefix` (batch 1) and `tensors` hold only each row's own positions after it.
 */
export interface KvCache {
  batch: number;
  /** Positions covered, the prefix's included. */
  length: number;
  tensors: ort.Tensor[];
  prefix?: { length: number; tensors: ort.Tensor[] };
}

/** Bumped whenever sharePrefix's output changes. */
const SHARED_PREFIX_FORMAT = 'passk-prefix-v1';

export interface ForwardResult {
  /** float32 [batch, positions, vocab]: only the last position unless all were asked for. */
  logits: Float32Array;
  vocab: number;
  present: KvCache;
}

/** One ONNX decoder-with-past, checked against its config, on the EP that actually loaded. */
export class DecoderSession {
  private constructor(
    readonly folder: ModelFolder,
    readonly session: ort.InferenceSession,
    readonly signature: DecoderSignature,
    readonly ep: EpName,
    /** The graph the session runs: the folder's model, or its shared-prefix rewrite. */
    readonly modelPath: string,
    /** Cohorts read their prompt's cache from one shared copy (see KvCache). */
    readonly sharedPrefix: boolean,
    /** Why `auto` did not get CUDA, when it did not. */
    readonly epFallback?: string,
    /** Why the shared-prefix rewrite was asked for and not used, when it was not. */
    readonly prefixFallback?: string,
  ) {}

  /**
   * `sharePrefix` (default true): run the shared-prefix rewrite of the model where its
   * attention has the stock layout; other models run as they are.
   */
  static async open(
    folder: ModelFolder, ep: EpChoice = 'auto', threads?: number, options: { sharePrefix?: boolean } = {},
  ): Promise<Result<DecoderSession>> {
    let modelPath = folder.onnxPath;
    let prefixFallback: string | undefined;
    if (options.sharePrefix ?? true) {
      let rewritten: Result<string>;
      try {
        rewritten = ensureDerivedModel(folder.onnxPath, 'prefix', SHARED_PREFIX_FORMAT, (source) => sharePrefix(source, folder.onnxPath));
      } catch (error) {
        // The rewrite's protobuf reader throws on bytes it cannot parse; onnxruntime, given
        // the file as it is, then either runs it unshared or says the file is broken.
        rewritten = { ok: false, error: `the shared-prefix rewrite could not read ${folder.onnxPath} (${(error as Error).message})` };
      }
      if (rewritten.ok) modelPath = rewritten.value;
      else prefixFallback = rewritten.error;
    }
    const opened = await openSession(modelPath, ep, threads);
    if (!opened.ok) {
      // The user knows their model, not the cache: name it when its rewrite is what failed.
      if (modelPath === folder.onnxPath) return opened;
      return { ok: false, error: opened.error.replace(modelPath, `${folder.onnxPath} (its shared-prefix rewrite ${modelPath})`) };
    }
    const session = opened.value.session;
    const describe = (m: readonly ort.InferenceSession.ValueMetadata[]) =>
      m.map((v) => ({ name: v.name, type: v.isTensor ? v.type : 'non-tensor' }));
    const inputs = describe(session.inputMetadata);
    const shared = inputs.some((i) => i.name === prefixInput(0, 'key'));
    const sig = checkDecoderSignature(
      inputs.filter((i) => !i.name.startsWith('passk_prefix.')), describe(session.outputMetadata), folder.config.numLayers, folder.onnxPath,
    );
    if (!sig.ok) {
      await session.release();
      return sig;
    }
    return {
      ok: true,
      value: new DecoderSession(folder, session, sig.value, opened.value.ep, modelPath, shared, opened.value.fallback, prefixFallback),
    };
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  emptyCache(batch: number): KvCache {
    const { numKvHeads, headDim } = this.folder.config;
    const dims = [batch, numKvHeads, 0, headDim];
    const make = (): ort.Tensor => this.signature.kvType === 'float16'
      ? new ort.Tensor('float16', new Uint16Array(0), dims)
      : new ort.Tensor('float32', new Float32Array(0), dims);
    return { batch, length: 0, tensors: Array.from({ length: 2 * this.signature.numLayers }, make) };
  }

  /**
   * The cache `batch` rows start from after a prompt prefilled into `prompt` (batch 1):
   * the prompt shared as the prefix where the decoder allows, tiled to every row otherwise.
   */
  cohortCache(prompt: KvCache, batch: number): KvCache {
    if (prompt.batch !== 1 || prompt.prefix) throw new Error('cohortCache: expects a prefilled batch-1 cache');
    if (!this.sharedPrefix) return tileCache(prompt, batch);
    return { ...this.emptyCache(batch), length: prompt.length, prefix: { length: prompt.length, tensors: prompt.tensors } };
  }

  /**
   * Runs `ids` ([batch, seqLen], row-major) after `past`. Every row sits at the same
   * position: the engine never pads, so a row's arithmetic never depends on its neighbours.
   */
  async forward(ids: readonly number[], batch: number, seqLen: number, past: KvCache, allLogits = false): Promise<ForwardResult> {
    if (ids.length !== batch * seqLen || past.batch !== batch) throw new Error('forward: shape mismatch');
    const total = past.length + seqLen;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, (v) => BigInt(v)), [batch, seqLen]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(batch * total).fill(1n), [batch, total]),
    };
    if (this.signature.hasPositionIds) {
      const pos = new BigInt64Array(batch * seqLen);
      for (let b = 0; b < batch; b++) for (let s = 0; s < seqLen; s++) pos[b * seqLen + s] = BigInt(past.length + s);
      feeds.position_ids = new ort.Tensor('int64', pos, [batch, seqLen]);
    }
    if (this.signature.hasUseCacheBranch) feeds.use_cache_branch = new ort.Tensor('bool', [past.length > 0], [1]);
    if (this.signature.logitsToKeepName) {
      feeds[this.signature.logitsToKeepName] = new ort.Tensor('int64', BigInt64Array.of(allLogits ? 0n : 1n), []);
    }
    for (let l = 0; l < this.signature.numLayers; l++) {
      feeds[`past_key_values.${l}.key`] = past.tensors[2 * l];
      feeds[`past_key_values.${l}.value`] = past.tensors[2 * l + 1];
    }
    if (this.sharedPrefix) Object.assign(feeds, this.prefixFeeds(past));
    const out = await this.session.run(feeds);
    const logitsTensor = out.logits;
    const [, positions, vocab] = logitsTensor.dims as number[];
    const keep = allLogits ? positions : 1;
    const logits = new Float32Array(batch * keep * vocab);
    const src = logitsTensor.data as Float32Array | Uint16Array;
    for (let b = 0; b < batch; b++) {
      const from = (b * positions + positions - keep) * vocab;
      copyAsFloat32(src, from, logits, b * keep * vocab, keep * vocab);
    }
    const tensors: ort.Tensor[] = [];
    for (let l = 0; l < this.signature.numLayers; l++) tensors.push(out[`present.${l}.key`], out[`present.${l}.value`]);
    return { logits, vocab, present: { batch, length: total, tensors, ...(past.prefix ? { prefix: past.prefix } : {}) } };
  }

  /** passk_prefix.* feeds for a shared-prefix decoder: the cache's prefix, or empty. */
  prefixFeeds(cache: KvCache): Record<string, ort.Tensor> {
    const tensors = cache.prefix?.tensors ?? this.emptyCache(1).tensors;
    const feeds: Record<string, ort.Tensor> = {};
    for (let l = 0; l < this.signature.numLayers; l++) {
      feeds[prefixInput(l, 'key')] = tensors[2 * l];
      feeds[prefixInput(l, 'value')] = tensors[2 * l + 1];
    }
    return feeds;
  }
}

/** The cache of a single row repeated `batch` times: the shared prompt prefix of a cohort. */
export function tileCache(cache: KvCache, batch: number): KvCache {
  if (cache.batch !== 1) throw new Error('tileCache: expects a batch-1 cache');
  const tensors = cache.tensors.map((t) => {
    const src = t.data as Float32Array | Uint16Array;
    const out = new (src.constructor as Float32ArrayConstructor | Uint16ArrayConstructor)(src.length * batch);
    for (let b = 0; b < batch; b++) out.set(src, b * src.length);
    return new ort.Tensor(t.type as 'float32', out as Float32Array, [batch, ...t.dims.slice(1)]);
  });
  return { batch, length: cache.length, tensors };
}

/** The cache restricted to `rows` (ascending batch indices). */
export function selectRows(cache: KvCache, rows: readonly number[]): KvCache {
  const tensors = cache.tensors.map((t) => {
    const src = t.data as Float32Array | Uint16Array;
    const per = src.length / cache.batch;
    const out = new (src.constructor as Float32ArrayConstructor | Uint16ArrayConstructor)(per * rows.length);
    rows.forEach((r, i) => out.set(src.subarray(r * per, (r + 1) * per), i * per));
    return new ort.Tensor(t.type as 'float32', out as Float32Array, [rows.length, ...t.dims.slice(1)]);
  });
  return { batch: rows.length, length: cache.length, tensors, ...(cache.prefix ? { prefix: cache.prefix } : {}) };
}

function copyAsFloat32(src: Float32Array | Uint16Array, from: number, dst: Float32Array, to: number, n: number): void {
  if (src instanceof Float32Array) {
    dst.set(src.subarray(from, from + n), to);
    return;
  }
  const table = halfTable();
  for (let i = 0; i < n; i++) dst[to + i] = table[src[from + i]];
}

let halfToFloatTable: Float32Array | null = null;
/** All 65536 binary16 values as float32 (exact): a lookup per logit instead of arithmetic. */
function halfTable(): Float32Array {
  if (!halfToFloatTable) {
    halfToFloatTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfToFloatTable[h] = halfToFloat(h);
  }
  return halfToFloatTable;
}

/** IEEE 754 binary16 bits to a number (exact). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
