/** Types for bench-table.mjs (the README's benchmark table from bench/results.json). */
export const START: string;
export const END: string;
export interface BenchResults {
  date?: string;
  adapter?: string;
  chromium?: string;
  budgetMs?: number;
  rows: { case: string; lib: string; ms: number; dispatches?: number; error?: string }[];
}
export function renderBenchTable(results: BenchResults): string;
export function replaceBetweenMarkers(text: string, block: string): string;
export function updateReadme(root?: string): string;
