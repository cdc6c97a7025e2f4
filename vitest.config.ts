import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";
import { availableParallelism } from "node:os";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig({
  resolve: { alias: { webgrad: fileURLToPath(new URL("./src/lib/index.ts", import.meta.url)) } },
  // Compiles runes in the app's *.svelte.ts stores, so their unit tests can import them.
  plugins: [svelte()],
  test: {
    // Registers the bundled data files (the MNIST subset) with the library.
    setupFiles: ["tests/unit/setup.ts"],
    // Builds the cached files several test files read, once (the bundled declarations, the MNIST subset).
    globalSetup: ["tests/unit/global-setup.ts"],
    include: ["tests/unit/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    // One worker per core. Vitest's default (cores − 1) is a single worker on a 2-core machine
    // (CI, most laptops' VMs), which leaves a core idle once the main process has transformed the
    // files: the suite is CPU-bound test code, not transform.
    maxWorkers: availableParallelism(),
    // The test files of a worker share its modules: the library and the app load once per worker,
    // not once per file (about half of the suite's CPU time went to importing them). Each file
    // still starts from the library's defaults (tests/unit/setup.ts resets its settings).
    isolate: false,
  },
});
