/**
 * Ordered, batched delivery of a run's output from the worker to the page.
 * Items may be promises (a tensor printing itself after GPU readback): later items wait behind
 * them, so the console keeps the program's order. Ready items are sent in batches at most every
 * {@link FLUSH_MS} ms; the check also runs on every push, so output streams live even from a
 * synchronous loop that never yields to the event loop.
 * @module
 */
import type { OutputItem } from "./protocol";

/** Longest time an item waits in a batch (when the program yields or pushes again). */
export const FLUSH_MS = 30;
/**
 * Console lines kept per batch. A program logging in a tight loop makes far more lines than
 * anyone can read (and the console keeps only the newest few thousand); the rest are counted,
 * not sent, so the page stays responsive. Events (plot points…) are never dropped.
 */
export const MAX_LOGS_PER_BATCH = 250;

export class Outbox {
  private waiting: Array<OutputItem | Promise<OutputItem>> = [];
  private batch: OutputItem[] = [];
  private logsInBatch = 0;
  private skippedLogs = 0;
  private lastFlush = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private draining: Promise<void> | undefined;

  /** `send` posts one batch (to the page). */
  constructor(private readonly send: (items: OutputItem[]) => void) {}

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
      const item = await Promise.resolve(this.waiting[0]!).catch(
        (error: unknown): OutputItem => ({ kind: "log", level: "error", text: `[output failed: ${String(error)}]` }),
      );
      this.waiting.shift();
      this.add(item);
    }
    this.draining = undefined;
  }

  private add(item: OutputItem): void {
    if (item.kind === "log") {
      if (this.logsInBatch >= MAX_LOGS_PER_BATCH) {
        this.skippedLogs++;
        this.maybeFlush();
        return;
      }
      this.logsInBatch++;
    }
    this.batch.push(item);
    this.maybeFlush();
  }

  private maybeFlush(): void {
    const now = performance.now();
    if (now - this.lastFlush >= FLUSH_MS) {
      this.flush();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), FLUSH_MS - (now - this.lastFlush));
    }
  }

  /** Sends the current batch now. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.skippedLogs > 0) {
      this.batch.push({ kind: "skipped", lines: this.skippedLogs });
      this.skippedLogs = 0;
    }
    if (this.batch.length === 0) return;
    const items = this.batch;
    this.batch = [];
    this.logsInBatch = 0;
    this.lastFlush = performance.now();
    this.send(items);
  }
}
