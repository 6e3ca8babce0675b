"""fp16 variant of an exported decoder: fp16 weights and fp16 inputs/outputs (KV cache and
logits), compute kept in fp32 by Cast nodes at the boundaries.

torch 1.13 cannot trace fp16 on CPU, and converting the whole graph would also run the
rotary angles (position * inv_freq) in fp16, which loses whole radians by position 512."""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def convert_to_fp16(src: str, dst: str, min_weight_elems: int = 64) -> None:
    m = onnx.load(src)
    g = m.graph
    casts = []
    new_inits = []
    for init in g.initializer:
        if init.data_type == TensorProto.FLOAT and int(np.prod(init.dims)) >= min_weight_elems:
            arr = numpy_helper.to_array(init).astype(np.float16)
            half = numpy_helper.from_array(arr, init.name + "_fp16")
            new_inits.append(half)
            casts.append(helper.make_node("Cast", [half.name], [init.name], to=TensorProto.FLOAT,
                                          name=init.name + "_cast"))
        else:
            new_inits.append(init)
    del g.initializer[:]
    g.initializer.extend(new_inits)

    for inp in g.input:
        if inp.type.tensor_type.elem_type != TensorProto.FLOAT:
            continue
        inp.type.tensor_type.elem_type = TensorProto.FLOAT16
        inner = inp.name + "_fp32"
        for node in g.node:
            for i, name in enumerate(node.input):
                if name == inp.name:
                    node.input[i] = inner
        casts.append(helper.make_node("Cast", [inp.name], [inner], to=TensorProto.FLOAT, name=inner + "_cast"))

    tail = []
    for out in g.output:
        if out.type.tensor_type.elem_type != TensorProto.FLOAT:
            continue
        out.type.tensor_type.elem_type = TensorProto.FLOAT16
        inner = out.name + "_fp32"
        for node in g.node:
            for i, name in enumerate(node.output):
                if name == out.name:
                    node.output[i] = inner
            for i, name in enumerate(node.input):
                if name == out.name:
                    node.input[i] = inner
        tail.append(helper.make_node("Cast", [inner], [out.name], to=TensorProto.FLOAT16, name=out.name + "_cast"))

    nodes = casts + list(g.node) + tail
    del g.node[:]
    g.node.extend(nodes)
    del g.value_info[:]
    onnx.checker.check_model(m)
    onnx.save(m, dst)
