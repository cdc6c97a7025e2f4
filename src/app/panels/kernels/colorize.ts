/**
 * WGSL highlighting through Monaco's colorizer, if the editor bundle is already loaded (it is once
 * the editor shows). Loads Monaco's small WGSL tokenizer on first use; any failure means plain text.
 * @module
 */

let monacoPromise: Promise<{ colorize(text: string, language: string, options: object): Promise<string> } | null> | undefined;

function loadColorizer() {
  monacoPromise ??= (async () => {
    try {
      const [api] = await Promise.all([import("monaco-editor/editor/editor.api"), import("monaco-editor/languages/definitions/wgsl/register")]);
      return api.editor;
    } catch {
      return null;
    }
  })();
  return monacoPromise;
}

/** The WGSL as highlighted HTML, or null when Monaco's colorizer is not available. */
export async function colorizeWgsl(source: string): Promise<string | null> {
  if (source.length > 60_000) return null; // a huge shader reads fine plain; tokenizing it costs
  const editor = await loadColorizer();
  if (!editor) return null;
  try {
    return await editor.colorize(source, "wgsl", { tabSize: 2 });
  } catch {
    return null;
  }
}
