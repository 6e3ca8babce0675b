/**
 * GGUF version 3, written and read back (the reader serves the writer's tests and checks):
 * "GGUF", version, tensor count, key-value count; the key-values; each tensor's name,
 * dimensions in ggml order (ne0 = the contiguous axis, so a PyTorch [out, in] weight is
 * [in, out]), type and offset; then the data, every tensor aligned to general.alignment (32).
 * Little-endian throughout.
 */
import { GGML_TYPE, type GgmlType, Q4_0_BLOCK_BYTES, Q8_0_BLOCK_BYTES, QK } from './ggml-quants.ts';

export const GGUF_ALIGNMENT = 32;
const T = { UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9, UINT64: 10 } as const;

export type GgufValue =
  | { type: 'u32'; value: number } | { type: 'i32'; value: number } | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean } | { type: 'str'; value: string }
  | { type: 'strs'; value: string[] } | { type: 'i32s'; value: number[] };

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] is the contiguous axis. */
  dims: number[];
  type: GgmlType;
  data: Uint8Array;
}

export function tensorBytes(type: GgmlType, dims: readonly number[]): number {
  const n = dims.reduce((a, b) => a * b, 1);
  switch (type) {
    case GGML_TYPE.F32: return n * 4;
    case GGML_TYPE.F16: return n * 2;
    case GGML_TYPE.Q8_0: return (n / QK) * Q8_0_BLOCK_BYTES;
    case GGML_TYPE.Q4_0: return (n / QK) * Q4_0_BLOCK_BYTES;
  }
  throw new Error(`ggml type ${String(type)}: not supported here`);
}

class Out {
  private chunks: Uint8Array[] = [];
  length = 0;
  private scratch = new DataView(new ArrayBuffer(8));
  bytes(b: Uint8Array): void { this.chunks.push(b); this.length += b.length; }
  private fixed(n: number, set: (v: DataView) => void): void {
    set(this.scratch);
    this.bytes(new Uint8Array(this.scratch.buffer.slice(0, n)));
  }
  u32(v: number): void { this.fixed(4, (d) => d.setUint32(0, v, true)); }
  i32(v: number): void { this.fixed(4, (d) => d.setInt32(0, v, true)); }
  f32(v: number): void { this.fixed(4, (d) => d.setFloat32(0, v, true)); }
  u64(v: number): void { this.fixed(8, (d) => d.setBigUint64(0, BigInt(v), true)); }
  str(s: string): void { const b = new TextEncoder().encode(s); this.u64(b.length); this.bytes(b); }
  pad(): void { const r = this.length % GGUF_ALIGNMENT; if (r) this.bytes(new Uint8Array(GGUF_ALIGNMENT - r)); }
  pieces(): Uint8Array[] { return this.chunks; }
}

