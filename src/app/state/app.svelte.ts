/**
 * The app's state and actions in one place: the editor hands code to the runner, the runner's
 * output lands in the console and, routed by event kind (routes.ts), in the panels' stores, and
 * panels render those stores. Components call these methods; they never talk to the runner or
 * Monaco directly.
 * @module
 */
import { RunnerClient } from "../../runner/client";
import { QUICK_STEP_LIMIT, type OutputItem } from "../../runner/protocol";
import { capEntries, MAX_ENTRIES, type ConsoleEntry } from "./console.svelte";
import { EventBatches } from "./event-batches";
import { eventStoreNames, PanelStores } from "./routes";
import { KnobStore, OWN_CODE_SCOPE, type KnobValue } from "./knobs.svelte";
import { UiState } from "./ui.svelte";
import { Workspace } from "./workspace.svelte";
import type { EditorHandle } from "../editor/types";
import { decodeShareHash, encodeShareHash, isShareHash } from "../share/link";
import { codeForLocale, exampleCode, exampleForCode, examples, type Example } from "../examples";
import { locale, pick, setLocale, t } from "../i18n/i18n.svelte";
import type { Locale } from "../i18n/locale";
import { ExerciseProgress } from "./exercises.svelte";
import { checkPassed } from "../../runner/exercise-check";

/** Where a run is. */
export type RunStatus = "idle" | "compiling" | "running" | "done" | "failed" | "stopped";

/** The backend in use, as reported by the runner. */
export interface BackendStatus {
  name: string;
  detail: string;
  source: "library" | "runner" | "pending";
}

/** The app: the panels' stores (see routes.ts) plus the editor, the runner and a run's life. */
export class AppState extends PanelStores {
  readonly workspace: Workspace;
  /** The editor cursor's line (1-based): panels highlight what that line created. */
  cursorLine = $state<number | null>(null);
  readonly ui: UiState;
  readonly runner: RunnerClient;
  /** Exercise progress, saved code and check reports. */
  readonly exercises: ExerciseProgress;
  /** The knobs the program declared (`slider()`, `choice()`) and the learner's values, per example. */
  readonly knobs = new KnobStore();

  editor = $state.raw<EditorHandle | undefined>(undefined);
  status = $state<RunStatus>("idle");
  /** Duration of the last finished run, ms. */
  durationMs = $state<number | null>(null);
  /** `detail` is the runner's own words (English, like the library's messages); the status bar words the pending state itself. */
  backend = $state<BackendStatus>({ name: "…", detail: "", source: "pending" });
  /** Why the chosen mode did not apply, for the status bar. */
  modeNote = $state<string | null>(null);
  /** Run → first output, ms (shown in the status bar title; measured by scripts/tools/measure-app). */
  firstOutputMs = $state<number | null>(null);
  /** Bumped by every Run and Stop: a slow transpile must not start a run that was superseded. */
  private token = 0;
  /** The runner's id for the run whose output we show (-1: none). */
  private runId = -1;
  private runStartedAt = 0;
  /** The exercise the current run checks (its key), if it is a check. */
  private checkKey: string | null = null;

  /** `defaultExampleId`: the example `defaultCode` is (a first visit opens on it, its lesson beside it). */
  constructor(storage: Storage | undefined, defaultCode: string, defaultExampleId: string | null = null) {
    super();
    this.workspace = new Workspace(storage, defaultCode, defaultExampleId);
    this.workspace.onChange = () => this.leaveShareLink();
    this.ui = new UiState(storage);
    this.exercises = new ExerciseProgress(storage);
    this.runner = new RunnerClient({
      output: (runId, items) => runId === this.runId && this.receive(items),
      done: (runId, ok, durationMs) => {
        if (runId !== this.runId) return;
        this.applyPending();
        this.knobs.runFinished(ok);
        this.status = ok ? "done" : "failed";
        this.durationMs = durationMs;
        this.endCheck();
      },
      check: (runId, report) => {
        if (runId !== this.runId || this.checkKey === null) return;
        this.exercises.setCheck(this.checkKey, { status: "done", report });
        if (checkPassed(report)) this.exercises.markSolved(this.checkKey);
        this.checkKey = null;
      },
      backend: (info) => (this.backend = info),
      mode: (runId, applied, note) => {
        if (runId === this.runId) this.modeNote = applied ? null : (note ?? t("status.notApplied"));
      },
      crashed: (runId, crash) => {
        if (runId !== this.runId) return;
        this.status = "failed";
        const text = { load: "notices.runnerNotLoaded", worker: "notices.runnerFailed", fatal: "notices.runnerFatal" } as const;
        this.console.add([{ level: "error", text: t(text[crash.kind], { detail: crash.detail || t("notices.runnerNoDetail") }) }]);
        this.endCheck();
      },
    });
  }

