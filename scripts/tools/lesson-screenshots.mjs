#!/usr/bin/env node
/**
 * A screenshot of every lesson as the learner sees it, in English and in Chinese, for auditing the
 * course (docs/COURSE.md): builds the app into a private folder (or takes an existing build),
 * serves it with `vite preview`, and for each example loads it from the Examples menu, runs it
 * with quick runs on, opens the panel its lesson names and saves the page (lesson pane + panel).
 *   node scripts/tools/lesson-screenshots.mjs [--dist folder (an existing build; no build)] [--port 4724]
 *        [--out test-results/lesson-screenshots] [--only regex over example ids] [--lang en,zh]
 * Files: <out>/<id>.<lang>.png. They are for looking at, not for committing (test-results/ is ignored).
 * An example whose run fails or times out is still photographed; the summary line lists it.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS, ensureChromium } from "../test/chromium.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const dist = arg("--dist");
const outDir = dist ?? join(root, "node_modules/.cache/webgrad-lesson-screenshots-build");
const shots = join(root, arg("--out", "test-results/lesson-screenshots"));
const port = Number(arg("--port", process.env.SCREENSHOT_PORT ?? 4724));
const only = new RegExp(arg("--only", "."));
const langs = arg("--lang", "en,zh").split(",");

// The examples and what their lessons name: the English title (the menu's filter finds it in
// either language) and the panel to show (`panel: "…"` in the lesson file).
const dir = join(root, "src/examples");
const examples = readdirSync(dir)
  .filter((f) => f.endsWith(".lesson.ts"))
  .map((f) => f.replace(/\.lesson\.ts$/, ""))
  .filter((id) => only.test(id))
  .sort()
  .map((id) => {
    const lesson = readFileSync(join(dir, `${id}.lesson.ts`), "utf8");
    const title = JSON.parse(/title:\s*\{\s*en:\s*("(?:[^"\\]|\\.)*")/.exec(lesson)[1]);
    const panel = /^\s{2}panel:\s*"(\w+)"/m.exec(lesson)?.[1];
    return { id, title, panel };
  });

if (!dist) {
  const built = spawnSync("npx", ["vite", "build", "--logLevel", "warn", "--outDir", outDir, "--emptyOutDir"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
mkdirSync(shots, { recursive: true });

const { preview } = await import("vite");
const server = await preview({ root, logLevel: "warn", build: { outDir }, preview: { port, strictPort: true } });
const { chromium } = await import("playwright-core");
const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
const failed = [];
try {
  for (const lang of langs) {
    const context = await browser.newContext({
      viewport: { width: 1600, height: 1200 },
      deviceScaleFactor: 1,
      colorScheme: "light",
      serviceWorkers: "block",
      locale: lang === "zh" ? "zh-CN" : "en-US",
    });
    const page = await context.newPage();
    // A returning visitor: no first-run tour over the picture.
    await page.addInitScript(() => localStorage.setItem("webgrad.tour.v1", "seen"));
    await page.goto(`http://localhost:${port}/`);
    await page.locator(".monaco-editor textarea").waitFor({ state: "attached", timeout: 60_000 });
    await page.getByRole("button", { name: /^(Settings|设置)$/ }).click();
    await page.getByRole("menuitemcheckbox", { name: /Quick runs|快速运行/ }).check();
    await page.keyboard.press("Escape");
    for (const { id, title, panel } of examples) {
      const started = Date.now();
      await page.getByRole("button", { name: /^(Examples|示例)$/ }).click();
      await page.getByRole("searchbox", { name: /^(Filter examples|筛选示例)$/ }).fill(title);
      await page.keyboard.press("Enter");
      // Run sets the app's status to "compiling" at once (src/app/state/app.svelte.ts), so the last run's end is never mistaken for this one's.
      await page.getByRole("button", { name: /^(Run|运行)$/ }).click();
      let status = "timeout";
      try {
        await page.waitForFunction(() => ["done", "failed", "stopped"].includes(window.__webgradApp.status), undefined, { timeout: 120_000, polling: 200 });
        status = (await page.getByTestId("run-status").textContent())?.trim() ?? "?";
      } catch {
        // photographed anyway; the summary lists it
      }
      if (!/Finished|完成/.test(status)) failed.push(`${id}.${lang}: ${status}`);
      if (panel) await page.locator(`#tab-${panel}`).click();
      // The lesson widened over the editor: more of its text (and its figure) in the picture.
      const widen = page.getByTestId("lesson").getByRole("button", { name: /^(Widen|加宽|Narrow|收窄)/ });
      if ((await widen.count()) > 0 && (await widen.first().getAttribute("aria-pressed")) !== "true") await widen.first().click();
      await page.getByTestId("lesson-text").evaluate((el) => (el.scrollTop = 0));
      await page.mouse.move(0, 0);
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await page.waitForTimeout(600); // charts settle
      await page.screenshot({ path: join(shots, `${id}.${lang}.png`) });
      console.log(`[lesson-screenshots] ${id}.${lang}.png  ${status.replace(/\s+/g, " ")}  ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`[lesson-screenshots] ${examples.length * langs.length} screenshots in ${shots}${failed.length ? `; not finished: ${failed.join(", ")}` : ""}`);
