/**
 * The Console panel's lines. Kept bounded: a runaway `console.log` loop must not exhaust memory
 * or make the page slow, so only {@link MAX_ENTRIES} lines are kept: the oldest plain lines go
 * first, and warnings and errors stay while there are plain lines to drop instead.
 * @module
 */
import type { LogLevel, StackFrameInfo } from "../../runner/protocol";

export const MAX_ENTRIES = 5000;

/** Levels the cap does not drop while plainer lines can go instead. */
const KEEP = new Set<ConsoleEntry["level"]>(["warn", "error"]);

/** One line (or error block) in the console. */
export interface ConsoleEntry {
  id: number;
  level: LogLevel | "system";
  text: string;
  /** Stack frames; those with a `line` are clickable and jump to the code. */
  frames?: StackFrameInfo[];
  /** The user's line this entry points at (errors), 1-based. */
  line?: number;
  column?: number;
}

/**
 * At most `max` of `entries`, in order: the oldest plain lines are dropped first, warnings and
 * errors only when nothing else is left to drop.
 */
export function capEntries<T extends { level: ConsoleEntry["level"] }>(entries: T[], max: number): T[] {
  const excess = entries.length - max;
  if (excess <= 0) return entries;
  let plain = 0;
  for (const e of entries) if (!KEEP.has(e.level)) plain++;
  if (plain < excess) {
    const kept = entries.filter((e) => KEEP.has(e.level));
    return kept.slice(kept.length - max);
  }
  let toDrop = excess;
  return entries.filter((e) => KEEP.has(e.level) || toDrop-- <= 0);
}

export class ConsoleStore {
  /** Newest last. Replaced (not mutated) on change so Svelte sees it. */
  entries = $state.raw<ConsoleEntry[]>([]);
  /** Lines dropped from the top because of the cap. */
  dropped = $state(0);
  private nextId = 1;

  add(items: Omit<ConsoleEntry, "id">[]): void {
    if (items.length === 0) return;
    const next = this.entries.concat(items.map((e) => ({ ...e, id: this.nextId++ })));
    const kept = capEntries(next, MAX_ENTRIES);
    this.dropped += next.length - kept.length;
    this.entries = kept;
  }

  clear(): void {
    this.entries = [];
    this.dropped = 0;
  }
}
