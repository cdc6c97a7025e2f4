import type { ESLint } from "eslint";

/** The local ESLint plugin with the `import-boundaries` rule (see eslint-boundaries.mjs). */
export const boundariesPlugin: ESLint.Plugin;