  get running(): boolean {
    return this.status === "compiling" || this.status === "running";
  }

  /** Starts the spare runner worker (so the first Run is fast). */
  start(): void {
    this.runner.warmUp();
  }

  /** The scope of the knobs of the code in the editor: its example, or the learner's own code. */
  get knobScope(): string {
    return exampleForCode(this.workspace.code, this.workspace.exampleId)?.id ?? OWN_CODE_SCOPE;
  }

  /** The learner moved a knob: its value is kept for this example and used from the next run on (the knobs bar then runs). */
  setKnob(name: string, value: KnobValue): void {
    this.knobs.choose(this.knobScope, name, value);
  }

  /** Every knob back to the value the code gives, and the program runs again. */
  resetKnobs(): Promise<void> {
    this.knobs.reset(this.knobScope);
    return this.run();
  }

  /**
   * Transpiles the editor's code and runs it in a fresh worker; with `check`, an exercise's check
   * runs after it in the worker and its report lands in `exercises.checks[check.key]`.
   */
  async run(check?: { key: string; source: string }): Promise<void> {
    const editor = this.editor;
    if (!editor) return;
    this.runner.stop();
    this.endCheck();
    this.knobs.runAbandoned();
    this.runId = -1;
    this.checkKey = check?.key ?? null;
    if (check) this.exercises.setCheck(check.key, { status: "running" });
    const token = ++this.token;
    this.runStartedAt = performance.now();
    this.firstOutputMs = null;
    this.dropPending();
    this.console.clear();
    for (const name of eventStoreNames) this[name].clear();
    this.durationMs = null;
    this.status = "compiling";
    const result = await editor.transpile();
    if (token !== this.token) return; // another Run or a Stop came first
    if (!result.ok) {
      this.status = "failed";
      this.endCheck();
      this.console.add(
        result.diagnostics.map((d) => ({
          level: "error" as const,
          text: `SyntaxError: ${d.message} ${t("notices.atLine", { line: d.line })}`,
          line: d.line,
          column: d.column,
          frames: [{ text: `main.ts:${d.line}:${d.column}`, line: d.line, column: d.column }],
        })),
      );
      return;
    }
    this.status = "running";
    const knobs = this.knobs.runStarted(this.knobScope);
    this.runId = this.runner.run({
      js: result.js,
      mappings: result.mappings,
      mode: this.workspace.mode,
      disabledPasses: [...this.workspace.settings.disabledPasses],
      backend: this.workspace.settings.backend,
      stepLimit: this.workspace.settings.quickRuns ? QUICK_STEP_LIMIT : undefined,
      check: check?.source,
      knobs,
    });
  }

  /** A check that ended without a report (the code did not compile, crashed or was stopped). */
  private endCheck(): void {
    if (this.checkKey !== null) this.exercises.setCheck(this.checkKey, { status: "no-report" });
    this.checkKey = null;
  }

  /** Ends the running program at once (terminates its worker). */
  stop(): void {
    const wasRunning = this.running;
    this.runner.stop();
    this.knobs.runAbandoned();
    this.token++;
    this.runId = -1;
    this.endCheck();
    this.applyPending(); // what the program printed before Stop is still shown
    if (wasRunning) {
      this.status = "stopped";
      this.durationMs = performance.now() - this.runStartedAt;
      this.console.add([{ level: "system", text: t("notices.stopped") }]);
    }
  }

  /** Output received but not yet shown: applied once per animation frame, however fast it comes. */
  private pendingLines: Omit<ConsoleEntry, "id">[] = [];
  /** Library events, per store (routes.ts says which store takes which kind). */
  private pendingEvents = new EventBatches();
  private pendingClear = false;
  private frame = 0;

