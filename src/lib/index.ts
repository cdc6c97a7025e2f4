/**
 * webgrad: a small AI framework to learn from: tensors, autodiff, graphs, WebGPU kernels and a
 * simulated cluster. This file is the public API and nothing else.
 * @packageDocumentation
 */
export { Tensor, tidy, keep, type TensorLike, type NestedArray } from "./tensor/tensor";
export type { DType, TypedArray } from "./tensor/dtype";
export type { Shape } from "./tensor/shape";
export {
  tensor,
  zeros,
  ones,
  full,
  zerosLike,
  onesLike,
  fullLike,
  arange,
  linspace,
  eye,
  rand,
  randn,
  randint,
  manualSeed,
  type CreateOptions,
  type RandomOptions,
} from "./ops/creation";
export {
  add,
  sub,
  mul,
  div,
  pow,
  atan2,
  maximum,
  minimum,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  logicalAnd,
  logicalOr,
  logicalXor,
  logicalNot,
  where,
  neg,
  abs,
  exp,
  log,
  log1p,
  sqrt,
  rsqrt,
  sin,
  cos,
  tanh,
  sigmoid,
  relu,
  gelu,
  silu,
  square,
  reciprocal,
  sign,
  floor,
  ceil,
  round,
  erf,
  clamp,
  cast,
  sum,
  mean,
  max,
  min,
  prod,
  argmax,
  argmin,
  variance as var,
  std,
  logsumexp,
  cumsum,
  matmul,
  reshape,
  permute,
  transpose,
  broadcastTo,
  slice,
  narrow,
  squeeze,
  unsqueeze,
  flatten,
  contiguous,
  clone,
  concat,
  stack,
  split,
  chunk,
  pad,
  gather,
  scatterAdd,
  indexSelect,
  softmax,
  logSoftmax,
  detach,
  type SliceSpec,
} from "./ops/functional";
export { flip, triu, tril, oneHot } from "./ops/functional";
export {
  conv2d,
  maxPool2d,
  avgPool2d,
  unfold,
  fold,
  type Size2,
  type WindowOptions,
  type Conv2dOptions,
  type MaxPool2dOptions,
  type AvgPool2dOptions,
} from "./ops/conv";
export { noGrad, enableGrad, isGradEnabled } from "./ops/gradmode";
export { grad, valueAndGrad, vjp, jvp, jacrev, jacfwd, hessian, type GradOptions } from "./autodiff/transforms";
export { checkpoint } from "./autodiff/checkpoint";
export { evaluationTrace, traceTable, type EvaluationTrace, type EvaluationTraceOptions, type TraceMode, type TraceRow } from "./autodiff/evaluation-trace";
export { sourceGrad, sourceJvp, type SourceDerivative, type GradFn, type JvpFn } from "./autodiff/source-transform";
export { jit, setMode, getMode, type ExecutionMode, type JitFunction, type JitOptions, type Lowered } from "./graph/jit";
export type { IRGraph, IRNode, IRValue } from "./graph/ir";
export { cond, whileLoop, scan, fori, type WhileOptions, type ScanOptions } from "./graph/control";
export {
  lowerToDataflow,
  runDataflow,
  bindInputs,
  dataflowText,
  dataflowToJSON,
  showDataflow,
  type DataflowGraph,
  type DataflowNode,
  type DataflowKind,
  type DataflowPort,
} from "./graph/control/dataflow";
export { convert, type ConvertOptions, type ConvertedFunction } from "./graph/autograph";
export { exportOnnx, exportOnnxAsync, downloadOnnx, onnxModelOf, ONNX_OPSET, type OnnxExportOptions } from "./graph/onnx";
export { setPassEnabled, passes, type PassSnapshot, type GraphStats } from "./graph/passes/pipeline";
export { topologicalOrder, memoryAwareOrder, liveBytes, peakLiveBytes, streamLanes, scheduleOf } from "./graph/schedule";
export type { GraphScheduleInfo, ScheduleOrderInfo } from "../schema/events";
export { flushGradNorms, type BackwardOptions } from "./autodiff/backward";
export { setTapeEventLimit, type TapeEntry, type GradHook } from "./autodiff/tape";
export { showTape, type EngineNode, type EngineTape, type ShowTapeOptions } from "./autodiff/engine-tape";
export { treeFlatten, treeMap, type PyTree } from "./autodiff/pytree";
export { allOps, type OpDef } from "./ops/registry";
export { setDefaultBackend, getDefaultBackend } from "./backend/registry";
export { backendInfo, memoryStats, type BackendInfo } from "./backend/info";
export { initWebGPU, type WebGpuInitResult, type WebGpuInitOptions } from "./backend/webgpu/init";
export type { KernelGeometry } from "./backend/webgpu/webgpu";
export type { KernelEvent } from "./events";
export { setCpuMemoryTracking } from "./backend/cpu/storage";
export type { MemoryStats } from "./backend/backend";
export { WebgradError, ShapeError, DTypeError, AutogradError, IndexError, OutOfMemoryError } from "./errors";
export { setMaxTensorBytes } from "./tensor/validate";
export { setUserLineLocator } from "./debug/source";
export { plot, type PlotOptions } from "./plot";
export { image, type ImageOptions } from "./draw/image";
export { scatter, decisionGrid, type ScatterOptions, type DecisionGrid } from "./draw/scatter";
export type { Numbers } from "./draw/values";
export { steps, setStepLimit, getStepLimit } from "./steps";
export { slider, choice, setKnobValues, type SliderOptions, type ChoiceOptions, type KnobValue } from "./knobs";
/** Modules, layers, losses, `nn.functional` and `nn.init` (PyTorch-like). */
export * as nn from "./nn";
/** Optimizers (SGD, Adam, AdamW) and learning-rate schedules. */
export * as optim from "./optim";
/** Datasets: seeded toy sets (xor, circles, moons, spirals, sine), a bundled MNIST subset, a short text, and mini-batches. */
export * as data from "./data";
/** The simulated cluster: devices, topologies, collectives on real data with a cost-model clock, parallel strategies. */
export * as dist from "./cluster";
export {
  onEvent,
  type WebgradEvent,
  type EventListener,
  type PlotEvent,
  type ImageEvent,
  type ScatterEvent,
  type KnobEvent,
  type ColorMap,
  type TapeNodeInfo,
  type EvalTraceEvent,
  type EvalTraceRow,
  type GraphStageInfo,
} from "./events";
