import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: { alias: { webgrad: fileURLToPath(new URL("./src/lib/index.ts", import.meta.url)) } },
  test: {
    // Registers the bundled data files (the MNIST subset) with the library.
    setupFiles: ["tests/unit/setup.ts"],
    include: ["tests/unit/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
  },
});
