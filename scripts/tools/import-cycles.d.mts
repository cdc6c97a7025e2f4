/** Types for import-cycles.mjs (the run-time import graph of src/lib, its cycles and layer breaks). */
export const LAYERS: string[][];
export interface ImportEdge {
  to: string;
  line: number;
}
export function runtimeImportGraph(root: string): Map<string, ImportEdge[]>;
export function importCycles(graph: Map<string, ImportEdge[]>): string[][];
export function exampleCycle(graph: Map<string, ImportEdge[]>, component: string[], start?: string): string[];
export function layerOf(module: string): number;
export function layerViolations(graph: Map<string, ImportEdge[]>): { from: string; to: string; line: number }[];
