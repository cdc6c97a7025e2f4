import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";
import { webgradDtsPlugin } from "./webgrad-dts";

/** `npm run build:lib`: the library alone, `dist/lib/webgrad.js` (ESM) and `dist/lib/webgrad.d.ts`. */
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  publicDir: false,
  build: {
    outDir: "dist/lib",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    lib: {
      entry: fileURLToPath(new URL("../../src/lib/index.ts", import.meta.url)),
      formats: ["es"],
      fileName: () => "webgrad.js",
    },
  },
  plugins: [webgradDtsPlugin({ emitFileName: "webgrad.d.ts" })],
});
