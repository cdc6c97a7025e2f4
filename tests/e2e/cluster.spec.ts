import type { Page } from "@playwright/test";
import { expect, test } from "./shared-page";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { consoleLog, runCode } from "./helpers";
import { formatBytes } from "../../src/app/panels/cluster/timeline";

// A whole example runs in each test: up to 90 s on a busy machine (runCode's wait), then the checks.
// The tests share one loaded app (./shared-page); each starts from the Console panel and opens the Cluster panel itself.
test.describe.configure({ timeout: 150_000 });

const example = (name: string) => readFileSync(fileURLToPath(new URL(`../../src/examples/${name}.ts`, import.meta.url)), "utf8");

async function openCluster(page: Page): Promise<void> {
  await page.getByRole("tab", { name: /Cluster/ }).click();
  await expect(page.getByTestId("topology")).toBeVisible();
}

/** Pixels of the timeline canvas that differ from its top-left (background) pixel (0 before it has a size). */
async function inkedPixels(page: Page): Promise<number> {
  return page.getByTestId("timeline-canvas").evaluate((c: HTMLCanvasElement) => {
    // The panel sizes the canvas on its first frame: polled earlier, it is 0 wide.
    if (c.width === 0 || c.height === 0) return 0;
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) n++;
    return n;
  });
}

const gbps = (s: string) => Number(/([\d.]+) GB\/s/.exec(s)?.[1]);

test("ring vs tree: the topology, the collective stepper, the timeline, the figures and the trace export", async ({ page }) => {
  await runCode(page, example("32-ring-vs-tree"), 90_000);
  const log = consoleLog(page);
  await expect(log).toContainText("tree: time");
  const treeBusbw = Number(/tree: time [^·]*· algbw [^·]*· busbw ([\d.]+) GB\/s/.exec((await log.textContent())!)![1]);
  await openCluster(page);
  await expect(page.getByTestId("cluster-summary")).toHaveText(/8 devices · 2 collectives/);
  await expect(page.getByTestId("topology-device")).toHaveCount(8);
  // NVLink inside nodes, InfiniBand to the switch: drawn as different link kinds.
  await expect(page.locator('[data-testid="topology"] line[data-kind="NVLink"]').first()).toBeAttached();
  await expect(page.locator('[data-testid="topology"] line[data-kind="InfiniBand"]').first()).toBeAttached();

  // The newest collective (tree) is shown; its busbw matches what the program printed.
  await expect(page.getByRole("heading", { name: "allReduce · tree" })).toBeVisible();
  expect(gbps((await page.getByTestId("figure-busbw").textContent())!)).toBeCloseTo(treeBusbw, 1);

  // The stepper moves the collective forward: chunks appear on the links.
  const step = page.getByTestId("collective-step");
  await expect(step).toHaveText(/^step 1\//);
  await page.getByRole("button", { name: "Next step" }).click();
  await expect(step).toHaveText(/^step 2\//);
  await expect(page.locator('[data-testid="topology"] circle.chunk').first()).toBeAttached();
  await page.getByRole("button", { name: "Play" }).click();
  await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();
  await page.getByRole("button", { name: "Pause" }).click();

  // Switch to ring: the figures follow.
  const pick = page.getByLabel("Collective on the topology");
  await pick.selectOption((await pick.locator("option", { hasText: "ring" }).getAttribute("value"))!);
  await expect(page.getByRole("heading", { name: "allReduce · ring" })).toBeVisible();

  // The timeline canvas draws.
  await expect.poll(() => inkedPixels(page)).toBeGreaterThan(500);
  // Baseline for the 100 000-event measurement below: a frame of a 56-transfer timeline.
  const small: number[] = [];
  for (const key of ["+", "-", "+", "-", "0"]) {
    await page.getByTestId("timeline-canvas").press(key);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    small.push(Number(await page.getByTestId("timeline-canvas").getAttribute("data-draw-ms")));
  }
  console.log(`[cluster timeline] small (tree allReduce, 56 transfers) · draw ms median ${[...small].sort((a, b) => a - b)[2].toFixed(2)}`);

  // Export: valid Chrome Trace Event JSON.
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: /Export trace/ }).click();
  const file = await (await download).path();
  const trace = JSON.parse(readFileSync(file, "utf8")) as { traceEvents: { ph: string; ts?: number; dur?: number }[] };
  expect(Array.isArray(trace.traceEvents)).toBe(true);
  const slices = trace.traceEvents.filter((e) => e.ph === "X");
  expect(slices.length).toBeGreaterThan(0);
  for (const e of slices) expect(e.dur!).toBeGreaterThan(0);
});