/** The file as byte pieces (tensor data is not copied). */
export function writeGguf(metadata: ReadonlyMap<string, GgufValue>, tensors: readonly GgufTensor[]): Uint8Array[] {
  const o = new Out();
  o.bytes(new TextEncoder().encode('GGUF'));
  o.u32(3);
  o.u64(tensors.length);
  o.u64(metadata.size);
  for (const [key, v] of metadata) {
    o.str(key);
    switch (v.type) {
      case 'u32': o.u32(T.UINT32); o.u32(v.value); break;
      case 'i32': o.u32(T.INT32); o.i32(v.value); break;
      case 'f32': o.u32(T.FLOAT32); o.f32(v.value); break;
      case 'bool': o.u32(T.BOOL); o.bytes(Uint8Array.of(v.value ? 1 : 0)); break;
      case 'str': o.u32(T.STRING); o.str(v.value); break;
      case 'strs': o.u32(T.ARRAY); o.u32(T.STRING); o.u64(v.value.length); for (const s of v.value) o.str(s); break;
      case 'i32s': o.u32(T.ARRAY); o.u32(T.INT32); o.u64(v.value.length); for (const x of v.value) o.i32(x); break;
    }
  }
  let offset = 0;
  for (const t of tensors) {
    const want = tensorBytes(t.type, t.dims);
    if (t.data.length !== want) throw new Error(`${t.name}: ${t.data.length} bytes of data, ${want} expected for dims ${t.dims.join('×')}`);
    if (t.type !== GGML_TYPE.F32 && t.type !== GGML_TYPE.F16 && t.dims[0] % QK !== 0) {
      throw new Error(`${t.name}: row of ${t.dims[0]} values is not a multiple of ${QK} (quantized blocks)`);
    }
    o.str(t.name);
    o.u32(t.dims.length);
    for (const d of t.dims) o.u64(d);
    o.u32(t.type);
    o.u64(offset);
    offset += Math.ceil(want / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
  }
  o.pad();
  for (const t of tensors) {
    o.bytes(t.data);
    o.pad();
  }
  return o.pieces();
}

export interface ParsedGguf {
  version: number;
  metadata: Map<string, unknown>;
  tensors: { name: string; dims: number[]; type: number; offset: number; data: Uint8Array }[];
}

/** Reads a GGUF file's header, key-values and tensor infos (arrays of scalars or strings). */
export function parseGguf(buf: Uint8Array): ParsedGguf {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let at = 0;
  const need = (n: number): void => { if (at + n > buf.length) throw new Error(`gguf: truncated at byte ${at}`); };
  const u32 = (): number => { need(4); const v = view.getUint32(at, true); at += 4; return v; };
  const u64 = (): number => { need(8); const v = Number(view.getBigUint64(at, true)); at += 8; return v; };
  const str = (): string => { const n = u64(); need(n); const s = new TextDecoder().decode(buf.subarray(at, at + n)); at += n; return s; };
  const scalar = (type: number): unknown => {
    switch (type) {
      case 0: need(1); return view.getUint8(at++);
      case 1: need(1); return view.getInt8(at++);
      case 2: need(2); at += 2; return view.getUint16(at - 2, true);
      case 3: need(2); at += 2; return view.getInt16(at - 2, true);
      case T.UINT32: return u32();
      case T.INT32: need(4); at += 4; return view.getInt32(at - 4, true);
      case T.FLOAT32: need(4); at += 4; return view.getFloat32(at - 4, true);
      case T.BOOL: need(1); return view.getUint8(at++) !== 0;
      case T.STRING: return str();
      case T.UINT64: return u64();
      case 11: need(8); at += 8; return Number(view.getBigInt64(at - 8, true));
      case 12: need(8); at += 8; return view.getFloat64(at - 8, true);
    }
    throw new Error(`gguf: unknown value type ${type} at byte ${at}`);
  };
  if (new TextDecoder().decode(buf.subarray(0, 4)) !== 'GGUF') throw new Error('gguf: bad magic');
  at = 4;
  const version = u32();
  const tensorCount = u64();
  const kvCount = u64();
  const metadata = new Map<string, unknown>();
  for (let i = 0; i < kvCount; i++) {
    const key = str();
    const type = u32();
    if (type === T.ARRAY) {
      const inner = u32();
      const n = u64();
      metadata.set(key, Array.from({ length: n }, () => scalar(inner)));
    } else {
      metadata.set(key, scalar(type));
    }
  }
  const infos: { name: string; dims: number[]; type: number; offset: number }[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = str();
    const nd = u32();
    const dims = Array.from({ length: nd }, () => u64());
    infos.push({ name, dims, type: u32(), offset: u64() });
  }
  const alignment = typeof metadata.get('general.alignment') === 'number' ? metadata.get('general.alignment') as number : GGUF_ALIGNMENT;
  const dataStart = Math.ceil(at / alignment) * alignment;
  const tensors = infos.map((t) => {
    const start = dataStart + t.offset;
    const end = start + tensorBytes(t.type as GgmlType, t.dims);
    if (end > buf.length) throw new Error(`gguf: tensor ${t.name} runs past the end of the file`);
    return { ...t, data: buf.subarray(start, end) };
  });
  return { version, metadata, tensors };
}
