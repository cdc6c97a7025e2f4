/**
 * Layout and notices: which panel is open, where the split is, messages for the user (share link
 * loaded or refused, update available), whether the lesson strip is folded, and the first-run tour.
 * @module
 */

/** A message shown in the notice bar under the toolbar. */
export interface Notice {
  id: number;
  kind: "info" | "error" | "update";
  text: string;
  /** Text to show in a read-only field (a link to copy by hand). */
  detail?: string;
  /** Optional buttons. */
  actions?: { label: string; run: () => void }[];
}

const SPLIT_KEY = "webgrad.split.v1";
const LESSON_KEY = "webgrad.lesson.v1";
/** "off" when the learner turned the editor's type checking off (a preference of this browser, not of the code). */
export const TYPECHECK_KEY = "webgrad.typecheck.v1";
/** Set once the tour was finished or dismissed: it never shows by itself again. */
export const TOUR_KEY = "webgrad.tour.v1";

export class UiState {
  activePanel = $state("console");
  /** Fraction of the width (or height, when stacked) given to the editor. */
  split = $state(0.55);
  notices = $state<Notice[]>([]);
  /** The lesson strip above the editor shows only its title line. */
  lessonCollapsed = $state(false);
  /**
   * The editor runs TypeScript's checker as the learner types (squiggles, hover, completion).
   * Off, Monaco starts no TypeScript worker: seconds of CPU saved per page load on a slow machine.
   * A change applies from the next page load (the editor is created with it).
   */
  typeCheck = $state(true);
  /** The tour's current step, or null when it is not showing. */
  tourStep = $state<number | null>(null);
  private nextId = 1;

  constructor(private readonly storage: Storage | undefined) {
    const saved = Number(this.read(SPLIT_KEY));
    if (saved > 0.1 && saved < 0.9) this.split = saved;
    this.lessonCollapsed = this.read(LESSON_KEY) === "collapsed";
    this.typeCheck = this.read(TYPECHECK_KEY) !== "off";
  }

  private read(key: string): string | null {
    try {
      return this.storage?.getItem(key) ?? null;
    } catch {
      return null; // storage is optional
    }
  }

  private write(key: string, value: string): void {
    try {
      this.storage?.setItem(key, value);
    } catch {
      // storage is optional
    }
  }

  setLessonCollapsed(collapsed: boolean): void {
    this.lessonCollapsed = collapsed;
    this.write(LESSON_KEY, collapsed ? "collapsed" : "open");
  }

  setTypeCheck(on: boolean): void {
    this.typeCheck = on;
    this.write(TYPECHECK_KEY, on ? "on" : "off");
  }

  /** Whether the tour was finished or dismissed before (in this browser). */
  get tourSeen(): boolean {
    return this.read(TOUR_KEY) !== null;
  }

  /**
   * Shows the tour on a first visit. Not while a share link opens: that visitor came to read
   * someone's program, and a tour over it would be in the way; they get it on a later visit.
   * Without storage it would show on every visit, so it does not show at all.
   */
  startTourIfFirstVisit(openingShareLink: boolean): void {
    if (!openingShareLink && this.storage && !this.tourSeen) this.tourStep = 0;
  }

  /** Starts the tour from its first step (Help → Take the tour). */
  startTour(): void {
    this.tourStep = 0;
  }

  /** Moves to step `step`, or ends the tour (as seen) past its last step `count - 1`. */
  goToTourStep(step: number, count: number): void {
    if (step >= count) this.endTour();
    else this.tourStep = Math.max(0, step);
  }

  /** Closes the tour and remembers it, so it never shows by itself again. */
  endTour(): void {
    this.tourStep = null;
    this.write(TOUR_KEY, "seen");
  }

  setSplit(fraction: number): void {
    this.split = Math.min(0.85, Math.max(0.15, fraction));
    this.write(SPLIT_KEY, String(this.split));
  }

  notify(notice: Omit<Notice, "id">): number {
    const id = this.nextId++;
    this.notices = [...this.notices.filter((n) => n.kind !== notice.kind || notice.kind === "error"), { ...notice, id }];
    return id;
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }
}
