/** Entry point: mount the app, open a share link if the URL has one, register the service worker. */
import { mount } from "svelte";
import App from "./App.svelte";
import { AppState } from "./state/app.svelte";
import { exampleCode, examples } from "./examples";
import { locale, setLocale } from "./i18n/i18n.svelte";
import { registerServiceWorker } from "./pwa/register";
// The CJK web font's @font-face slices (regular weight; bold is synthesized). See scripts/vite/cjk-font.ts.
import "@fontsource/noto-sans-sc/400.css";
import "./styles.css";

function localStorageOrUndefined(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage blocked: the app works, without autosave
  }
}

const first = examples[0];
const app = new AppState(localStorageOrUndefined(), first ? exampleCode(first, locale()) : 'console.log("Hello");\n', first?.id ?? null);
app.start();
mount(App, { target: document.getElementById("app")!, props: { app } });
void app.openSharedLink(location.hash);
addEventListener("hashchange", () => void app.openSharedLink(location.hash));
addEventListener("pagehide", () => app.workspace.saveNow());
document.addEventListener("visibilitychange", () => document.visibilityState === "hidden" && app.workspace.saveNow());
registerServiceWorker(app.ui);

/** A handle for tests and the measurement script (no library access through it). */
(globalThis as Record<string, unknown>).__webgradApp = app;
/** Switches the UI language without saving the choice (tests; the Settings menu is the learner's way). */
(globalThis as Record<string, unknown>).__webgradSetLocale = (next: "en" | "zh") => setLocale(next, false);
