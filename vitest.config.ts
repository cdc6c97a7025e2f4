import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig({
  resolve: { alias: { webgrad: fileURLToPath(new URL("./src/lib/index.ts", import.meta.url)) } },
  // Compiles runes in the app's *.svelte.ts stores, so their unit tests can import them.
  plugins: [svelte()],
  test: {
    // Registers the bundled data files (the MNIST subset) with the library.
    setupFiles: ["tests/unit/setup.ts"],
    include: ["tests/unit/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
  },
});
