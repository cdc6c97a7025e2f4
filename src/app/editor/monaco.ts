/**
 * Monaco, loaded lazily (this module is the dynamic-import boundary): the editor API, the
 * features in monaco-features.ts, the TypeScript language service, and webgrad's declarations
 * so `import { … } from "webgrad"` completes, type-checks and shows TSDoc on hover.
 * Workers are bundled by Vite (`?worker`); nothing comes from a CDN.
 * @module
 */
import * as monaco from "monaco-editor/editor/editor.api";
import "./monaco-features";
import * as ts from "monaco-editor/languages/features/typescript/register";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import TypeScriptWorker from "monaco-editor/language/typescript/ts.worker?worker";
import { conf as typescriptConf, language as typescriptTokens } from "monaco-editor/languages/definitions/typescript/typescript";
import { extraLibs } from "virtual:webgrad-dts";
import { libraryModuleClasses, moduleClassNames, notCallableType, unawaitedReads } from "./hints";
import type { CodeDiagnostic, EditorHandle, EditorHintTexts, TranspileResult } from "./types";
import { preloadTypeStripper, stripTypes } from "./strip-types";

globalThis.MonacoEnvironment = {
  getWorker: (_id, label) => (label === "typescript" || label === "javascript" ? new TypeScriptWorker() : new EditorWorker()),
};

/** The user's file. Stack traces and diagnostics call it main.ts too. */
const MAIN_URI = monaco.Uri.parse("file:///main.ts");

ts.typescriptDefaults.setCompilerOptions({
  target: ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.NodeJs,
  // No `lib`: the default for ESNext includes DOM (close to a worker's globals). The worker
  // host takes lib *file* names, not the short names tsconfig accepts.
  strict: true,
  sourceMap: true,
  // Every file is a module, so top-level await type-checks even without imports.
  moduleDetection: 3 /* ts.ModuleDetectionKind.Force */,
  noEmitOnError: false,
  allowNonTsExtensions: true,
  skipLibCheck: true,
});
ts.typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
ts.typescriptDefaults.setEagerModelSync(true);
for (const lib of extraLibs) ts.typescriptDefaults.addExtraLib(lib.content, lib.path);

/**
 * The user's file's language while type checking is off: TypeScript's colours and brackets
 * without its language service, which is bound to the "typescript" id. Monaco starts the
 * TypeScript worker for the first "typescript" model, so a plain model costs no worker at all
 * (Run still strips types with sucrase, and falls back to the worker only for what sucrase rejects).
 */
const PLAIN_TYPESCRIPT = "webgrad-typescript-plain";
let plainRegistered = false;
/** The plain language's id, registered on first use (with type checking on, the editor starts exactly as Monaco's own). */
function languageOf(typeCheck: boolean): string {
  if (typeCheck) return "typescript";
  if (!plainRegistered) {
    plainRegistered = true;
    monaco.languages.register({ id: PLAIN_TYPESCRIPT });
    monaco.languages.setMonarchTokensProvider(PLAIN_TYPESCRIPT, typescriptTokens);
    monaco.languages.setLanguageConfiguration(PLAIN_TYPESCRIPT, typescriptConf);
  }
  return PLAIN_TYPESCRIPT;
}
/**
 * TypeScript's checking on or off for the user's file: its language, and the checker's own
 * switches too, since a check TypeScript's mode had already set up for the file outlives a change of
 * language while its worker is still starting.
 */
function applyTypeCheck(model: monaco.editor.ITextModel, on: boolean): void {
  // Only on a change: a change of options restarts the TypeScript worker.
  if (ts.typescriptDefaults.getDiagnosticsOptions().noSemanticValidation !== !on)
    ts.typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: !on, noSyntaxValidation: !on });
  if (model.getLanguageId() !== languageOf(on)) monaco.editor.setModelLanguage(model, languageOf(on));
  if (!on) monaco.editor.setModelMarkers(model, "typescript", []);
}

const media = matchMedia("(prefers-color-scheme: dark)");
// vs-dark with its tokens under WCAG's 4.5:1 on its background lightened (comments at VS Code's
// Dark+ colour; builtins were 2.9:1): axe flags them in the WGSL the Graph and Kernels panels colourize.
monaco.editor.defineTheme("webgrad-dark", {
  base: "vs-dark",
  inherit: true,
  rules: [
    { token: "comment", foreground: "6a9955" },
    { token: "variable.predefined", foreground: "6f9ae0" },
    { token: "regexp", foreground: "c77daa" },
    { token: "annotation", foreground: "d47575" },
    { token: "delimiter.html", foreground: "909090" },
    { token: "delimiter.xml", foreground: "909090" },
  ],
  colors: {},
});
// vs with its grey annotations (WGSL's @group/@binding, 3.9:1 on white) darkened to 5.3:1.
monaco.editor.defineTheme("webgrad-light", {
  base: "vs",
  inherit: true,
  rules: [{ token: "annotation", foreground: "6b6b6b" }],
  colors: {},
});
const applyTheme = (): void => monaco.editor.setTheme(media.matches ? "webgrad-dark" : "webgrad-light");
media.addEventListener("change", applyTheme);

