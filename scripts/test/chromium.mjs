/**
 * Finds a Chromium for the e2e tests and measurements (Playwright's own browser download does not
 * work on these machines). Order: $CHROMIUM_PATH, then the usual system paths; when none exists
 * and we are root with apt-get, installs Debian's `chromium`; otherwise explains how to get one.
 *
 * The test suites ({@link ensureTestChromium}) prefer Chromium's headless shell (Debian's
 * `chromium-headless-shell`: the same Blink, V8 and Dawn build without the browser's UI), which is
 * what Playwright itself runs headless tests in; the measurement tools keep the full browser.
 */
import { existsSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];
/** The headless shell's binary itself (Debian's /usr/bin wrapper is a script that does not exec it). */
const HEADLESS_SHELLS = ["/usr/lib/chromium/chromium-headless-shell", "/usr/bin/chromium-headless-shell"];

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

const canApt = () => typeof process.getuid === "function" && process.getuid() === 0 && spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;

/** Installs Debian packages with apt-get (as root); false when that is not possible or fails. */
function aptInstall(packages) {
  if (!canApt()) return false;
  console.log(`[chromium] installing Debian's ${packages.join(" and ")} with apt-get (a few minutes)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    execFileSync("apt-get", ["update", "-q"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...packages], { stdio: "inherit", env });
    return true;
  } catch (error) {
    console.log(`[chromium] apt-get could not install ${packages.join(", ")}: ${error.message}`);
    return false;
  }
}

/** Returns a Chromium path, installing one with apt-get when possible; throws with instructions otherwise. */
export function ensureChromium() {
  let path = findChromium();
  if (path) return path;
  if (aptInstall(["chromium"])) {
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

/**
 * The browser for the test suites: $CHROMIUM_PATH when set, else the headless shell, else the full
 * browser; on a machine with neither, apt-get installs both. The shell opens a context and loads
 * the app for about 15 % less CPU, which the e2e suite does about a hundred times.
 */
export function ensureTestChromium() {
  if (process.env.CHROMIUM_PATH) return findChromium();
  const shell = () => HEADLESS_SHELLS.find((p) => existsSync(p));
  if (!shell() && !findChromium()) aptInstall(["chromium", "chromium-headless-shell"]);
  return shell() ?? ensureChromium();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(process.argv.includes("--test") ? ensureTestChromium() : ensureChromium());
}
