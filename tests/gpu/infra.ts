/**
 * Checks of the WebGPU backend's infrastructure, run after the op cases: the Tensor API end to end
 * on WebGPU, clear errors (float64, a tensor larger than the adapter allows), and device loss
 * (reported, then a fresh device from initWebGPU).
 */
import { runNamedChecks, type CaseResult, type NamedCheck } from "./compare";
import { initWebGPU, webgpuBackend } from "../../src/lib/backend/webgpu/init";
import { getDefaultBackend, setDefaultBackend } from "../../src/lib/backend/registry";
import { manualSeed, randn, tensor } from "../../src/lib/ops/creation";
import { IndexError } from "../../src/lib/errors";
import * as nn from "../../src/lib/nn";
import * as optim from "../../src/lib/optim";
import { trainingStep } from "./training-step";
import { oneHot } from "../../src/lib/ops/functional";
import { jit } from "../../src/lib/graph/jit";
import { tidy, type Tensor } from "../../src/lib/tensor/tensor";
import { onEvent } from "../../src/lib/events";
import { MATMUL_TUNING, VEC4_CPU, VEC4_CPU_ROWS } from "../../src/lib/backend/webgpu/kernels/matmul";

type Check = NamedCheck;

function expectThrows(f: () => unknown, pattern: RegExp): void {
  try {
    f();
  } catch (e) {
    if (!pattern.test((e as Error).message)) throw new Error(`threw "${(e as Error).message}", expected ${pattern}`, { cause: e });
    return;
  }
  throw new Error(`did not throw (expected ${pattern})`);
}

async function expectRejects(f: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (!(e instanceof IndexError)) throw new Error(`threw a ${(e as Error).name}, expected an IndexError matching ${pattern}`, { cause: e });
    if (!pattern.test(e.message)) throw new Error(`threw "${e.message}", expected ${pattern}`, { cause: e });
    // The stack is the reader's (the runner maps it to the user's line).
    if (!/Tensor\.data/.test(e.stack ?? "")) throw new Error(`the error's stack does not show the read: ${e.stack}`, { cause: e });
    return;
  }
  throw new Error(`the read did not throw (expected ${pattern})`);
}

