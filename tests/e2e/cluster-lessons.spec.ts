/**
 * Cluster lessons 01–05 as the learner sees them: the communication path drawn hop by hop with
 * each hop's α and bandwidth B (example 37), the ring allReduce traced step by step as reduce-scatter then
 * allGather on real numbers (example 38), and the parameter server's push-pull on the Cluster
 * panel beside the ring (example 35). Screenshots in English and in Chinese. And the course taken in
 * order (docs/COURSE.md): lesson 43's `dist.plan` opens the Planner view, and the next run that only
 * simulates (lessons 50–55) shows the Simulation view again.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./shared-page";
import { consoleLog, runButton, runCode, runStatus } from "./helpers";

/** Load an example from the Examples menu by its English title and run it to the end. */
async function runExample(page: Page, title: RegExp): Promise<void> {
  await page.getByRole("button", { name: "Examples" }).click();
  await page.getByRole("menuitem", { name: title }).click();
  await runButton(page).click();
  await expect(runStatus(page)).toContainText("Finished", { timeout: 90_000 });
}

/** Switch the UI language from the Settings menu ("Settings" / "设置"). */
async function setLanguage(page: Page, to: "zh" | "en"): Promise<void> {
  await page.getByRole("button", { name: to === "zh" ? "Settings" : "设置" }).click();
  await page.getByRole("menuitemradio", { name: to === "zh" ? "简体中文" : "English" }).click();
  await page.keyboard.press("Escape");
}

test("the communication stack: the path from d0's memory to d5's is drawn hop by hop with α, bandwidth B and the stack layer", async ({ page }) => {
  test.setTimeout(150_000);
  await runExample(page, /The communication stack/);
  const log = consoleLog(page);
  // inside a node: one NVLink hop
  await expect(log).toContainText("[d0 HBM]");
  await expect(log).toContainText("NVLink · α 2.00 µs · B 300.0 GB/s · NCCL P2P (NVLink)");
  // across nodes with GPUDirect RDMA: two InfiniBand hops through the switch, α/2 each
  await expect(log).toContainText("InfiniBand · α 2.50 µs · B 25.0 GB/s · NCCL NET (RDMA verbs), GPUDirect");
  await expect(log).toContainText("[sw]");
  await expect(log).toContainText("[d5 HBM]");
  // without GPUDirect: staged through host memory over PCIe on both ends
  await expect(log).toContainText("PCIe · α 5.00 µs · B 32.0 GB/s · cudaMemcpy D2H (store and forward)");
  await expect(log).toContainText("[host1]");
  await expect(log).toContainText("T(256 KiB) = 15.5 µs   (Σα = 5.00 µs)");
  await expect(log).toContainText("dist.send d0 → d5: 15.5 µs over d0→sw→d5");
  // process groups with their backend's algorithm
  await expect(log).toContainText(/ProcessGroup\(mpi, ranks \[0, 1, 2, 3\]\)\s+rabenseifner/);
  // The Cluster panel draws the real send's route; the drawn path is in the Console.
  await page.getByRole("tab", { name: /Cluster|集群/ }).click();
  await expect(page.getByTestId("topology-device")).toHaveCount(8);
  await page.getByRole("tab", { name: /Console|控制台/ }).click();
  await page.screenshot({ path: "test-results/cluster-lessons-path-en.png" });
  await setLanguage(page, "zh");
  await expect(page.getByRole("heading", { name: /通信软硬件栈/ }).first()).toBeVisible();
  await page.screenshot({ path: "test-results/cluster-lessons-path-zh.png" });
  await setLanguage(page, "en");
});

