/** Control flow as graph ops with regions: cond, whileLoop, scan, fori. */
export { cond, condOp } from "./cond";
export { whileLoop, whileOp, WHILE_VJP_REFUSAL, type WhileOptions } from "./while";
export { scan, scanOp, type ScanOptions } from "./scan";
export { fori } from "./fori";
export { getControlOp, isControlFlow, type ControlOp } from "./registry";
