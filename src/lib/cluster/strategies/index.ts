/** Parallel training strategies on the simulated cluster. */
export { DataParallel, type DDPOptions, type DDPStepResult } from "./ddp";
export { ParameterServer, type ParameterServerTrainingOptions, type ParameterServerStep } from "./parameter-server";
export { ZeRO, zeroMemory, zeroSharding, type ZeroOptions, type ZeroStage, type ZeroStepResult } from "./zero";
export {
  Pipeline,
  simulatePipeline,
  PIPELINE_SCHEDULES,
  peakActivationBytes,
  type PipelineOptions,
  type PipelineScheduleName,
  type PipelineOp,
  type PipelineClock,
  type PipelineRun,
} from "./pipeline";
export {
  TensorParallel,
  ColumnParallelLinear,
  RowParallelLinear,
  ParallelMLP,
  ParallelAttention,
  replicatedLayerNorm,
  shardOf,
  type ParallelInner,
  type TensorParallelBlock,
  type TensorParallelStep,
} from "./tensor-parallel";
export { ExpertParallelMoE, routeTop1, routeTopK, expertCapacity, moeReference, type Routing, type MoEStep } from "./moe";
export { loadBalancingLoss, type LoadBalancing } from "./load-balance";
export { DeviceMesh, deviceMesh } from "./mesh";
export { Hybrid3D, type Hybrid3DOptions, type Hybrid3DStep } from "./hybrid";
export { ShardedTensor, shard, redistribute, shardedMatmul, type ShardingSpec, type RedistributionStep } from "./sharding";
export {
  searchShardings,
  enumerateShardings,
  costShardings,
  redistributionCost,
  shardingFits,
  shardingSpecs,
  layoutSpec,
  OP_SHARDINGS,
  type OpSharding,
  type ActivationLayout,
  type MatmulOp,
  type ShardingCostModel,
  type Redistribution,
  type ShardingStep,
  type ShardingPlan,
  type ShardingEnds,
  type ShardingSearch,
} from "./auto-sharding";