  private receive(items: OutputItem[]): void {
    if (this.firstOutputMs === null) this.firstOutputMs = performance.now() - this.runStartedAt;
    const lines = this.pendingLines;
    for (const item of items) {
      switch (item.kind) {
        case "log":
          lines.push({ level: item.level, text: item.text, frames: item.frames });
          break;
        case "error": {
          const where = item.line !== undefined ? ` ${t("notices.atLine", { line: item.line })}` : "";
          const error = `${item.name}: ${item.message}`;
          lines.push({
            level: "error",
            text: `${item.uncaught ? t("notices.uncaught", { error }) : error}${where}`,
            frames: item.frames,
            line: item.line,
            column: item.column,
          });
          break;
        }
        case "skipped":
          lines.push({ level: "system", text: t("notices.dropped", { n: item.lines }) });
          break;
        case "clear":
          lines.length = 0;
          this.pendingClear = true;
          break;
        case "event":
          this.pendingEvents.add(this, item.event);
          break;
      }
    }
    // The console keeps only its newest lines anyway: do not hold more while a frame is pending
    // (warnings and errors are kept while plain lines can go instead).
    if (lines.length > 2 * MAX_ENTRIES) this.pendingLines = capEntries(lines, MAX_ENTRIES);
    this.frame ||= requestAnimationFrame(() => this.applyPending());
  }

  /** Moves pending output into the stores (one Svelte update per frame). */
  private applyPending(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.pendingClear) this.console.clear();
    this.pendingClear = false;
    this.console.add(this.pendingLines);
    this.pendingLines = [];
    this.pendingEvents.apply(this);
  }

  private dropPending(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.pendingLines = [];
    this.pendingEvents.drop();
    this.pendingClear = false;
  }

  /** Puts the current code, mode, settings and UI language in the URL hash and copies the link. */
  async share(): Promise<{ url: string; copied: boolean }> {
    const hash = await encodeShareHash({ ...this.workspace.snapshot(), locale: locale() });
    history.replaceState(null, "", hash);
    const url = location.href;
    let copied: boolean;
    try {
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch {
      copied = false;
    }
    return { url, copied };
  }

  /**
   * Takes a share link out of the address bar once the work changes after Share: a reload then
   * shows the learner's latest work (the autosave), not the code as it was when shared.
   */
  private leaveShareLink(): void {
    if (typeof location !== "undefined" && isShareHash(location.hash)) history.replaceState(history.state, "", location.pathname + location.search);
  }

  /**
   * Opens a share link from the URL hash, if there is one: loads its code without running it,
   * stashes the user's own work first, and clears the hash so a reload shows the autosave. The UI
   * takes the sharer's language for this visit, without replacing the visitor's saved choice.
   */
  async openSharedLink(hash: string): Promise<void> {
    if (!isShareHash(hash)) return;
    const parsed = await decodeShareHash(hash);
    history.replaceState(null, "", location.pathname + location.search);
    if (!parsed.ok) {
      this.ui.notify({ kind: "error", text: t("notices.sharedRefused", { error: parsed.error }) });
      return;
    }
    const { locale: shared, ...snapshot } = parsed.value;
    if (shared) setLocale(shared, false);
    const stashed = this.workspace.replace(snapshot, "opened a share link");
    this.ui.notify({
      kind: "info",
      text: stashed ? t("notices.openedSharedKept") : t("notices.openedShared"),
      actions: stashed ? [{ label: t("notices.restore"), run: () => this.restoreStash() }] : undefined,
    });
  }

  /** Loads an example, its comments in the UI language (keeping the current work in the stash). */
  loadExample(example: Example): void {
    const code = exampleCode(example, locale());
    const stashed = this.workspace.replace({ ...this.workspace.snapshot(), code }, `opened example “${example.title}”`, example.id);
    if (example.panel) this.ui.activePanel = example.panel;
    this.ui.notify({
      kind: "info",
      // The lesson itself is in the lesson strip above the editor.
      text: t("notices.loadedExample", { title: pick(example.text.title) }),
      actions: stashed ? [{ label: t("notices.restore"), run: () => this.restoreStash() }] : undefined,
    });
  }

  /**
   * After the UI language changed: an example the learner loaded and has not edited gets its
   * comments in the new language (the code is the same). Edited code is never rewritten.
   */
  followLocale(next: Locale = locale()): void {
    const example = examples.find((e) => e.id === this.workspace.exampleId);
    const code = example && codeForLocale(example, this.workspace.code, next);
    if (code === undefined) return;
    this.workspace.code = code;
    this.workspace.changed();
  }

  /** Shows a 1-based line of the code in the editor (the lesson's formula links). */
  revealLine(line: number): void {
    this.editor?.reveal(line);
  }

  restoreStash(): void {
    if (this.workspace.restoreLatest()) this.ui.notify({ kind: "info", text: t("notices.restored") });
  }
}
