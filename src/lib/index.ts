/**
 * webgrad: a small AI framework to learn from: tensors, autodiff, graphs, WebGPU kernels and a
 * simulated cluster. This file is the public API and nothing else.
 * @packageDocumentation
 */
export { plot, type PlotOptions } from "./plot";
export { onEvent, type WebgradEvent, type EventListener, type PlotEvent, type TapeNodeInfo } from "./events";
