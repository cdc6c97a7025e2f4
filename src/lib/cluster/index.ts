/**
 * `dist`: a simulated multi-device cluster. Collectives move real tensors between simulated
 * devices (exact results); their time comes from a cost model (α–β links with contention, roofline
 * compute), never from the wall clock. Strategies (data, ZeRO, tensor, pipeline, hybrid, expert
 * parallelism) train real small models on it.
 * @example
 * const c = dist.cluster({ nodes: 2, devicesPerNode: 4, device: "A100", intra: "NVLink", inter: "InfiniBand" });
 * const xs = c.devices.map((d) => randn([1024], { device: d }));   // DeviceTensors, memory accounted per device
 * const r = dist.allReduce(xs, { algorithm: "ring" });
 * console.log(r.time, r.busbw, r.timeline.get(0));
 * @module
 */
export { cluster, Cluster, clusterOf, type ClusterOptions } from "./cluster";
export { SimDevice, MEMORY_CATEGORIES, emptyMemory, type MemoryCategory, type MemoryByCategory } from "./device";
export { DistError, OutOfMemoryError } from "./errors";
export {
  PRECISION_BYTES,
  bytesPerParameter,
  modelState,
  optimizerSlots,
  activationBytes,
  type Precision,
  type MemoryModel,
  type StateBytes,
  type StateSharding,
} from "./accounting";
export {
  DEVICE_PRESETS,
  LINK_PRESETS,
  SIM_ITEM_SIZE,
  type DeviceSpec,
  type LinkSpec,
  type SimDType,
  type DevicePresetName,
  type LinkPresetName,
} from "./presets";
export { Topology, squareFactors, type Link, type Route, type TopologyKind, type WiringOptions } from "./topology";
export { commPath, type CommPath, type PathHop } from "./comm-path";
export { DeviceTensor, place, randn, zeros, onDevice, run } from "./placement";
export type { OnSimDevice } from "../ops/creation";
export { roofline, opTime, graphWork, reduceSecondsPerByte, CLOSED_FORMS, MULTI_PORT_CLOSED_FORMS, type Work, type AlphaBeta } from "./cost";
export { Schedule } from "./schedule";
export { simulate as simulateSchedule, type PortModel, type SimOptions, type SimResult } from "./sim";
export {
  CommTimeline,
  RunTimeline,
  toChromeTrace,
  type TransferRecord,
  type TransferColumns,
  type Activity,
  type ActivityKind,
  type ChromeTrace,
  type TraceEvent,
} from "./timeline";
export * from "./collectives";
export * from "./strategies";
export * from "./planner";
