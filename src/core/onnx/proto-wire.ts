/**
 * The protobuf wire format, just enough to rewrite ONNX models: fields are read as byte
 * ranges of the input (never copied), and messages are written as lists of byte pieces, so
 * a 1 GB initializer passes from the source buffer to the output file untouched.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

export interface Field {
  no: number;
  wire: number;
  /** The whole field, tag included: copy it to keep the field as it was. */
  raw: Uint8Array;
  /** Varint payload (wire 0). */
  varint: bigint;
  /** Length-delimited payload (wire 2), or the 4/8 fixed bytes. */
  bytes: Uint8Array;
}

function readVarint(buf: Uint8Array, at: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = at; i < buf.length; i++) {
    const b = buf[i];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, i + 1];
    shift += 7n;
    if (shift > 63n) break;
  }
  throw new Error(`protobuf: bad varint at byte ${at}`);
}

const EMPTY: Uint8Array = new Uint8Array(0);

export function readFields(buf: Uint8Array): Field[] {
  const fields: Field[] = [];
  let at = 0;
  while (at < buf.length) {
    const start = at;
    const [tag, afterTag] = readVarint(buf, at);
    const no = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    let varint = 0n;
    let bytes = EMPTY;
    at = afterTag;
    if (wire === WIRE_VARINT) {
      [varint, at] = readVarint(buf, at);
    } else if (wire === WIRE_LEN) {
      const [len, afterLen] = readVarint(buf, at);
      const end = afterLen + Number(len);
      if (end > buf.length) throw new Error(`protobuf: field ${no} at byte ${start} runs past the end`);
      bytes = buf.subarray(afterLen, end);
      at = end;
    } else if (wire === WIRE_FIXED64 || wire === WIRE_FIXED32) {
      const n = wire === WIRE_FIXED64 ? 8 : 4;
      bytes = buf.subarray(at, at + n);
      at += n;
    } else {
      throw new Error(`protobuf: unsupported wire type ${wire} at byte ${start}`);
    }
    fields.push({ no, wire, raw: buf.subarray(start, at), varint, bytes });
  }
  return fields;
}

export function fieldString(field: Field): string {
  return new TextDecoder().decode(field.bytes);
}

/** A varint field's value as a signed 64-bit integer (int64 fields store negatives in 10 bytes). */
export function fieldInt(field: Field): number {
  return Number(BigInt.asIntN(64, field.varint));
}

/**
 * The integers of a repeated int64 field's occurrence: packed (one length-delimited field
 * holding varints, as most writers emit) or one plain varint.
 */
export function fieldInts(field: Field): number[] {
  if (field.wire !== WIRE_LEN) return [fieldInt(field)];
  const out: number[] = [];
  for (let at = 0; at < field.bytes.length;) {
    const [value, next] = readVarint(field.bytes, at);
    out.push(Number(BigInt.asIntN(64, value)));
    at = next;
  }
  return out;
}

function encodeVarint(value: bigint): Uint8Array {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return Uint8Array.from(out);
}

/** A message under construction: byte pieces and their total length. */
export class MessageWriter {
  readonly pieces: Uint8Array[] = [];
  length = 0;

  raw(bytes: Uint8Array): this {
    this.pieces.push(bytes);
    this.length += bytes.length;
    return this;
  }

  private tag(no: number, wire: number): void {
    this.raw(encodeVarint(BigInt((no << 3) | wire)));
  }

  varint(no: number, value: number | bigint): this {
    this.tag(no, WIRE_VARINT);
    return this.raw(encodeVarint(BigInt(value)));
  }

  bytes(no: number, value: Uint8Array): this {
    this.tag(no, WIRE_LEN);
    this.raw(encodeVarint(BigInt(value.length)));
    return this.raw(value);
  }

  string(no: number, value: string): this {
    return this.bytes(no, new TextEncoder().encode(value));
  }

  float32(no: number, value: number): this {
    this.tag(no, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    return this.raw(b);
  }

  message(no: number, child: MessageWriter): this {
    this.tag(no, WIRE_LEN);
    this.raw(encodeVarint(BigInt(child.length)));
    for (const p of child.pieces) this.raw(p);
    return this;
  }

  /** One buffer; only for small messages (tests, headers). */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.pieces) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
