import { describe, expect, it } from 'vitest';
import { fieldInt, fieldInts, fieldString, MessageWriter, readFields, WIRE_FIXED32, WIRE_LEN, WIRE_VARINT } from './proto-wire.ts';

describe('protobuf wire codec', () => {
  it('round-trips varints (negative int64 as 10 bytes), strings, floats and nested messages', () => {
    const child = new MessageWriter().varint(1, 300).string(2, 'héllo');
    const bytes = new MessageWriter().varint(1, -1).varint(2, 2 ** 40).message(3, child).float32(4, 0.5).toBytes();
    const [a, b, c, d] = readFields(bytes);
    expect([a.no, a.wire, fieldInt(a), a.raw.length]).toEqual([1, WIRE_VARINT, -1, 11]);
    expect(fieldInt(b)).toBe(2 ** 40);
    expect(c.wire).toBe(WIRE_LEN);
    const [c1, c2] = readFields(c.bytes);
    expect([fieldInt(c1), fieldString(c2)]).toEqual([300, 'héllo']);
    expect([d.wire, new DataView(d.bytes.buffer, d.bytes.byteOffset).getFloat32(0, true)]).toEqual([WIRE_FIXED32, 0.5]);
  });

  it('reads repeated ints packed (one length-delimited field) or one varint per field', () => {
    const packed = Uint8Array.of(0x00, 0xac, 0x02, 0x07); // varints 0, 300, 7
    const bytes = new MessageWriter().bytes(8, packed).varint(8, 3).varint(8, -1).toBytes();
    expect(readFields(bytes).flatMap(fieldInts)).toEqual([0, 300, 7, 3, -1]);
  });

  it('reads fields as views of the input: their raw bytes concatenate back to it, nothing copied', () => {
    const big = new Uint8Array(5_000).map((_, i) => i % 251);
    const input = new MessageWriter().string(1, 'name').bytes(9, big).varint(2, 7).toBytes();
    const fields = readFields(input);
    expect(fields[1].bytes.buffer).toBe(input.buffer);
    const rebuilt = new MessageWriter();
    for (const f of fields) rebuilt.raw(f.raw);
    expect(rebuilt.toBytes()).toEqual(input);
  });

  it('names the byte where a truncated message breaks', () => {
    const bytes = new MessageWriter().bytes(1, new Uint8Array(10)).toBytes().subarray(0, 6);
    expect(() => readFields(bytes)).toThrow(/field 1 at byte 0 runs past the end/);
  });
});