/** `getTypeScriptWorker()` rejects until the TS mode has loaded: wait and retry. */
async function typescriptWorker(uri: monaco.Uri): Promise<ts.TypeScriptWorker> {
  for (let attempt = 0; ; attempt++) {
    try {
      const get = await ts.getTypeScriptWorker();
      return await get(uri);
    } catch (error) {
      if (attempt > 200) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Options the editor is created with. */
export interface CreateEditorOptions {
  code: string;
  fontSize: number;
  wordWrap: boolean;
  /** TypeScript's checking in the editor (see {@link PLAIN_TYPESCRIPT}). */
  typeCheck: boolean;
  onChange(code: string): void;
  onRun(): void;
  onStop(): void;
  /** The cursor moved to another line (1-based). */
  onCursorLine?(line: number): void;
  /** What screen readers call the editor (in the UI language). */
  ariaLabel: string;
  /** The texts of the editor's hints (hints.ts), in the UI language. */
  hints: EditorHintTexts;
}

/** Who owns the hint markers (TypeScript's own are "typescript"). */
const HINTS_OWNER = "webgrad-hints";
/** TypeScript's "This expression is not callable". */
const TS_NOT_CALLABLE = "2349";
/** The library's module classes (`Module`, `Linear`…), read once from its declarations. */
let libraryModules: Set<string> | undefined;

/** Pause after an edit before the code is transpiled ahead of Run. */
const TRANSPILE_AHEAD_MS = 250;

/** Creates the editor in `host` and returns the handle the app uses. */
export function createEditor(host: HTMLElement, options: CreateEditorOptions): EditorHandle {
  applyTheme();
  preloadTypeStripper();
  const model = monaco.editor.getModel(MAIN_URI) ?? monaco.editor.createModel(options.code, languageOf(options.typeCheck), MAIN_URI);
  if (model.getValue() !== options.code) model.setValue(options.code);
  applyTypeCheck(model, options.typeCheck);
  const editor = monaco.editor.create(host, {
    model,
    automaticLayout: true,
    fontSize: options.fontSize,
    // The app's monospace stack: it ends with the CJK fonts, the bundled one included, for Chinese comments.
    fontFamily: getComputedStyle(host).getPropertyValue("--mono").trim() || undefined,
    wordWrap: options.wordWrap ? "on" : "off",
    minimap: { enabled: false },
    // The course writes ×, −, ′ on purpose (in strings and comments); boxed as "confusable with x"
    // they looked like errors. A stray one in code still fails type-checking with a clear message.
    unicodeHighlight: { ambiguousCharacters: false },
    scrollBeyondLastLine: false,
    // The last line's number at full strength: "dimmed" drew it at 2.6:1 (axe: colour contrast).
    renderFinalNewline: "on",
    tabSize: 2,
    fixedOverflowWidgets: true,
    ariaLabel: options.ariaLabel,
  });
  // Ctrl/Cmd+Enter would insert a line below; here it runs. Ctrl+. (quick fix) stops.
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => options.onRun());
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Period, () => options.onStop());
  // Transpiling ahead: a short pause after an edit starts it, so Run (often right after Stop)
  // finds the JavaScript ready; this matters when the code goes to the TypeScript worker.
  let ahead: { version: number; result: Promise<TranspileResult> } | undefined;
  let aheadTimer: ReturnType<typeof setTimeout> | undefined;
  const transpileCached = (): Promise<TranspileResult> => {
    const version = model.getAlternativeVersionId();
    if (ahead?.version !== version) ahead = { version, result: transpile(model) };
    const current = ahead;
    current.result.catch(() => {
      if (ahead === current) ahead = undefined; // a failed emit is retried by the next Run
    });
    return current.result;
  };
  const sub = model.onDidChangeContent(() => {
    options.onChange(model.getValue());
    clearTimeout(aheadTimer);
    aheadTimer = setTimeout(() => {
      void transpileCached().catch(() => {});
      updateHints();
    }, TRANSPILE_AHEAD_MS);
  });
  // Hints (hints.ts) as markers: recomputed after a pause in typing and when TypeScript's markers
  // change (the "not callable" one builds on TypeScript's). Set only when they differ, since
  // setting them is itself a marker change.
  let lastHints = "";
  const updateHints = (): void => {
    const code = model.getValue();
    const range = (start: number, end: number) => {
      const from = model.getPositionAt(start);
      const to = model.getPositionAt(end);
      return { startLineNumber: from.lineNumber, startColumn: from.column, endLineNumber: to.lineNumber, endColumn: to.column };
    };
    const markers: monaco.editor.IMarkerData[] = unawaitedReads(code).map((read) => ({
      ...range(read.start, read.end),
      severity: monaco.MarkerSeverity.Warning,
      message: options.hints.unawaitedRead(read.text),
      source: "webgrad",
    }));
    libraryModules ??= libraryModuleClasses(extraLibs[0]?.content ?? "");
    const modules = moduleClassNames(code, libraryModules);
    for (const m of monaco.editor.getModelMarkers({ owner: "typescript", resource: model.uri })) {
      const code = typeof m.code === "object" ? m.code.value : m.code;
      const type = code === TS_NOT_CALLABLE ? notCallableType(m.message) : undefined;
      if (!type || !modules.has(type)) continue;
      const { startLineNumber, startColumn, endLineNumber, endColumn } = m;
      const name = model.getValueInRange({ startLineNumber, startColumn, endLineNumber, endColumn });
      markers.push({
        startLineNumber,
        startColumn,
        endLineNumber,
        endColumn,
        severity: monaco.MarkerSeverity.Info,
        message: options.hints.moduleNotCallable(name),
        source: "webgrad",
      });
    }
    const key = JSON.stringify(markers);
    if (key === lastHints) return;
    lastHints = key;
    monaco.editor.setModelMarkers(model, HINTS_OWNER, markers);
  };
  const typeCheck = options.typeCheck;
  let disposed = false;
  const markersSub = monaco.editor.onDidChangeMarkers((uris) => {
    if (!uris.some((u) => u.toString() === model.uri.toString())) return;
    // Type checking off: nothing of TypeScript's is shown, whatever a language feature still reports.
    if (!typeCheck && monaco.editor.getModelMarkers({ owner: "typescript", resource: model.uri }).length > 0) {
      monaco.editor.setModelMarkers(model, "typescript", []);
      return;
    }
    // After the event: markers set from inside a marker-change listener did not always show.
    setTimeout(() => disposed || updateHints(), 0);
  });
  updateHints();
  let lastLine = 0;
  const cursorSub = editor.onDidChangeCursorPosition((e) => {
    if (e.position.lineNumber !== lastLine) options.onCursorLine?.((lastLine = e.position.lineNumber));
  });

  return {
    getCode: () => model.getValue(),
    setCode(code) {
      if (code === model.getValue()) return;
      editor.pushUndoStop();
      editor.executeEdits("webgrad", [{ range: model.getFullModelRange(), text: code }]);
      editor.pushUndoStop();
      editor.setPosition({ lineNumber: 1, column: 1 });
    },
    reveal(line, column = 1) {
      editor.setPosition({ lineNumber: line, column });
      editor.revealLineInCenterIfOutsideViewport(line);
      editor.focus();
    },
    focus: () => editor.focus(),
    cursor() {
      const p = editor.getPosition();
      return { line: p?.lineNumber ?? 1, column: p?.column ?? 1 };
    },
    transpile: transpileCached,
    setFontSize: (px) => editor.updateOptions({ fontSize: px }),
    setWordWrap: (on) => editor.updateOptions({ wordWrap: on ? "on" : "off" }),
    setAriaLabel: (label) => editor.updateOptions({ ariaLabel: label }),
    refreshHints() {
      lastHints = "";
      updateHints();
    },
    dispose() {
      disposed = true;
      clearTimeout(aheadTimer);
      sub.dispose();
      cursorSub.dispose();
      markersSub.dispose();
      editor.dispose();
    },
  };
}

/**
 * Strips types for Run: sucrase first (milliseconds, ./strip-types.ts); what it cannot take goes
 * to the TS worker's emit, whose syntax errors block the run (type errors never do).
 */
async function transpile(model: monaco.editor.ITextModel): Promise<TranspileResult> {
  return (await stripTypes(model.getValue())) ?? transpileWithWorker(model);
}

/** Strips types with the TS worker's emit (type errors do not block; syntax errors do). */
async function transpileWithWorker(model: monaco.editor.ITextModel): Promise<TranspileResult> {
  const worker = await typescriptWorker(model.uri);
  const fileName = model.uri.toString();
  const [syntax, output] = await Promise.all([worker.getSyntacticDiagnostics(fileName), worker.getEmitOutput(fileName)]);
  if (syntax.length > 0) {
    const diagnostics: CodeDiagnostic[] = syntax.map((d) => {
      const pos = model.getPositionAt(d.start ?? 0);
      const text = typeof d.messageText === "string" ? d.messageText : d.messageText.messageText;
      return { line: pos.lineNumber, column: pos.column, message: text };
    });
    return { ok: false, diagnostics };
  }
  const js = output.outputFiles.find((f) => f.name.endsWith(".js"))?.text;
  const map = output.outputFiles.find((f) => f.name.endsWith(".js.map"))?.text;
  if (js === undefined) return { ok: false, diagnostics: [{ line: 1, column: 1, message: "TypeScript produced no JavaScript" }] };
  const mappings = map ? String((JSON.parse(map) as { mappings?: string }).mappings ?? "") : "";
  return { ok: true, js, mappings };
}
