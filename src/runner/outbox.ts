/**
 * Ordered, batched delivery of a run's output from the worker to the page.
 * Items may be promises (a tensor printing itself after GPU readback): later items wait behind
 * them, so the console keeps the program's order. Ready items are sent in batches at most every
 * {@link FLUSH_MS} ms; the check also runs on every push, so output streams live even from a
 * synchronous loop that never yields to the event loop. Console output is not held back by a
 * batch of events alone (the library's events as a run starts): a program's first line goes at
 * once even when it then spins forever, where a timer would never fire (a second line within
 * the interval still waits for one: batching is what keeps a flood from freezing the page).
 *
 * A flood of console lines is thinned per batch: the first {@link HEAD_LINES} and the last
 * {@link TAIL_LINES} plain lines are sent, with a `skipped` marker counting those between;
 * warnings, errors and events are never dropped.
 * @module
 */
import type { OutputItem } from "./protocol";

// The runner's own timers, taken before user code runs (the runner wraps the globals to count
// the program's timers, and a program may replace them).
const setTimer = globalThis.setTimeout.bind(globalThis);
const clearTimer = globalThis.clearTimeout.bind(globalThis);

/** Longest time an item waits in a batch (when the program yields or pushes again). */
export const FLUSH_MS = 30;
/** Plain console lines (log, info, debug) sent from the start of each batch. */
export const HEAD_LINES = 150;
/**
 * Plain console lines kept from the end of each batch. A program logging in a tight loop makes
 * far more lines than anyone can read (and the console keeps only the newest few thousand); the
 * lines between head and tail are counted, not sent, so the page stays responsive.
 */
export const TAIL_LINES = 100;

/** Lines that may be thinned out of a flood; warnings and errors are always sent. */
const droppable = (item: OutputItem): boolean => item.kind === "log" && (item.level === "log" || item.level === "info" || item.level === "debug");

export class Outbox {
  private waiting: Array<OutputItem | Promise<OutputItem>> = [];
  private batch: OutputItem[] = [];
  /** Plain lines sent from the head of this batch. */
  private headLines = 0;
  /** The newest plain lines past the head (at most TAIL_LINES); older ones are counted in skipped. */
  private tail: OutputItem[] = [];
  private skippedLogs = 0;
  private lastFlush = -Infinity;
  /** When a batch last carried console output (anything but events). */
  private lastLinesFlush = -Infinity;
  /** Whether the batch being filled holds console output (kept, not searched: a batch may hold thousands of events). */
  private batchHasLines = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private draining: Promise<void> | undefined;

  /** `send` posts one batch (to the page); `flushMs` is the batch interval (tests lengthen it). */
  constructor(
    private readonly send: (items: OutputItem[]) => void,
    private readonly flushMs: number = FLUSH_MS,
  ) {}

  /** Queues an item (or a promise of one) behind everything queued before it. */
  push(item: OutputItem | Promise<OutputItem>): void {
    if (this.waiting.length === 0 && !(item instanceof Promise)) {
      this.add(item);
      return;
    }
    this.waiting.push(item);
    this.draining ??= this.drain();
  }

  /** Resolves when every queued item has been sent. */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
    this.flush();
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const item = await Promise.resolve(this.waiting[0]!).catch((error: unknown): OutputItem => ({
        kind: "log",
        level: "error",
        text: `[output failed: ${String(error)}]`,
      }));
      this.waiting.shift();
      this.add(item);
    }
    this.draining = undefined;
  }

  private add(item: OutputItem): void {
    // A line dropped into the tail still counts: the batch then sends its marker and tail lines.
    if (item.kind !== "event") this.batchHasLines = true;
    if (droppable(item)) {
      if (this.headLines < HEAD_LINES) {
        this.headLines++;
        this.batch.push(item);
      } else {
        this.tail.push(item);
        if (this.tail.length > TAIL_LINES) {
          this.tail.shift();
          this.skippedLogs++;
        }
      }
    } else {
      // Console items keep their order: the kept tail comes before a warning or error.
      if (item.kind !== "event") this.closeGap();
      this.batch.push(item);
    }
    this.maybeFlush();
  }

  /** Moves the marker and the kept tail into the batch, in order. */
  private closeGap(): void {
    if (this.skippedLogs > 0) this.batch.push({ kind: "skipped", lines: this.skippedLogs });
    this.skippedLogs = 0;
    for (const t of this.tail) this.batch.push(t);
    this.tail = [];
  }

  private maybeFlush(): void {
    const now = performance.now();
    if (now - this.lastFlush >= this.flushMs || (this.batchHasLines && now - this.lastLinesFlush >= this.flushMs)) {
      this.flush();
    } else if (this.timer === undefined) {
      this.timer = setTimer(() => this.flush(), this.flushMs - (now - this.lastFlush));
    }
  }

  /** Sends the current batch now. */
  flush(): void {
    if (this.timer !== undefined) clearTimer(this.timer);
    this.timer = undefined;
    this.closeGap();
    if (this.batch.length === 0) return;
    const items = this.batch;
    this.batch = [];
    this.headLines = 0;
    this.lastFlush = performance.now();
    if (this.batchHasLines) this.lastLinesFlush = this.lastFlush;
    this.batchHasLines = false;
    this.send(items);
  }
}
