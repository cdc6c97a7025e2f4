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
} from "./api";
export { COLLECTIVES, algorithmsOf, type AlgorithmName } from "./registry";
export type { CollectiveName } from "./context";
