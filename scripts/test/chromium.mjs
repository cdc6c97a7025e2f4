/**
 * Finds a Chromium for the e2e tests and measurements (Playwright's own browser download does not
 * work on these machines). Order: $CHROMIUM_PATH, then the usual system paths; when none exists
 * and we are root with apt-get, installs Debian's `chromium`; otherwise explains how to get one.
 */
import { existsSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** Flags for headless Chromium with WebGPU (SwiftShader when there is no GPU). */
export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--enable-unsafe-webgpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  // Headless Chromium 156 still preloads the omnibox popup's WebUI (two chrome:// pages in a
  // renderer of their own) for every new window: 1.2–2 CPU-s per browser context, which the e2e
  // tests open by the dozen (`browser_ui chrome://omnibox-popup.top-chrome/` in Target.getTargets).
  "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup,PreloadTopChromeWebUI",
];

export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
  }
  return CANDIDATES.find((p) => existsSync(p));
}

/** Returns a Chromium path, installing one with apt-get when possible; throws with instructions otherwise. */
export function ensureChromium() {
  let path = findChromium();
  if (path) return path;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if (isRoot && hasApt) {
    console.log("[chromium] not found; installing Debian's chromium with apt-get (a few minutes)…");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update", "-q"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", "chromium"], { stdio: "inherit", env });
    path = findChromium();
    if (path) return path;
  }
  throw new Error(
    [
      "No Chromium found for the browser tests. Either:",
      "  • Debian/Ubuntu: sudo apt-get install chromium   (then re-run npm test)",
      "  • or point CHROMIUM_PATH at a Chromium or Chrome ≥ 120 binary: CHROMIUM_PATH=/path/to/chrome npm test",
      `Looked in: ${CANDIDATES.join(", ")}`,
    ].join("\n"),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(ensureChromium());
}