test("pipeline bubbles: GPipe, 1F1B and interleaved runs with the bubble the program printed", async ({ page }) => {
  await runCode(page, example("53-pipeline-bubbles"), 90_000);
  await expect(consoleLog(page)).toContainText(/interleaved, \d+ microbatches: bubble/);
  const text = (await consoleLog(page).textContent())!;
  const bubble = (s: string) => new RegExp(`${s}, \\d+ microbatches: bubble ([\\d.]+) %`).exec(text)![1];
  await openCluster(page);
  // Newest run first: interleaved 1F1B.
  await expect(page.getByTestId("figure-bubble")).toHaveText(`${bubble("interleaved")} %`);
  const source = page.getByLabel("Timeline source");
  for (const schedule of ["gpipe", "1f1b"]) {
    await source.selectOption((await source.locator("option", { hasText: `pipeline:${schedule}` }).getAttribute("value"))!);
    await expect(page.getByTestId("figure-bubble")).toHaveText(`${bubble(schedule)} %`);
  }
  await expect(page.getByTestId("memory-row")).toHaveCount(4);
  await expect.poll(() => inkedPixels(page)).toBeGreaterThan(500);
  // Hover shows what a bar is.
  const canvas = page.getByTestId("timeline-canvas");
  const box = (await canvas.boundingBox())!;
  // Hover along d0's compute lane until a bar is under the pointer (bubbles have none).
  for (let f = 0.1; f < 0.9; f += 0.05) {
    await page.mouse.move(box.x + box.width * f, box.y + 20 + 6);
    if (await page.getByRole("tooltip").isVisible()) break;
  }
  await expect(page.getByRole("tooltip")).toContainText(/d0 · compute · [FB]/);
});

test("ZeRO memory: the bars show each device's bytes by category", async ({ page }) => {
  await runCode(page, example("40-zero-memory"), 90_000);
  await expect(consoleLog(page)).toContainText("ZeRO-3 d0");
  const text = (await consoleLog(page).textContent())!;
  const m = /ZeRO-3 d0: parameters (\d+) B · gradients (\d+) B · optimizer (\d+) B/.exec(text)!;
  await openCluster(page);
  await expect(page.getByRole("heading", { name: "memory · zero3" })).toBeVisible();
  const bar = page.getByRole("img", { name: /^d0: parameters/ });
  await expect(bar).toHaveAttribute(
    "aria-label",
    new RegExp(`parameters ${formatBytes(Number(m[1]))}, gradients ${formatBytes(Number(m[2]))}, optimizer state ${formatBytes(Number(m[3]))}`),
  );
  // ZeRO-1's run is still there: optimizer state differs, parameters do not.
  const source = page.getByLabel("Timeline source");
  await source.selectOption((await source.locator("option", { hasText: "zero1" }).getAttribute("value"))!);
  await expect(page.getByRole("heading", { name: "memory · zero1" })).toBeVisible();
});

test("strategies side by side: each run on its own cluster, its memory bars the figures the program printed", async ({ page }) => {
  await runCode(page, example("55-strategies-summary"), 90_000);
  await expect(consoleLog(page)).toContainText("losses:");
  const text = (await consoleLog(page).textContent())!;
  await openCluster(page);
  // Seven strategies, seven clusters: every run names its own.
  const source = page.getByLabel("Timeline source");
  await expect(source.locator("option", { hasText: /^run · / })).toHaveCount(7);
  await expect(source.locator("option", { hasText: "run · zero3 · cluster" })).toHaveCount(1);
  await expect(page.getByTestId("cluster-summary")).toContainText("8 clusters");
  // ZeRO-3's bars: state per device as the console's table prints it (KiB, one decimal), activations present.
  await source.selectOption((await source.locator("option", { hasText: "run · zero3" }).getAttribute("value"))!);
  await expect(page.getByRole("heading", { name: /^memory · zero3 · cluster \d+$/ })).toBeVisible();
  const zero3 = /ZeRO-3\s+[\d.]+\s+([\d.]+)\s+([\d.]+)/.exec(text)!;
  const label = (await page.getByRole("img", { name: /^d0: parameters/ }).getAttribute("aria-label"))!;
  const kib = (name: string) => {
    const m = new RegExp(`${name} ([\\d.]+) (B|KiB|MiB)`).exec(label)!;
    return Number(m[1]) / (m[2] === "B" ? 1024 : m[2] === "MiB" ? 1 / 1024 : 1);
  };
  expect(kib("parameters") + kib("gradients") + kib("optimizer state")).toBeCloseTo(Number(zero3[1]), 0);
  expect(kib("activations")).toBeCloseTo(Number(zero3[2]), 0);
  expect(kib("activations")).toBeGreaterThan(0);
  // The topology drawn is the run's cluster: 4 devices.
  await expect(page.getByTestId("memory-row")).toHaveCount(4);
});

