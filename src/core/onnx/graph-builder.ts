import type { MessageWriter } from './proto-wire.ts';
import { boolTensor, doubleTensor, int64Tensor, node, type AttrValue } from './onnx-proto.ts';

/** Appends nodes with unique, prefixed value names (so they never collide with the model's own). */
export class GraphBuilder {
  readonly nodes: MessageWriter[] = [];
  private count = 0;

  constructor(readonly prefix: string) {}

  name(hint: string): string {
    return `${this.prefix}${hint}_${this.count++}`;
  }

  /** One node; its outputs are fresh names unless `outputs` names them. */
  op(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, outputs?: readonly string[]): string[] {
    const outs = outputs ?? [this.name(opType.toLowerCase())];
    this.nodes.push(node(opType, inputs, outs, this.name(`${opType}_node`), attrs));
    return [...outs];
  }

  op1(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    return this.op(opType, inputs, attrs, output ? [output] : undefined)[0];
  }

  int64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const out = this.name('const_i64');
    return this.op1('Constant', [], { value: { tensor: int64Tensor(out, values, dims) } }, out);
  }

  double(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const out = this.name('const_f64');
    return this.op1('Constant', [], { value: { tensor: doubleTensor(out, values, dims) } }, out);
  }

  bool(values: readonly boolean[], dims: readonly number[] = [values.length], output?: string): string {
    const out = output ?? this.name('const_bool');
    return this.op1('Constant', [], { value: { tensor: boolTensor(out, values, dims) } }, out);
  }
}
