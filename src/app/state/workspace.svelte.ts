/**
 * The user's work: code, run mode and settings. Autosaved to localStorage shortly after every
 * change and when the page is hidden, so it survives a reload or a crash. Code that arrives from
 * outside (a share link, an example) first puts the current work in a small stash, so nothing the
 * user wrote is overwritten silently.
 * @module
 */
import { DEFAULT_SETTINGS, parseSnapshot, type Settings, type Snapshot } from "../share/snapshot";
import type { RunMode } from "../../runner/protocol";
import { t } from "../i18n/i18n.svelte";

const WORKSPACE_KEY = "webgrad.workspace.v1";
const STASH_KEY = "webgrad.stash.v1";
/** The example the code was loaded from (its lesson stays beside the code while the learner edits it). */
const EXAMPLE_KEY = "webgrad.example.v1";
const STASH_SIZE = 5;
const SAVE_DELAY_MS = 250;

/** A piece of earlier work kept when something replaced it. */
export interface StashEntry extends Snapshot {
  savedAt: number;
  /** Why it was stashed, e.g. "opened a share link". */
  reason: string;
}

export class Workspace {
  code = $state("");
  mode = $state<RunMode>("eager");
  settings = $state<Settings>({ ...DEFAULT_SETTINGS });
  /**
   * The id of the example this code was loaded from, while the learner works on it; null for code
   * from elsewhere (a share link, restored work, their own). Not part of a share link.
   */
  exampleId = $state<string | null>(null);
  /** When the last autosave happened (ms since epoch), for the status bar. */
  savedAt = $state<number | null>(null);
  /** Why autosave does not work here, if it does not (private mode, quota). */
  saveError = $state<string | null>(null);
  /**
   * Called whenever the work changes (an edit, a setting, code loaded from outside): AppState uses
   * it to take a share link that no longer matches the work out of the address bar.
   */
  onChange: (() => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly storage: Storage | undefined,
    /** The code a first visit starts with: not the user's own work, so never worth stashing. */
    private readonly defaultCode: string,
    defaultExampleId: string | null = null,
  ) {
    const saved = this.read(WORKSPACE_KEY);
    const parsed = saved === undefined ? undefined : parseSnapshot(saved);
    const snapshot = parsed?.ok ? parsed.value : { code: defaultCode, mode: "eager" as const, settings: { ...DEFAULT_SETTINGS } };
    this.code = snapshot.code;
    this.mode = snapshot.mode;
    this.settings = snapshot.settings;
    const id = this.read(EXAMPLE_KEY);
    this.exampleId = parsed?.ok ? (typeof id === "string" ? id : null) : defaultExampleId;
  }

  /** The current state as a plain snapshot. */
  snapshot(): Snapshot {
    return { code: this.code, mode: this.mode, settings: { ...this.settings } };
  }

  /** Schedules an autosave (call on every change). */
  changed(): void {
    this.onChange?.();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.saveNow(), SAVE_DELAY_MS);
  }

  /** Saves immediately (page hide, before replacing the code). */
  saveNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.storage) return;
    try {
      this.storage.setItem(WORKSPACE_KEY, JSON.stringify(this.snapshot()));
      this.storage.setItem(EXAMPLE_KEY, JSON.stringify(this.exampleId));
      this.savedAt = Date.now();
      this.saveError = null;
    } catch (error) {
      this.saveError = t("status.autosaveFailed", { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /**
   * Replaces the workspace with `incoming`, stashing the current work first unless it is the
   * same code, empty, or the untouched code a first visit starts with (nothing of the user's to
   * keep). `exampleId` names the example it comes from, if it is one the learner loaded.
   * Returns whether anything was stashed.
   */
  replace(incoming: Snapshot, reason: string, exampleId: string | null = null): boolean {
    const stashed = incoming.code !== this.code && this.code.trim() !== "" && this.code !== this.defaultCode;
    if (stashed) this.pushStash({ ...this.snapshot(), savedAt: Date.now(), reason });
    this.code = incoming.code;
    this.exampleId = exampleId;
    this.mode = incoming.mode;
    this.settings = { ...incoming.settings };
    this.onChange?.();
    this.saveNow();
    return stashed;
  }

  /** Earlier work, newest first. */
  stash(): StashEntry[] {
    const raw = this.read(STASH_KEY);
    if (!Array.isArray(raw)) return [];
    const out: StashEntry[] = [];
    for (const entry of raw) {
      const parsed = parseSnapshot(entry);
      if (!parsed.ok) continue;
      const e = entry as Record<string, unknown>;
      out.push({ ...parsed.value, savedAt: Number(e.savedAt) || 0, reason: String(e.reason ?? "") });
    }
    return out;
  }

  /** Brings back the newest stashed work (stashing what is there now in its place). */
  restoreLatest(): boolean {
    const [latest, ...rest] = this.stash();
    if (!latest) return false;
    this.write(STASH_KEY, rest);
    this.replace(latest, "restored earlier work");
    return true;
  }

  private pushStash(entry: StashEntry): void {
    const list = [entry, ...this.stash().filter((e) => e.code !== entry.code)].slice(0, STASH_SIZE);
    this.write(STASH_KEY, list);
  }

  private read(key: string): unknown {
    try {
      const text = this.storage?.getItem(key);
      return text == null ? undefined : JSON.parse(text);
    } catch {
      return undefined;
    }
  }

  private write(key: string, value: unknown): void {
    try {
      this.storage?.setItem(key, JSON.stringify(value));
    } catch (error) {
      this.saveError = t("status.autosaveFailed", { error: error instanceof Error ? error.message : String(error) });
    }
  }
}