test("allReduce = reduceScatter + allGather: every step's chunks per rank, then the two halves bit for bit", async ({ page }) => {
  test.setTimeout(150_000);
  await runExample(page, /reduceScatter \+ allGather, step by step/);
  const log = consoleLog(page);
  // rank r starts with 10r + j; after the reduce-scatter rank r holds the sum of chunk r (60, 64, 68, 72)
  await expect(log).toContainText(/start: rank r holds chunks 0, 1, 2, 3\s*d0 │\s+0\s+1\s+2\s+3\s+d1 │\s+10\s+11\s+12\s+13/);
  await expect(log).toContainText("step 0 (reduce-scatter): sends 0→1:3 1→2:0 2→3:1 3→0:2");
  await expect(log).toContainText(/step 0 \(reduce-scatter\)[^│]*│\s+0\s+1\s+34\+\s+3\s+d1 │\s+10\s+11\s+12\s+16\+/);
  // after step p − 2 = 2, rank r holds the full sum of chunk r (marked + where it just arrived)
  await expect(log).toContainText(
    /step 2 \(reduce-scatter\)[^│]*│\s+60\+\s+53\s+34\s+3\s+d1 │\s+10\s+64\+\s+46\s+16\s+d2 │\s+30\s+21\s+68\+\s+39\s+d3 │\s+60\s+52\s+32\s+72\+/,
  );
  await expect(log).toContainText(/step 5 \(allGather\)[^│]*│\s+60\s+64=\s+68\s+72/);
  await expect(log).toContainText("reduceScatter → d0 [60]  d1 [64]  d2 [68]  d3 [72]");
  await expect(log).toContainText("allGather     → d0 [60, 64, 68, 72] (every rank)");
  await expect(log).toContainText("identical bits: true");
  const line = (await log.textContent())!;
  const [, rs, ag, sum, ar] = /reduceScatter ([\d.]+) µs \+ allGather ([\d.]+) µs = ([\d.]+) µs; allReduce ([\d.]+) µs/.exec(line)!;
  expect(Number(rs) + Number(ag)).toBeCloseTo(Number(sum), 0);
  expect(ar).toBe(sum);
  // The Cluster panel steps through the traced allReduce on the topology.
  await page.getByRole("tab", { name: /Cluster|集群/ }).click();
  await expect(page.getByTestId("topology-device")).toHaveCount(4);
  await page.screenshot({ path: "test-results/cluster-lessons-rsag-en.png" });
  await setLanguage(page, "zh");
  await expect(page.getByRole("heading", { name: /逐步演示/ }).first()).toBeVisible();
  await page.getByRole("tab", { name: /控制台|Console/ }).click();
  await page.screenshot({ path: "test-results/cluster-lessons-rsag-zh.png" });
  await setLanguage(page, "en");
});

test("parameter server vs ring allReduce: the server's link is the hotspot, and the Cluster panel plays the push-pull", async ({ page }) => {
  test.setTimeout(150_000);
  await runExample(page, /Parameter server vs allReduce/);
  const log = consoleLog(page);
  await expect(log).toContainText(/parameter server\s+[\d.]+\s+[\d.]+\s+d8→sw\s+2\.00\s+8\.00/);
  await expect(log).toContainText(/ring allReduce\s+[\d.]+\s+[\d.]+\s+d\d→sw\s+0\.44\s+1\.75/);
  await expect(log).toContainText("server d8's cable carried 4 MiB = 2·N·n/S");
  await page.getByRole("tab", { name: /Cluster|集群/ }).click();
  const pick = page.getByLabel("Collective on the topology");
  await pick.selectOption((await pick.locator("option", { hasText: "parameterServer" }).getAttribute("value"))!);
  await expect(page.getByRole("heading", { name: "parameterServer · push-pull" })).toBeVisible();
  await page.screenshot({ path: "test-results/cluster-lessons-ps-en.png" });
});

// The course taken in order: a plan, then a simulation (test ids and aria-pressed: any language).
const PLAN = `import { dist } from "webgrad";
dist.plan("gpt3-175b", dist.dgxA100(128), { tp: 8, pp: 16, dp: 8, microbatch: 1, globalBatch: 1536 });`;
const SIMULATE = `import { dist, randn } from "webgrad";
const c = dist.cluster({ devicesPerNode: 4 });
dist.allReduce(c.devices.map((d, i) => randn([256], { device: d, seed: i })));
console.log("reduced");`;

test("a plan opens the Planner view, and the next run that only simulates shows the Simulation view again", async ({ page }) => {
  test.setTimeout(120_000);
  await runCode(page, PLAN);
  await page.locator("#tab-cluster").click();
  await expect(page.getByTestId("cluster-view-planner")).toHaveAttribute("aria-pressed", "true", { timeout: 60_000 });
  await runCode(page, SIMULATE);
  await expect(page.getByTestId("cluster-view-simulation")).toHaveAttribute("aria-pressed", "true");
  // and a plan again opens the Planner
  await runCode(page, PLAN);
  await expect(page.getByTestId("cluster-view-planner")).toHaveAttribute("aria-pressed", "true", { timeout: 60_000 });
});
