/** Types for bench-table.mjs (the README's benchmark table from bench/results.json). */
export const START: string;
export const END: string;
export interface BenchResults {
  date?: string;
  adapter?: string;
  chromium?: string;
  budgetMs?: number;
  rounds?: number;
  minIters?: number;
  rows: BenchResultRow[];
}
export interface BenchResultRow {
  case: string;
  lib: string;
  ms: number;
  iters?: number;
  /** Each round's median iteration (NaN where that round failed). */
  rounds?: number[];
  dispatches?: number;
  error?: string;
}
export function groupOf(c: string): string;
export function aggregateRounds(perRound: BenchResultRow[][]): BenchResultRow[];
export function renderBenchTable(results: BenchResults): string;
export function replaceBetweenMarkers(text: string, block: string): string;
export function updateReadme(root?: string): string;