test("hybrid 3D: one run per step with its pipeline stages, activations in every device's bar", async ({ page }) => {
  await runCode(page, example("54-hybrid-3d"), 90_000);
  await expect(consoleLog(page)).toContainText("match single-device training");
  await openCluster(page);
  const source = page.getByLabel("Timeline source");
  await expect(source.locator("option", { hasText: /^run · / })).toHaveCount(1);
  const n = /after (\d+) steps/.exec((await consoleLog(page).textContent())!)![1];
  await expect(page.getByTestId("cluster-summary")).toContainText(`· ${n} runs`);
  await expect(page.getByRole("heading", { name: "memory · hybrid3d" })).toBeVisible();
  await expect(page.getByTestId("memory-row")).toHaveCount(8);
  for (const bar of await page.getByRole("img", { name: /^d\d: parameters/ }).all())
    expect(await bar.getAttribute("aria-label")).not.toMatch(/activations 0 B/);
});

test("a 100 000-transfer timeline stays responsive (frame time logged, not asserted)", async ({ page }) => {
  test.setTimeout(120_000);
  const code = [
    'import { dist } from "webgrad";',
    "const c = dist.cluster({ nodes: 8, devicesPerNode: 8 });",
    'const r = dist.simulate("allReduce", { devices: c.devices, bytes: 256 * 2 ** 20, algorithm: "ring", chunks: 13 });',
    "console.log(`transfers ${r.timeline.length}`);",
  ].join("\n");
  await runCode(page, code);
  await expect(consoleLog(page)).toContainText(/transfers \d+/);
  const n = Number(/transfers (\d+)/.exec((await consoleLog(page).textContent())!)![1]);
  expect(n).toBeGreaterThanOrEqual(100_000);
  await openCluster(page);
  const canvas = page.getByTestId("timeline-canvas");
  await expect.poll(() => inkedPixels(page)).toBeGreaterThan(500);
  await canvas.focus();
  // Zoom in and out and pan with the keyboard and the wheel; read each frame's draw time.
  const draws: number[] = [];
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 40);
  for (let i = 0; i < 12; i++) {
    if (i < 4) await page.keyboard.press("+");
    else if (i < 8) await page.mouse.wheel(0, i % 2 ? -200 : 120);
    else await page.keyboard.press(i % 2 ? "ArrowRight" : "-");
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    draws.push(Number(await canvas.getAttribute("data-draw-ms")));
  }
  await page.keyboard.press("0");
  // Frame intervals while the wheel zooms continuously.
  const frames = await page.evaluate(async () => {
    const c = document.querySelector('[data-testid="timeline-canvas"]') as HTMLCanvasElement;
    const r = c.getBoundingClientRect();
    const times: number[] = [];
    let last = performance.now();
    for (let i = 0; i < 40; i++) {
      c.dispatchEvent(new WheelEvent("wheel", { deltaY: i < 20 ? -60 : 60, clientX: r.left + r.width / 2, clientY: r.top + 40, cancelable: true }));
      await new Promise((res) => requestAnimationFrame(res));
      const now = performance.now();
      times.push(now - last);
      last = now;
    }
    return times;
  });
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `[cluster timeline] ${n} transfers · draw ms median ${med(draws).toFixed(2)} max ${Math.max(...draws).toFixed(2)} · frame interval ms median ${med(frames).toFixed(1)} max ${Math.max(...frames).toFixed(1)} · rects last frame ${await canvas.getAttribute("data-rects")}`,
  );
});
