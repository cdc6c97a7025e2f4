/**
 * What the app saves and shares: the code, the run mode and the editor settings, and the one
 * validator both the autosave and share links go through (their contents are untrusted).
 * @module
 */
import type { RunMode } from "../../runner/protocol";
import { t } from "../i18n/i18n.svelte";

/** Editor settings that travel with the code. */
export interface Settings {
  /** Editor font size in px (10–32). */
  fontSize: number;
  /** Soft-wrap long lines. */
  wordWrap: boolean;
  /** Graph-mode passes switched off in the Graph panel (by name: "fusion", "cse" …); applied on Run. */
  disabledPasses: string[];
  /** Where tensors live: "auto" (WebGPU when the browser has it, else the CPU) or "cpu". Applied on Run. */
  backend: BackendChoice;
  /** Quick runs: every `steps(n)` loop is capped at a few steps. Applied on Run. */
  quickRuns: boolean;
}

/** The Settings menu's backend choice. */
export type BackendChoice = "auto" | "cpu";

/** Everything that autosaves and goes into a share link. */
export interface Snapshot {
  code: string;
  mode: RunMode;
  settings: Settings;
}

export const DEFAULT_SETTINGS: Settings = { fontSize: 14, wordWrap: false, disabledPasses: [], backend: "auto", quickRuns: false };

/** Largest program accepted from storage or a link (characters). */
export const MAX_CODE_CHARS = 200_000;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Checks an untrusted value (from JSON) and returns a clean snapshot, or why it is not one. */
export function parseSnapshot(value: unknown): Parsed<Snapshot> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, error: t("share.notObject") };
  const v = value as Record<string, unknown>;
  if (typeof v.code !== "string") return { ok: false, error: t("share.noCodeField") };
  if (v.code.length > MAX_CODE_CHARS) return { ok: false, error: t("share.codeTooLong", { limit: MAX_CODE_CHARS }) };
  const mode: RunMode = v.mode === "graph" ? "graph" : "eager";
  if (v.mode !== undefined && v.mode !== "graph" && v.mode !== "eager")
    return { ok: false, error: t("share.unknownMode", { mode: JSON.stringify(String(v.mode)).slice(0, 40) }) };
  const s = typeof v.settings === "object" && v.settings !== null ? (v.settings as Record<string, unknown>) : {};
  const fontSize =
    typeof s.fontSize === "number" && Number.isFinite(s.fontSize) ? Math.min(32, Math.max(10, Math.round(s.fontSize))) : DEFAULT_SETTINGS.fontSize;
  const wordWrap = typeof s.wordWrap === "boolean" ? s.wordWrap : DEFAULT_SETTINGS.wordWrap;
  // Pass names are short identifiers; anything else in an untrusted link is dropped.
  const disabledPasses = Array.isArray(s.disabledPasses)
    ? s.disabledPasses.filter((p): p is string => typeof p === "string" && /^[\w-]{1,32}$/.test(p)).slice(0, 32)
    : [];
  const backend: BackendChoice = s.backend === "cpu" ? "cpu" : "auto";
  const quickRuns = s.quickRuns === true;
  return { ok: true, value: { code: v.code, mode, settings: { fontSize, wordWrap, disabledPasses, backend, quickRuns } } };
}
