/**
 * Service worker registration (vite-plugin-pwa generates `sw.js`, precaching the whole app,
 * Monaco and its workers included). When a new build is waiting, the user gets an
 * "update available" notice; reloading activates it. Only in production builds.
 * @module
 */
import type { UiState } from "../state/ui.svelte";
import { t } from "../i18n/i18n.svelte";

export function registerServiceWorker(ui: UiState): void {
  if (!import.meta.env.PROD || !("serviceWorker" in navigator)) return;
  // After load, so registering and precaching do not compete with the first paint.
  const start = async (): Promise<void> => {
    const { Workbox } = await import("workbox-window");
    const wb = new Workbox("./sw.js", { scope: "./" });
    wb.addEventListener("waiting", () => {
      ui.notify({
        kind: "update",
        text: t("notices.updateAvailable"),
        actions: [
          {
            label: t("notices.reloadToUpdate"),
            run: () => {
              wb.addEventListener("controlling", () => location.reload());
              wb.messageSkipWaiting();
            },
          },
        ],
      });
    });
    await wb.register();
  };
  // Registration can fail (service workers blocked by policy or the browser): the app still works, online.
  const startQuietly = () => start().catch((e: unknown) => console.info("service worker not registered:", e));
  if (document.readyState === "complete") void startQuietly();
  else addEventListener("load", () => void startQuietly(), { once: true });
}
