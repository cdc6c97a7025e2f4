/** Collectives: functions, the algorithm registry, schedules. */
export {
  allReduce,
  reduceScatter,
  allGather,
  broadcast,
  reduce,
  gather,
  scatter,
  allToAll,
  send,
  simulateCollective as simulate,
  type CollectiveOptions,
  type CollectiveResult,
  type CollectiveOutput,
  type SimulateOptions,
  type CollectiveStep,
} from "./api";
export {
  parameterServer,
  simulateParameterServer,
  linkTraffic,
  type ParameterServerOptions,
  type ParameterServerResult,
  type SimulateParameterServerOptions,
} from "./parameter-server";
export { ProcessGroup, newGroup, type Backend } from "./group";
export { COLLECTIVES, algorithmsOf, type AlgorithmName } from "./registry";
export { BYTES_PER_TRANSFER, DEFAULT_COLLECTIVE_MEMORY_LIMIT, transferBound, collectiveFootprint } from "./footprint";
export type { CollectiveName } from "./context";
