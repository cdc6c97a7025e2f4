/**
 * The learner's exercise progress, kept in localStorage: which exercises are solved, each implement
 * exercise's latest code (so "Open in editor" brings back the previous attempt), how many hints were
 * shown, and the last check's report (this visit only). Keys are `exampleId/exerciseId`.
 * @module
 */
import type { CheckReport } from "../../runner/exercise-check";

const PROGRESS_KEY = "webgrad.exercises.v1";
const CODE_PREFIX = "webgrad.exercise-code.v1:";

/** The state of an exercise's last check in this visit. */
export type CheckState = { status: "running" } | { status: "done"; report: CheckReport } | { status: "no-report" };

interface Saved {
  solved: string[];
  hints: Record<string, number>;
}

export class ExerciseProgress {
  /** Solved exercises' keys. */
  solved = $state.raw<ReadonlySet<string>>(new Set());
  /** Hints shown, per exercise. */
  hints = $state.raw<Readonly<Record<string, number>>>({});
  /** The last check per exercise (not saved). */
  checks = $state.raw<Readonly<Record<string, CheckState>>>({});

  constructor(private readonly storage: Storage | undefined) {
    const saved = this.read();
    this.solved = new Set(saved.solved);
    this.hints = saved.hints;
  }

  /** Marks an exercise solved (kept across visits). */
  markSolved(key: string): void {
    if (this.solved.has(key)) return;
    this.solved = new Set([...this.solved, key]);
    this.save();
  }

  /** Shows one more hint of an exercise. */
  showHint(key: string): void {
    this.hints = { ...this.hints, [key]: (this.hints[key] ?? 0) + 1 };
    this.save();
  }

  /** Records where an exercise's check is. */
  setCheck(key: string, state: CheckState): void {
    this.checks = { ...this.checks, [key]: state };
  }

  /** The learner's latest code for an exercise, if any. */
  code(key: string): string | undefined {
    try {
      return this.storage?.getItem(CODE_PREFIX + key) ?? undefined;
    } catch {
      return undefined;
    }
  }

  /** Keeps the learner's code for an exercise. */
  saveCode(key: string, code: string): void {
    try {
      this.storage?.setItem(CODE_PREFIX + key, code);
    } catch {
      // Not saved (private mode, quota): the editor's own autosave still holds it.
    }
  }

  private read(): Saved {
    try {
      const raw = JSON.parse(this.storage?.getItem(PROGRESS_KEY) ?? "null") as Partial<Saved> | null;
      const solved = Array.isArray(raw?.solved) ? raw.solved.filter((k): k is string => typeof k === "string") : [];
      const hints: Record<string, number> = {};
      if (raw?.hints && typeof raw.hints === "object") {
        for (const [k, n] of Object.entries(raw.hints)) if (Number.isInteger(n) && n > 0) hints[k] = n;
      }
      return { solved, hints };
    } catch {
      return { solved: [], hints: {} };
    }
  }

  private save(): void {
    try {
      this.storage?.setItem(PROGRESS_KEY, JSON.stringify({ solved: [...this.solved], hints: this.hints } satisfies Saved));
    } catch {
      // Progress then lasts this visit only.
    }
  }
}
