import { defineConfig, type Plugin } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { VitePWA } from "vite-plugin-pwa";
import { fileURLToPath } from "node:url";
import { webgradDtsPlugin } from "./scripts/vite/webgrad-dts";
import { mnistAssetPlugin } from "./scripts/vite/mnist-asset";
import { referenceDocsPlugin } from "./scripts/vite/reference-docs";
import { cjkFontManifestTransform, cjkFontPlugin, cjkFontRuntimeCaching, precachedSlices } from "./scripts/vite/cjk-font";

/**
 * The app's Content-Security-Policy, put in the built index.html as a meta tag (the dev server
 * goes without, so Vite's HMR client and its inline styles work as they are).
 * - script-src blob:, worker-src data: blob: — the runner is a `data:` module worker at an
 *   opaque origin that imports its bundle and the user's program from blob URLs
 *   (src/runner/client.ts); a `data:` worker inherits this policy, so user code is bound by it.
 * - connect-src 'self' blob: — the app fetches its own files (runner bundle, MNIST); the runner
 *   reads the MNIST bytes from a blob URL. User code cannot send data elsewhere.
 * - script-src 'unsafe-eval' — `jit(fn, { autograph: true })` recompiles the converted function
 *   with `new Function` inside the runner, which inherits this policy; the app's own code
 *   evaluates no strings.
 * - font-src 'self' — the CJK web font's slices are files of the app (scripts/vite/cjk-font.ts).
 * - style-src 'unsafe-inline' — Monaco and Svelte set inline styles.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' blob: 'unsafe-eval'",
  "worker-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' blob:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join("; ");

/** Adds {@link CONTENT_SECURITY_POLICY} to the built index.html. */
function cspPlugin(): Plugin {
  return {
    name: "webgrad-csp",
    apply: "build",
    transformIndexHtml: () => [{ tag: "meta", attrs: { "http-equiv": "Content-Security-Policy", content: CONTENT_SECURITY_POLICY }, injectTo: "head-prepend" }],
  };
}

/** The playground app. The library alone is built by `scripts/vite/vite.lib.config.ts`. */
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
    cspPlugin(),
    svelte(),
    mnistAssetPlugin(),
    webgradDtsPlugin({ emitFileName: "webgrad.d.ts" }),
    // The API reference (TypeDoc) under reference/, precached below like the rest of the app.
    referenceDocsPlugin(),
    // The CJK web font's @font-face rules, woff2 only; which slices are precached is set below.
    cjkFontPlugin(),
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
        // Of the CJK font's ~100 slices, only those the app's own Chinese text needs; the rest on first use.
        manifestTransforms: [cjkFontManifestTransform(precachedSlices(fileURLToPath(new URL("./src", import.meta.url))))],
        runtimeCaching: [cjkFontRuntimeCaching],
      },
    }),
  ],
});
