// ESLint, flat config: `npm run lint` (with `prettier --check`), and the `lint` step of `npm test`.
// Recommended rules of ESLint, typescript-eslint and eslint-plugin-svelte, plus the layering rule of
// scripts/eslint-boundaries.mjs. Formatting is Prettier's job (.prettierrc), not ESLint's.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import svelte from "eslint-plugin-svelte";
import globals from "globals";
import ts from "typescript-eslint";
import { boundariesPlugin } from "./scripts/eslint-boundaries.mjs";

export default defineConfig(
  {
    ignores: [
      "dist/",
      "node_modules/",
      "test-results/",
      "playwright-report/",
      ".vite/",
      ".gl/",
      "coverage/",
      ".svelte-check/",
      // Written by the benchmarks.
      "bench/results*.json",
    ],
  },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.worker, ...globals.node },
    },
  },
  {
    files: ["**/*.svelte", "**/*.svelte.ts"],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  {
    rules: {
      // `(...args: any[]) => unknown` is how TypeScript spells "any function" (transforms, jit, onnx export).
      "@typescript-eslint/no-explicit-any": ["error", { ignoreRestArgs: true }],
      // A leading underscore marks a binding unused on purpose; `const { a: _, ...rest }` drops a key.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      // The app's stores replace immutable Maps and Sets wholesale ($state.raw, one assignment per
      // batch of events), and components build throwaway ones inside $derived: none is mutated in
      // place where Svelte would need to see it, so SvelteMap/SvelteSet would only add overhead.
      "svelte/prefer-svelte-reactivity": "off",
    },
  },
  {
    // Lessons show dead code on purpose (example 22: the dead-code-elimination pass removes it).
    files: ["src/examples/**"],
    rules: { "@typescript-eslint/no-unused-vars": "off" },
  },
  {
    plugins: { webgrad: boundariesPlugin },
    rules: { "webgrad/import-boundaries": "error" },
  },
);
