/**
 * ONNX's ModelProto as plain data, and its protobuf encoding (field numbers from onnx.proto).
 */
import { ProtoWriter } from "./proto";

/** ONNX TensorProto.DataType codes. */
export const ONNX_DTYPE = { float32: 1, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11 } as const;

/** An attribute value. */
export type OnnxAttr = { int: number } | { float: number } | { ints: number[] } | { floats: number[] } | { string: string } | { graph: OnnxGraph };

/** One ONNX node. */
export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attrs?: Record<string, OnnxAttr>;
}

/** A tensor with its data (initializers, constants). */
export interface OnnxTensor {
  name: string;
  dims: number[];
  dtype: keyof typeof ONNX_DTYPE;
  /** Raw little-endian bytes. */
  raw: Uint8Array;
}

/** A graph input or output. */
export interface OnnxValueInfo {
  name: string;
  dims: number[];
  dtype: keyof typeof ONNX_DTYPE;
}

/** A graph: the model's, or a control-flow body (which may read names of the enclosing graphs). */
export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers: OnnxTensor[];
  docString?: string;
}

/** A model: one graph and the opset it targets. */
export interface OnnxModel extends OnnxGraph {
  opset: number;
}

const ATTR_TYPE = { float: 1, int: 2, string: 3, graph: 5, floats: 6, ints: 7 } as const;

function attribute(name: string, a: OnnxAttr): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if ("int" in a) w.int(3, a.int).int(20, ATTR_TYPE.int);
  else if ("float" in a) w.float(2, a.float).int(20, ATTR_TYPE.float);
  else if ("string" in a) w.string(4, a.string).int(20, ATTR_TYPE.string);
  else if ("graph" in a) w.message(6, graph(a.graph)).int(20, ATTR_TYPE.graph);
  else if ("ints" in a) {
    for (const v of a.ints) w.int(8, v);
    w.int(20, ATTR_TYPE.ints);
  } else {
    for (const v of a.floats) w.float(7, v);
    w.int(20, ATTR_TYPE.floats);
  }
  return w;
}

function node(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.op);
  for (const [k, v] of Object.entries(n.attrs ?? {})) w.message(5, attribute(k, v));
  return w;
}

function tensor(t: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter();
  for (const d of t.dims) w.int(1, d);
  w.int(2, ONNX_DTYPE[t.dtype]);
  w.string(8, t.name);
  w.bytes(9, t.raw);
  return w;
}

function valueInfo(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.dims) shape.message(1, new ProtoWriter().int(1, d));
  const tensorType = new ProtoWriter().int(1, ONNX_DTYPE[v.dtype]).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}

function graph(m: OnnxGraph): ProtoWriter {
  const g = new ProtoWriter();
  for (const n of m.nodes) g.message(1, node(n));
  g.string(2, m.name);
  for (const t of m.initializers) g.message(5, tensor(t));
  if (m.docString) g.string(10, m.docString);
  for (const i of m.inputs) g.message(11, valueInfo(i));
  for (const o of m.outputs) g.message(12, valueInfo(o));
  return g;
}

/** The protobuf bytes of a model (a `.onnx` file). */
export function encodeModel(m: OnnxModel): Uint8Array {
  const g = graph(m);
  return new ProtoWriter()
    .int(1, 8) // ir_version 8 (ONNX 1.13+)
    .string(2, "webgrad")
    .string(3, "0.1.0")
    .message(7, g)
    .message(8, new ProtoWriter().string(1, "").int(2, m.opset))
    .finish();
}
