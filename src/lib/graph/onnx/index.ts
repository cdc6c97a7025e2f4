/** ONNX export of traced graphs. */
export { exportOnnx, exportOnnxAsync, onnxModelOf, downloadOnnx, graphToOnnx, expandFused, ONNX_OPSET, type OnnxExportOptions } from "./export";
export { encodeModel, type OnnxModel, type OnnxNode } from "./model";
export { ONNX_OPS } from "./ops";
