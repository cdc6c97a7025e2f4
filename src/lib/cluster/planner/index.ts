/**
 * The planner: the cluster's strategies costed analytically at real scale (a 1T-parameter model on
 * thousands of devices) without allocating tensors — memory by category, step time (compute, exposed
 * communication, bubble), tokens/s, MFU, a one-step timeline for Perfetto, a search over plans, and the
 * chosen plan handed to a real engine (Megatron-LM arguments, a DeepSpeed config).
 * @example
 * const r = dist.plan("gpt3-175b", dist.dgxA100(128), { tp: 8, pp: 8, dp: 16, microbatch: 1, globalBatch: 1536, recompute: "selective", sequenceParallel: true });
 * console.log(r.time.step, r.mfu, r.memory.total / 2 ** 30);
 * @module
 */
export { resolveModel, type ModelConfig, type ResolvedModel } from "./model";
export { MODEL_PRESETS, TPU_LIKE, dgxA100, dgxH100, tpuTorus, modelConfig, type ModelPresetName, type PlannerCluster } from "./presets";
export { checkPlan, type Plan, type ResolvedPlan, type Recompute } from "./plan";
export { DEFAULT_EFFICIENCY, SIMULATOR_ACCOUNTING, type Efficiency } from "./efficiency";
export { layerActivationBytes, layerWork, edgeWork, expertSlots, layerParamsOnDevice, type PieceWork } from "./work";
export { groupShape, collectiveTime, p2pTime, type GroupShape, type PlannerCollective } from "./comm";
export { pipelineClock, pipelinePeakActivations, type PipelineClockResult } from "./pipeline-clock";
export { plan, inFlight, type PlanOptions, type PlanResult, type PlanMemory } from "./cost";
export { searchPlans, type SearchOptions, type SearchResult, type RankedPlan, type RejectedPlan } from "./search";
export { planTimeline, planTrace } from "./timeline";
export { megatronArgs, deepspeedConfig, type MegatronLaunch, type DeepSpeedConfig, type DeepSpeedLaunch } from "./handoff";
