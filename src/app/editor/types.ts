/** What the app needs from the editor, so nothing outside src/app/editor touches Monaco. */

/** The texts of the editor's own hints (editor/hints.ts); each gets the learner's code it is about. */
export interface EditorHintTexts {
  /** `expr` (e.g. `loss.item()`) is printed without `await`. */
  unawaitedRead(expr: string): string;
  /** `name` (a module) is called like a function. */
  moduleNotCallable(name: string): string;
}

/** A problem found before running (a syntax error), 1-based position. */
export interface CodeDiagnostic {
  line: number;
  column: number;
  message: string;
}

/** The user's program turned into something the runner can run, or why it cannot be. */
export type TranspileResult = { ok: true; js: string; mappings: string } | { ok: false; diagnostics: CodeDiagnostic[] };

/** A live editor. */
export interface EditorHandle {
  getCode(): string;
  /** Replaces the whole text as one undoable edit. */
  setCode(code: string): void;
  /** Moves the cursor to a 1-based line/column, scrolls it into view and focuses the editor. */
  reveal(line: number, column?: number): void;
  focus(): void;
  /** The cursor position, 1-based. */
  cursor(): { line: number; column: number };
  /** Type-strips the program (sucrase, else the TypeScript worker); type errors do not block, syntax errors do. */
  transpile(): Promise<TranspileResult>;
  setFontSize(px: number): void;
  setWordWrap(on: boolean): void;
  /** Renames the editor for screen readers (the UI language changed). */
  setAriaLabel(label: string): void;
  /** Recomputes the hint markers (their texts follow the UI language). */
  refreshHints(): void;
  dispose(): void;
}