const CHECKS: Check[] = [
  [
    "tiered matmul (CPU-adapter geometry): a big product runs on the quick 8×8 block until its work passes MATMUL_TUNING.tierUpMacs, then on the big block, bit for bit the same",
    async () => {
      const gpu = webgpuBackend()!;
      const geometry = gpu.geometry;
      const blocks = [{ ...VEC4_CPU }, { ...VEC4_CPU_ROWS }];
      const threshold = MATMUL_TUNING.tierUpMacs;
      const prev = getDefaultBackend().name;
      const keys: string[] = [];
      const off = onEvent((e) => {
        if (e.type === "kernel" && e.phase === "dispatch" && e.kernel.startsWith("matmul")) keys.push(e.kernel);
      });
      try {
        setDefaultBackend("webgpu");
        gpu.setGeometry("cpu");
        // A big block no other check has built (its key names its size), so the tier starts from nothing.
        Object.assign(VEC4_CPU, { TM: 12, TN: 12 });
        Object.assign(VEC4_CPU_ROWS, { TM: 12, TN: 12 });
        const [m, k, n] = [256, 128, 256]; // 2^23 multiply-adds: past SMALL_PRODUCT_MACS
        MATMUL_TUNING.tierUpMacs = 2 * m * k * n;
        manualSeed(11);
        const a = randn([m, k]),
          b = randn([k, n]);
        const results: Float32Array[] = [];
        const isBig = (key: string) => key.startsWith("matmul-v412x12");
        // Calls until the big block runs: browsers build it off the thread, which takes a while on SwiftShader.
        for (const t0 = performance.now(); results.length < 3 || (!keys.some(isBig) && performance.now() - t0 < 90_000);) {
          results.push((await a.matmul(b).data()) as Float32Array);
          await new Promise((r) => setTimeout(r, results.length < 3 ? 0 : 200));
        }
        const small = keys.filter((key) => key.startsWith("matmul-v48x8")).length;
        const big = keys.filter(isBig).length;
        if (small < 2 || big < 1) throw new Error(`expected the 8×8 block first, then the 12×12 one; dispatched ${keys.join(", ")}`);
        if (!keys.slice(0, 2).every((key) => key.startsWith("matmul-v48x8")))
          throw new Error(`the first calls did not run the quick block: ${keys.join(", ")}`);
        for (const r of results.slice(1))
          if (r.some((v, i) => !Object.is(v, results[0][i]))) throw new Error("the two blocks gave different bits for the same product");
      } finally {
        off();
        Object.assign(VEC4_CPU, blocks[0]);
        Object.assign(VEC4_CPU_ROWS, blocks[1]);
        MATMUL_TUNING.tierUpMacs = threshold;
        gpu.setGeometry(geometry);
        setDefaultBackend(prev);
      }
    },
  ],
  [
    "Tensor API on WebGPU: randn, matmul, softmax, sum and a backward pass match the CPU",
    async () => {
      const run = async (backend: string) => {
        setDefaultBackend(backend);
        manualSeed(7);
        const x = randn([5, 4]);
        const w = randn([4, 3]).requiresGrad_();
        const loss = x.matmul(w).softmax(-1).square().sum();
        loss.backward();
        return [...(await loss.data()), ...(await w.grad!.data())];
      };
      const prev = getDefaultBackend().name;
      try {
        const cpu = await run("cpu");
        const gpu = await run("webgpu");
        const bad = cpu.findIndex((v, i) => Math.abs(v - gpu[i]) > 1e-4 + 1e-4 * Math.abs(v));
        if (bad >= 0) throw new Error(`element ${bad}: webgpu ${gpu[bad]}, cpu ${cpu[bad]}`);
      } finally {
        setDefaultBackend(prev);
      }
    },
  ],
  [
    "float64 on WebGPU is a clear error",
    async () => expectThrows(() => webgpuBackend()!.fromArray(new Float64Array(3), "float64"), /float64 lives on the CPU backend/),
  ],
  [
    "a tensor larger than the adapter allows names its shape and bytes",
    async () => {
      const be = webgpuBackend()!;
      const n = Math.floor(be.device.limits.maxStorageBufferBindingSize / 4) + 1024;
      expectThrows(
        () => be.exec("random", [], { shape: [n], dtype: "float32", seed: 1, offset: 0, dist: "uniform" }, { shape: [n], dtype: "float32" }),
        new RegExp(`shape \\[${n}\\] \\(float32\\) needs .* [MG]iB`),
      );
    },
  ],
  [
    "an out-of-range gather index is reported at the next read-back, once",
    async () => {
      const x = tensor([
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ]).to("webgpu");
      const bad = x.gather(
        1,
        tensor(
          [
            [0, -1],
            [4, 1],
          ],
          { dtype: "int32" },
        ).to("webgpu"),
      );
      await expectRejects(
        () => bad.data(),
        /^gather: index (-1|4) is out of range for a dimension of size 4 \(valid: 0 … 3\) \(2 out-of-range values in all\)\. The WebGPU kernel clamped it/,
      );
      const good = await x.gather(1, tensor([[3], [0]], { dtype: "int32" }).to("webgpu")).data();
      if (good[0] !== 4 || good[1] !== 5) throw new Error(`after the report, gather gave ${Array.from(good)}, want 4,5`);
      // Compiled: the graph runs the same kernel.
      const pick = jit((a: Tensor, i: Tensor) => a.gather(1, i).mul(2));
      const twice = await pick(x, tensor([[1], [2]], { dtype: "int32" }).to("webgpu")).data();
      if (twice[0] !== 4 || twice[1] !== 14) throw new Error(`jit gather gave ${Array.from(twice)}, want 4,14`);
      await expectRejects(
        () => pick(x, tensor([[1], [9]], { dtype: "int32" }).to("webgpu")).data(),
        /^gather: index 9 is out of range for a dimension of size 4/,
      );
    },
  ],
  [
    "scatterAdd skips and reports an out-of-range index; crossEntropy and oneHot report a bad class",
    async () => {
      const base = tensor([0, 0, 0]).to("webgpu");
      const s = base.scatterAdd(0, tensor([0, 3, 2], { dtype: "int32" }).to("webgpu"), tensor([1, 10, 100]).to("webgpu"));
      await expectRejects(() => s.data(), /^scatterAdd: index 3 is out of range for a dimension of size 3 \(valid: 0 … 2\)\./);
      const logits = tensor([
        [1, 2, 3],
        [0, 0, 1],
      ]).to("webgpu");
      const loss = nn.crossEntropy(logits, tensor([0, 5], { dtype: "int32" }).to("webgpu"));
      await expectRejects(() => loss.data(), /^crossEntropy: target class 5 is out of range for 3 classes \(valid: 0 … 2\)/);
      const hot = oneHot(tensor([[0], [7]], { dtype: "int32" }).to("webgpu"), 3);
      await expectRejects(() => hot.data(), /^oneHot: class id 7 is out of range for numClasses 3 \(valid: 0 … 2\)/);
      const ok = nn.crossEntropy(logits, tensor([2, -100], { dtype: "int32" }).to("webgpu"));
      const v = (await ok.data())[0];
      if (!(Math.abs(v - 0.40760596) < 1e-4)) throw new Error(`crossEntropy with an ignored row gave ${v}`);
    },
  ],
  [
    "tidy: an eager chain's intermediates go back to the pool at once (no new buffers per iteration) and it computes what the plain chain does",
    async () => {
      const be = webgpuBackend()!;
      const x = tensor(Array.from({ length: 4099 }, (_, i) => Math.sin(i))).to("webgpu");
      const chain = (t: Tensor) => t.mul(1.5).add(0.25).tanh().mul(2).sigmoid().sub(0.5).abs().add(1).sqrt().neg();
      const want = await chain(x).data();
      const run = async () => {
        const y = tidy(() => chain(x));
        const got = await y.data();
        y.dispose();
        return got;
      };
      const first = await run();
      const bad = want.findIndex((v, i) => v !== first[i]);
      if (bad >= 0) throw new Error(`element ${bad}: tidy ${first[bad]}, plain ${want[bad]}`);
      const created = be.poolStats().created;
      for (let i = 0; i < 20; i++) await run();
      const more = be.poolStats().created - created;
      if (more > 0) throw new Error(`20 tidy iterations created ${more} buffers (the scope's buffers should be reused)`);
    },
  ],
  [
    "jit: a compiled training step gives its intermediates and updates back at once (no new buffers per step) and trains as eager does",
    async () => {
      // The step clears the gradients after the update, so none outlives it: a .grad left set is
      // the caller's to read, and (as eagerly) goes when the next step replaces it and V8 collects it.
      const be = webgpuBackend()!;
      const prev = getDefaultBackend().name;
      setDefaultBackend("webgpu");
      try {
        const train = (compiled: boolean) => {
          manualSeed(3);
          const model = nn.sequential(nn.linear(24, 48), nn.gelu(), nn.layerNorm(48), nn.linear(48, 7));
          const opt = optim.adam(model.parameters(), { lr: 1e-2 });
          const update = trainingStep(model, opt, nn.crossEntropy);
          const step = (x: Tensor, y: Tensor) => {
            const loss = update(x, y);
            opt.zeroGrad();
            return loss;
          };
          return compiled ? jit(step, { name: "pool_step" }) : step;
        };
        const x = randn([12, 24]),
          y = tensor(
            Array.from({ length: 12 }, (_, i) => (i * 5) % 7),
            { dtype: "int32" },
          );
        const losses = async (compiled: boolean, steps: number, from: () => void) => {
          const run = train(compiled);
          const out: number[] = [];
          for (let s = 0; s < steps; s++) {
            if (s === 3) from();
            const l = run(x, y);
            out.push(await l.item());
            l.dispose();
          }
          return out;
        };
        let created = 0;
        const jitted = await losses(true, 23, () => (created = be.poolStats().created));
        const more = be.poolStats().created - created;
        if (more > 0) throw new Error(`20 compiled steps created ${more} buffers (each step's should come back to the pool)`);
        const eager = await losses(false, 23, () => undefined);
        const bad = eager.findIndex((v, i) => !(Math.abs(v - jitted[i]) <= 1e-4 * Math.max(1, Math.abs(v))));
        if (bad >= 0) throw new Error(`step ${bad}: jit loss ${jitted[bad]}, eager ${eager[bad]}`);
      } finally {
        setDefaultBackend(prev);
      }
    },
  ],
  [
    "device loss is reported and the next initWebGPU starts a fresh device",
    async () => {
      const be = webgpuBackend()!;
      const t = tensor([1, 2, 3]).to("webgpu");
      be.device.destroy();
      await new Promise((r) => setTimeout(r, 50));
      if (be.lostReason === null) throw new Error("lostReason not set after destroy()");
      expectThrows(() => t.add(1), /device was destroyed.*run again/);
      const again = await initWebGPU({ makeDefault: false, gpu: be.handle.gpu });
      if (!again.ok) throw new Error(`re-init failed: ${again.reason}`);
      const fresh = webgpuBackend()!;
      if (fresh === be) throw new Error("initWebGPU returned the lost backend");
      const y = await tensor([1, 2, 3]).to("webgpu").mul(2).data();
      if (y[2] !== 6) throw new Error(`fresh device computed ${y[2]}, want 6`);
    },
  ],
];

/** Run the infrastructure checks (the last one replaces the device). */
export async function runInfraChecks(log: (l: string) => void): Promise<CaseResult[]> {
  return runNamedChecks("infra", CHECKS, log, { prefix: "infra: " });
}
