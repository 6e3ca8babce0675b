import { fieldInt, fieldString, MessageWriter, readFields, type Field } from './proto-wire.ts';

/** Field numbers of onnx.proto (ONNX ≥ 1.6) for the messages the rewriter touches. */
export const MODEL = { irVersion: 1, opsetImport: 8, graph: 7 } as const;
export const OPSET = { domain: 1, version: 2 } as const;
export const GRAPH = { node: 1, name: 2, initializer: 5, docString: 10, input: 11, output: 12, valueInfo: 13 } as const;
export const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 } as const;
export const ATTR = { name: 1, f: 2, i: 3, s: 4, t: 5, g: 6, ints: 8, type: 20 } as const;
export const ATTR_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, INTS: 7 } as const;
export const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9, externalData: 13, dataLocation: 14 } as const;
export const VALUE_INFO = { name: 1, type: 2 } as const;
export const DTYPE = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10, DOUBLE: 11 } as const;

/** A dimension: a fixed size, a symbolic name, or unknown. */
export type Dim = number | string | null;

export interface ValueInfo {
  name: string;
  elemType: number;
  /** null when the shape is not recorded. */
  shape: Dim[] | null;
}

export function parseValueInfo(bytes: Uint8Array): ValueInfo {
  let name = '';
  let elemType = 0;
  let shape: Dim[] | null = null;
  for (const f of readFields(bytes)) {
    if (f.no === VALUE_INFO.name) name = fieldString(f);
    else if (f.no === VALUE_INFO.type) {
      for (const t of readFields(f.bytes)) {
        if (t.no !== 1) continue; // tensor_type
        for (const tt of readFields(t.bytes)) {
          if (tt.no === 1) elemType = fieldInt(tt);
          else if (tt.no === 2) shape = readFields(tt.bytes).filter((d) => d.no === 1).map(parseDim);
        }
      }
    }
  }
  return { name, elemType, shape };
}

function parseDim(field: Field): Dim {
  for (const d of readFields(field.bytes)) {
    if (d.no === 1) return fieldInt(d);
    if (d.no === 2) return fieldString(d);
  }
  return null;
}

export function valueInfo(name: string, elemType: number, shape: Dim[] | null): MessageWriter {
  const tensor = new MessageWriter().varint(1, elemType);
  if (shape) {
    const s = new MessageWriter();
    for (const d of shape) {
      const dim = new MessageWriter();
      if (typeof d === 'number') dim.varint(1, d);
      else if (typeof d === 'string') dim.string(2, d);
      s.message(1, dim);
    }
    tensor.message(2, s);
  }
  const type = new MessageWriter().message(1, tensor);
  return new MessageWriter().string(VALUE_INFO.name, name).message(VALUE_INFO.type, type);
}

export type AttrValue =
  | { int: number }
  | { float: number }
  | { ints: readonly number[] }
  | { tensor: MessageWriter }
  | { graph: MessageWriter };

export function node(
  opType: string, inputs: readonly string[], outputs: readonly string[], name: string,
  attrs: Record<string, AttrValue> = {},
): MessageWriter {
  const n = new MessageWriter();
  for (const i of inputs) n.string(NODE.input, i);
  for (const o of outputs) n.string(NODE.output, o);
  n.string(NODE.name, name).string(NODE.opType, opType);
  for (const [key, value] of Object.entries(attrs)) n.message(NODE.attribute, attribute(key, value));
  return n;
}

function attribute(name: string, value: AttrValue): MessageWriter {
  const a = new MessageWriter().string(ATTR.name, name);
  if ('int' in value) return a.varint(ATTR.i, value.int).varint(ATTR.type, ATTR_TYPE.INT);
  if ('float' in value) return a.float32(ATTR.f, value.float).varint(ATTR.type, ATTR_TYPE.FLOAT);
  if ('ints' in value) {
    for (const v of value.ints) a.varint(ATTR.ints, v);
    return a.varint(ATTR.type, ATTR_TYPE.INTS);
  }
  if ('tensor' in value) return a.message(ATTR.t, value.tensor).varint(ATTR.type, ATTR_TYPE.TENSOR);
  return a.message(ATTR.g, value.graph).varint(ATTR.type, ATTR_TYPE.GRAPH);
}

/** A small tensor with raw little-endian data (constants, not weights). */
export function tensor(name: string, dataType: number, dims: readonly number[], raw: Uint8Array): MessageWriter {
  const t = new MessageWriter();
  for (const d of dims) t.varint(TENSOR.dims, d);
  return t.varint(TENSOR.dataType, dataType).string(TENSOR.name, name).bytes(TENSOR.rawData, raw);
}

export function int64Tensor(name: string, values: readonly number[], dims: readonly number[] = [values.length]): MessageWriter {
  return tensor(name, DTYPE.INT64, dims, new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer));
}

export function doubleTensor(name: string, values: readonly number[], dims: readonly number[] = [values.length]): MessageWriter {
  return tensor(name, DTYPE.DOUBLE, dims, new Uint8Array(Float64Array.from(values).buffer));
}

export function boolTensor(name: string, values: readonly boolean[], dims: readonly number[] = [values.length]): MessageWriter {
  return tensor(name, DTYPE.BOOL, dims, Uint8Array.from(values, (v) => (v ? 1 : 0)));
}

/** External-data locations named by an initializer (TensorProto.external_data "location"). */
export function externalLocations(tensorBytes: Uint8Array): string[] {
  const out: string[] = [];
  for (const f of readFields(tensorBytes)) {
    if (f.no !== TENSOR.externalData) continue;
    let key = '';
    let value = '';
    for (const kv of readFields(f.bytes)) {
      if (kv.no === 1) key = fieldString(kv);
      else if (kv.no === 2) value = fieldString(kv);
    }
    if (key === 'location') out.push(value);
  }
  return out;
}
