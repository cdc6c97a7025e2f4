/** Parallel training strategies on the simulated cluster. */
export { DataParallel, type DDPOptions, type DDPStepResult } from "./ddp";
export { ZeRO, zeroMemory, type ZeroOptions, type ZeroStage, type ZeroStepResult } from "./zero";
