/**
 * Layout and notices: which panel is open, where the split is, and messages for the user
 * (share link loaded or refused, update available).
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

export class UiState {
  activePanel = $state("console");
  /** Fraction of the width (or height, when stacked) given to the editor. */
  split = $state(0.55);
  notices = $state<Notice[]>([]);
  private nextId = 1;

  constructor(private readonly storage: Storage | undefined) {
    const saved = Number(storage?.getItem(SPLIT_KEY));
    if (saved > 0.1 && saved < 0.9) this.split = saved;
  }

  setSplit(fraction: number): void {
    this.split = Math.min(0.85, Math.max(0.15, fraction));
    try {
      this.storage?.setItem(SPLIT_KEY, String(this.split));
    } catch {
      // storage is optional
    }
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
