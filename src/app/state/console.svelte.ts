/**
 * The Console panel's lines. Kept bounded: a runaway `console.log` loop must not exhaust memory
 * or make the page slow, so only the newest {@link MAX_ENTRIES} lines are kept.
 * @module
 */
import type { LogLevel, StackFrameInfo } from "../../runner/protocol";

export const MAX_ENTRIES = 5000;

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

export class ConsoleStore {
  /** Newest last. Replaced (not mutated) on change so Svelte sees it. */
  entries = $state.raw<ConsoleEntry[]>([]);
  /** Lines dropped from the top because of the cap. */
  dropped = $state(0);
  private nextId = 1;

  add(items: Omit<ConsoleEntry, "id">[]): void {
    if (items.length === 0) return;
    const next = this.entries.concat(items.map((e) => ({ ...e, id: this.nextId++ })));
    const excess = next.length - MAX_ENTRIES;
    if (excess > 0) {
      this.dropped += excess;
      this.entries = next.slice(excess);
    } else {
      this.entries = next;
    }
  }

  clear(): void {
    this.entries = [];
    this.dropped = 0;
  }
}
