import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { VitePWA } from "vite-plugin-pwa";
import { fileURLToPath } from "node:url";
import { webgradDtsPlugin } from "./scripts/webgrad-dts";
import { mnistAssetPlugin } from "./scripts/mnist-asset";
import { referenceDocsPlugin } from "./scripts/reference-docs";

/** The playground app. The library alone is built by `scripts/vite.lib.config.ts`. */
export default defineConfig({
  // Relative base: the built app works from any path (a sub-folder on a static host included).
  base: "./",
  resolve: { alias: { webgrad: fileURLToPath(new URL("./src/lib/index.ts", import.meta.url)) } },
  // The runner worker bundles the library and the bundled data's URL (virtual:webgrad-mnist).
  worker: { format: "es", plugins: () => [mnistAssetPlugin()] },
  build: {
    outDir: "dist/app",
    emptyOutDir: true,
    target: "es2022",
    // Monaco's TypeScript worker is several MB by nature; it is lazy and precached.
    chunkSizeWarningLimit: 8000,
  },
  server: { port: 5173 },
  preview: { port: 4173 },
  plugins: [
    svelte(),
    mnistAssetPlugin(),
    webgradDtsPlugin({ emitFileName: "webgrad.d.ts" }),
    // The API reference (TypeDoc) under reference/, precached below like the rest of the app.
    referenceDocsPlugin(),
    VitePWA({
      registerType: "prompt",
      // Registered by src/app/pwa/register.ts with workbox-window, to show "update available".
      injectRegister: false,
      includeAssets: ["favicon.svg", "icons/*.png"],
      manifest: {
        name: "webgrad — how an AI framework works inside",
        short_name: "webgrad",
        description:
          "A browser-only playground for learning how an AI framework works inside: tensors, autodiff, graphs, WebGPU kernels and a simulated cluster.",
        start_url: ".",
        scope: ".",
        display: "standalone",
        background_color: "#1e1e1e",
        theme_color: "#2b5fd9",
        icons: [
          { src: "icons/icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "icons/icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "icons/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
      workbox: {
        // The whole app, Monaco and its workers and the API reference included, so it loads and runs offline.
        globPatterns: ["**/*.{js,css,html,svg,png,ico,webmanifest,ttf,woff2,d.ts,bin}"],
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        cleanupOutdatedCaches: true,
        navigateFallback: "index.html",
      },
    }),
  ],
});
