/// <reference types="svelte" />
/// <reference types="vite/client" />

declare module "virtual:webgrad-dts" {
  /** The bundled declarations of the library's public API (see scripts/vite/webgrad-dts.ts). */
  const declarations: string;
  export default declarations;
  /** Declaration files for Monaco: webgrad's, plus any global types its API mentions (WebGPU). */
  export const extraLibs: { path: string; content: string }[];
}

declare module "monaco-editor/languages/definitions/typescript/typescript" {
  import type { languages } from "monaco-editor/editor/editor.api";
  /** TypeScript's brackets, comments and auto-closing pairs (Monaco ships this module without types). */
  export const conf: languages.LanguageConfiguration;
  /** TypeScript's Monarch tokenizer (its colours). */
  export const language: languages.IMonarchLanguage;
}
