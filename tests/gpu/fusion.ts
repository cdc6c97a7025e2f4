/**
 * Fused kernels on WebGPU: jit with the fusion pass runs each fused region as one generated
 * kernel, and gives what eager gives. Dispatches are counted from `kernel` events (counts, never
 * timings, are asserted).
 */
import { runNamedChecks, type CaseResult, type NamedCheck } from "./compare";
import { getDefaultBackend, setDefaultBackend } from "../../src/lib/backend/registry";
import { manualSeed, randn, randint, tensor } from "../../src/lib/ops/creation";
import { jit } from "../../src/lib/graph/jit";
import { onEvent } from "../../src/lib/events";
import * as nn from "../../src/lib/nn";
import * as optim from "../../src/lib/optim";
import type { Optimizer } from "../../src/lib/optim/optimizer";
import type { Tensor } from "../../src/lib/tensor/tensor";
import { trainingStep } from "./training-step";
import { where } from "../../src/lib/ops/functional";
import { fusedElementwiseShader } from "../../src/lib/backend/webgpu/kernels/fused";
import { MATMUL_VARIANT } from "../../src/lib/backend/webgpu/kernels/matmul";

type Check = NamedCheck;

/** Dispatches and pipeline WGSL seen while `fn` runs (and its reads finish). */
export async function watch<T>(fn: () => Promise<T>): Promise<{ value: T; dispatches: string[]; wgsl: Map<string, string> }> {
  const dispatches: string[] = [];
  const wgsl = new Map<string, string>();
  const off = onEvent((e) => {
    if (e.type === "kernel" && e.phase === "dispatch") dispatches.push(e.kernel);
    if (e.type === "kernel" && e.phase === "pipeline") wgsl.set(e.kernel, e.wgsl);
  });
  try {
    return { value: await fn(), dispatches, wgsl };
  } finally {
    off();
  }
}

/** False on Dawn's null device (`--f16-native`): kernels are built there but never run. */
let compareValues = true;

export function close(name: string, got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-4): void {
  if (!compareValues) return;
  if (got.length !== want.length) throw new Error(`${name}: ${got.length} values, want ${want.length}`);
  for (let i = 0; i < got.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol + tol * Math.abs(want[i])) && !(Number.isNaN(got[i]) && Number.isNaN(want[i])))
      throw new Error(`${name}: element ${i} is ${got[i]}, want ${want[i]}`);
  }
}

/** Run `fn` eagerly and under jit (second call, after tracing); compare; return the jit call's dispatches. */
async function eagerVsJit(name: string, fn: (...xs: Tensor[]) => Tensor, args: Tensor[], tol = 1e-4): Promise<string[]> {
  const want = await fn(...args).data();
  const f = jit(fn, { name });
  await f(...args).data();
  const { value: got, dispatches } = await watch(() => f(...args).data());
  close(name, got as ArrayLike<number>, want as ArrayLike<number>, tol);
  return dispatches;
}

/**
 * Four steps of a 12→16→3 MLP with cross-entropy, eagerly or under jit (as `name`), from seed
 * `seed`: each step's loss, the last step's dispatches, and then the values of the parameters and
 * of the tensors `held` took from the model before the first step.
 */
async function mlpSteps(
  compiled: boolean,
  seed: number,
  name: string,
  optimizer: (params: Tensor[]) => Optimizer,
  held: (model: nn.Module) => Tensor[] = () => [],
): Promise<{ losses: number[]; dispatches: string[]; weights: number[][] }> {
  manualSeed(seed);
  const model = nn.sequential(nn.linear(12, 16), nn.relu(), nn.linear(16, 3));
  const opt = optimizer(model.parameters());
  const x = randn([8, 12]),
    y = tensor([0, 1, 2, 0, 1, 2, 0, 1], { dtype: "int32" });
  const step = trainingStep(model, opt, nn.crossEntropy);
  const f = compiled ? jit(step, { name }) : step;
  const kept = held(model);
  const losses: number[] = [];
  let dispatches: string[] = [];
  for (let i = 0; i < 4; i++) {
    const { value, dispatches: d } = await watch(() => f(x, y).item());
    losses.push(value);
    dispatches = d;
  }
  const weights = await Promise.all([...model.parameters(), ...kept].map(async (p) => Array.from(await p.data(), Number)));
  return { losses, dispatches, weights };
}

const chain = (x: Tensor) => x.mul(1.5).add(0.25).tanh().mul(2).sigmoid().sub(0.5).abs().add(1).sqrt().neg();

/**
 * Train a one-layer model (linear(inF, outF), batch `batch`, MSE, SGD) three steps eagerly and
 * under jit; compare losses, weights and gradients; return the jit step's dispatches. The weight
 * gradient dyᵀ·x is [outF, batch]·[batch, inF]: the sizes pick the matmul kernel.
 */
async function sgdStep(inF: number, outF: number, batch: number, dtype: "float32" | "float16" = "float32"): Promise<string[]> {
  const run = async (compiled: boolean) => {
    manualSeed(21);
    const model = nn.linear(inF, outF).to(dtype);
    const opt = optim.sgd(model.parameters(), { lr: 0.1 });
    const x = randn([batch, inF]).to(dtype),
      y = randn([batch, outF]).to(dtype);
    const step = trainingStep(model, opt, nn.mse);
    const f = compiled ? jit(step, { name: "sgd_step" }) : step;
    const losses: number[] = [];
    let dispatches: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { value, dispatches: d } = await watch(() => f(x, y).item());
      losses.push(value);
      dispatches = d;
    }
    const state = await Promise.all(
      model
        .parameters()
        .flatMap((p) => [p, p.grad!])
        .map(async (t) => Array.from(await t.data(), Number)),
    );
    return { losses, dispatches, state };
  };
  const eager = await run(false),
    graph = await run(true);
  const at = `linear(${inF}, ${outF}), batch ${batch}, ${dtype}`;
  const tol = dtype === "float16" ? HALF_TOL : 1e-4;
  close(`${at} losses`, graph.losses, eager.losses, tol);
  graph.state.forEach((w, i) => close(`${at} ${i % 2 ? "gradient" : "parameter"} ${i >> 1}`, w, eager.state[i], tol));
  return graph.dispatches;
}

const CHECKS: Check[] = [
  [
    "fused: a 10-op elementwise chain under jit is one dispatch and matches eager",
    async () => {
      const x = randn([1000, 37]);
      const d = await eagerVsJit("chain", chain, [x]);
      const kernels = d.filter((k) => !k.startsWith("copy") && !k.startsWith("fill"));
      if (kernels.length !== 1 || !kernels[0].startsWith("fused:")) throw new Error(`dispatches: ${d.join(", ")}`);
    },
  ],
  [
    "fused: matmul + bias + relu under jit is one dispatch and matches eager (tiled and small kernels)",
    async () => {
      for (const [m, k, n] of [
        [70, 33, 65],
        [3, 20, 17],
      ]) {
        const x = randn([m, k]),
          w = randn([k, n]),
          b = randn([n]);
        const d = await eagerVsJit("linear_relu", (x, w, b) => x.matmul(w).add(b).relu(), [x, w, b]);
        if (d.length !== 1 || !d[0].includes("epi+add+relu")) throw new Error(`${m}×${k}×${n}: dispatches ${d.join(", ")}`);
      }
      // bias first, a column bias, and an activation alone
      const x = randn([40, 24]),
        w = randn([24, 36]),
        col = randn([40, 1]);
      const d = await eagerVsJit("bias_first", (x, w, c) => c.add(x.matmul(w)).tanh(), [x, w, col]);
      if (d.length !== 1) throw new Error(`column bias: dispatches ${d.join(", ")}`);
      await eagerVsJit("act_only", (x, w) => x.matmul(w).sigmoid(), [x, w]);
    },
  ],
  [
    "fused: a matmul epilogue that reads other tensors (a relu mask, a residual, a transposed one, a batch's residual, a bool mask) is one dispatch and matches eager",
    async () => {
      for (const [m, k, n] of [
        [64, 12, 32],
        [5, 7, 9],
      ]) {
        const g = randn([m, k]),
          w = randn([k, n]),
          h = randn([m, n]),
          r = randn([n, m]);
        const mask = await eagerVsJit("relu_mask", (g, w, h) => g.matmul(w).mul(h.gt(0).cast("float32")), [g, w, h]);
        if (mask.length !== 1 || !mask[0].includes("epi+gt+cast+mul")) throw new Error(`${m}×${k}×${n} mask: dispatches ${mask.join(", ")}`);
        const res = await eagerVsJit("residual", (g, w, h, r) => g.matmul(w).add(h).mul(r.transpose(0, 1)).tanh(), [g, w, h, r]);
        if (res.length !== 1) throw new Error(`${m}×${k}×${n} residual: dispatches ${res.join(", ")}`);
        // A batch of activations times one weight, with a bias and a residual that varies over the
        // batch (a Transformer block's projection): one 2-D product of batch·rows, one dispatch.
        const x = randn([3, m, k]),
          b = randn([n]),
          res3 = randn([3, m, n]);
        const proj = await eagerVsJit("batched_residual", (x, w, b, res3) => x.matmul(w).add(b).add(res3), [x, w, b, res3]);
        if (proj.length !== 1 || !proj[0].startsWith("matmul")) throw new Error(`${m}×${k}×${n} batched residual: dispatches ${proj.join(", ")}`);
        // Batch dims that do not run into the rows (a permuted activation), or a B that varies per
        // batch: the same values (the epilogue may run on its own).
        await eagerVsJit(
          "batched_permuted",
          (x, w, b, res3) =>
            x
              .permute([1, 0, 2])
              .matmul(w)
              .add(b)
              .add(res3.permute([1, 0, 2])),
          [x, w, b, res3],
        );
        await eagerVsJit("batched_b", (x, w3, res3) => x.matmul(w3).add(res3), [x, randn([3, k, n]), res3]);
      }
      // Attention's scores: a batch of q·kᵀ, scaled, a bool causal mask (broadcast over the batch)
      // choosing a large negative score: the mask binds as u32 in the product's epilogue, one dispatch.
      const [q, kk] = [randn([2, 3, 6, 4]), randn([2, 3, 6, 4])];
      const causal = randn([6, 6]).gt(0);
      const scores = await eagerVsJit("masked_scores", (q, kk, causal) => where(causal, q.matmul(kk.transpose(-2, -1)).mul(0.5), -1e4), [q, kk, causal]);
      if (scores.length !== 1 || !scores[0].includes("E0:u32")) throw new Error(`masked scores: dispatches ${scores.join(", ")}`);
    },
  ],
  [
    "fused: independent column sums and elementwise groups run as one multi-output kernel (and member by member past rank 2) and match eager",
    async () => {
      const a = randn([5]),
        g = randn([70, 5]),
        h = randn([33, 5]);
      const m = jit((a: Tensor, g: Tensor, h: Tensor) => [a.mul(0.5).add(1), g.sum(0), h.transpose(0, 1).sum(1)], { name: "multi3" });
      const want = [a.mul(0.5).add(1), g.sum(0), h.transpose(0, 1).sum(1)];
      await Promise.all(m(a, g, h).map((t) => t.data()));
      const { value: got, dispatches } = await watch(() => Promise.all(m(a, g, h).map((t) => t.data())));
      for (const [i, w] of want.entries()) close(`multi output ${i}`, got[i] as ArrayLike<number>, (await w.data()) as ArrayLike<number>);
      if (dispatches.length !== 1 || !dispatches[0].startsWith("fused-multi")) throw new Error(`dispatches ${dispatches.join(", ")}`);
      // Calls alternating between layouts of the same shapes (a transposed view, one buffer passed
      // twice): kernel plans are remembered per region and input layout (fused-multi.ts), and no
      // call may run another layout's plan.
      const gT = randn([5, 70]).transpose(0, 1),
        hh = randn([33, 5]);
      for (const [call, [gg, h2]] of [
        [g, h],
        [gT, hh],
        [g, h],
        [gT, hh],
        [hh.narrow(0, 0, 33), hh],
      ].entries()) {
        const outs = m(a, gg, h2);
        const wants = [a.mul(0.5).add(1), gg.sum(0), h2.transpose(0, 1).sum(1)];
        for (const [i, w] of wants.entries())
          close(`multi output ${i}, call ${call}`, (await outs[i].data()) as ArrayLike<number>, (await w.data()) as ArrayLike<number>);
      }
      // Members longer than the grid (several strides per thread) and members starting at
      // offsets that are no multiple of its width: each member has its own grid-stride loop.
      const big = randn([10007]),
        cols = randn([70, 301]),
        mid = randn([5003]);
      const wide = jit((b: Tensor, c: Tensor, d: Tensor) => [b.mul(3).sub(1), c.sum(0), d.abs().add(2), c.mul(0.5)], { name: "multi_wide" });
      const wantWide = [big.mul(3).sub(1), cols.sum(0), mid.abs().add(2), cols.mul(0.5)];
      await Promise.all(wide(big, cols, mid).map((t) => t.data()));
      const { value: gotWide, dispatches: dWide } = await watch(() => Promise.all(wide(big, cols, mid).map((t) => t.data())));
      for (const [i, w] of wantWide.entries()) close(`wide multi output ${i}`, gotWide[i] as ArrayLike<number>, (await w.data()) as ArrayLike<number>);
      // One kernel: the scalar constants are literals in its code, binding no buffer.
      if (dWide.length !== 1 || !dWide[0].startsWith("fused-multi")) throw new Error(`wide: dispatches ${dWide.join(", ")}`);
      // A captured tensor written with its own sum, beside another sum (fuzz seed 3775): the sum
      // is no in-place member, and its input stays bound.
      const c1 = tensor([[[-0.76]]]);
      const own = jit(
        (x: Tensor) => {
          const s = c1.sum(0, true);
          c1.copy_(s);
          return [x.mean(0).transpose(1, 0).sum(), c1.sum()];
        },
        { name: "multi_own_sum" },
      );
      const xs = randn([3, 1, 1]);
      const wantOwn = [xs.mean(0).transpose(1, 0).sum(), c1.sum()];
      for (let call = 0; call < 2; call++) {
        const got = own(xs);
        for (const [i, w] of wantOwn.entries())
          close(`own-sum output ${i} (call ${call})`, (await got[i].data()) as ArrayLike<number>, (await w.data()) as ArrayLike<number>);
      }
      // A member reading a rank-3 strided view: the kernel runs its members one by one, same values.
      const x3 = randn([4, 6, 5]).permute([2, 0, 1]);
      const r = jit((x: Tensor, a: Tensor) => [x.mul(2).add(1), a.sum(0)], { name: "multi_rank3" });
      const [p, q] = r(x3, g);
      close("rank-3 member", (await p.data()) as ArrayLike<number>, (await x3.mul(2).add(1).data()) as ArrayLike<number>);
      close("rank-3 sibling", (await q.data()) as ArrayLike<number>, (await g.sum(0).data()) as ArrayLike<number>);
    },
  ],
  [
    "fused: broadcasting, non-contiguous inputs, comparisons, where and casts match eager",
    async () => {
      const a = randn([6, 1, 5]),
        b = randn([4, 1]),
        t = randn([5, 4]).transpose(0, 1);
      const f = (a: Tensor, b: Tensor, t: Tensor) => {
        const s = a.mul(b).add(t).exp();
        return where(s.gt(1), s.sub(1), s.neg()).mul(2).add(s.lt(0.5).cast("float32"));
      };
      await eagerVsJit("broadcast", f, [a, b, t]);
      const i = randint(-5, 5, [50]);
      await eagerVsJit("int", (i: Tensor) => i.mul(3).add(1).abs().cast("float32").sqrt().mul(0.5), [i]);
    },
  ],
  [
    "fused: the generated WGSL is cached by structure (same chain, new shape: no new pipeline)",
    async () => {
      const f = jit(chain, { name: "chain_shapes" });
      await f(randn([64])).data();
      const { wgsl } = await watch(() => f(randn([9, 11])).data());
      const fusedNew = [...wgsl.keys()].filter((k) => k.startsWith("fused:"));
      if (fusedNew.length) throw new Error(`compiled again for a new shape: ${fusedNew.join(", ")}`);
      const l = f.lower(randn([3]));
      const node = l.optimized.nodes.find((n) => n.op === "fused")!;
      const src = fusedElementwiseShader(node.regions![0])!.source();
      if (!/fn op9\(/.test(src) || !/tanhf/.test(src)) throw new Error("the WGSL does not inline the chain");
    },
  ],
  [
    "fused: an SGD update rides in its weight-gradient matmul (the kernel stores the gradient and overwrites the weight) on every matmul kernel, awkward sizes, and matches eager",
    async () => {
      // [m, k, n] of the weight gradient: vec4 with a transposed A, vec4 with a gathered A (M % 4 ≠ 0),
      // registers (K % 4 ≠ 0), thread per output (M ≤ 8); edges of every tile.
      // (linear(36, 64): threads along rows on a CPU adapter; linear(7, 1) and linear(1, 12): size-1 dims.)
      const shapes: [string, number, number, number][] = [
        ["v4", 20, 12, 8],
        ["v4", 20, 10, 8],
        ["v4", 36, 64, 8],
        ["reg", 18, 12, 10],
        ["small", 9, 5, 6],
        ["small", 7, 1, 5],
        ["small", 1, 12, 5],
      ];
      const tiled: [string, number, number, number][] = [
        ["matmul:", 18, 12, 10],
        ["matmul:", 20, 10, 8],
      ];
      const prev = { ...MATMUL_VARIANT };
      try {
        for (const [kernels, cases] of [
          [null, shapes],
          [{ kernel: "tiled" as const, vec4: false }, tiled],
        ] as const) {
          if (kernels) Object.assign(MATMUL_VARIANT, kernels);
          for (const [kernel, inF, outF, batch] of cases) {
            const d = await sgdStep(inF, outF, batch);
            const update = d.filter((k) => k.includes("epi+mul+sub") && k.includes(">v1,acc"));
            if (update.length !== 1 || (kernel !== "small" && !update[0].includes(kernel)) || (kernel === "small" && !update[0].startsWith("matmul-small")))
              throw new Error(`linear(${inF}, ${outF}), batch ${batch}: dispatches ${d.join(", ")}`);
            const copies = d.filter((k) => k.startsWith("copy"));
            if (copies.length) throw new Error(`linear(${inF}, ${outF}): the weight is copied back: ${copies.join(", ")}`);
          }
        }
      } finally {
        Object.assign(MATMUL_VARIANT, prev);
      }
      // The updated tensor is also the product's operand (w ← w − lr·(w·x)): not overwritten while
      // the product still reads it — the kernel stores elsewhere and the write-back copies.
      const run = async (compiled: boolean) => {
        manualSeed(22);
        const w = randn([20, 20]),
          x = randn([20, 20]),
          lr = tensor(0.05);
        const f = (x: Tensor) => {
          const g = w.matmul(x);
          w.sub_(g.mul(lr));
          return g;
        };
        const step = compiled ? jit(f, { name: "self_update" }) : f;
        for (let i = 0; i < 3; i++) await step(x).data();
        return Array.from(await w.data(), Number);
      };
      close("w ← w − lr·(w·x)", await run(true), await run(false), 1e-4);
    },
  ],
  [
    "fused: an MLP training step under jit matches eager on WebGPU (losses and weights), needs fewer dispatches and updates parameters in place",
    async () => {
      // A view of a parameter held across steps sees the updates, as it does eagerly.
      const run = (compiled: boolean) =>
        mlpSteps(
          compiled,
          3,
          "mlp",
          (ps) => optim.sgd(ps, { lr: 0.1 }),
          (model) => [model.parameters()[0].T],
        );
      const eager = await run(false),
        graph = await run(true);
      close("mlp losses", graph.losses, eager.losses, 1e-4);
      graph.weights.forEach((w, i) => close(`parameter ${i} after 4 steps`, w, eager.weights[i], 1e-4));
      if (!(graph.dispatches.length < eager.dispatches.length))
        throw new Error(`jit step ${graph.dispatches.length} dispatches, eager ${eager.dispatches.length}`);
      // The SGD updates overwrite the parameters: no copy for the write-back.
      const copies = graph.dispatches.filter((k) => k.startsWith("copy"));
      if (copies.length) throw new Error(`the jit step still copies its write-backs: ${copies.join(", ")}`);
    },
  ],
  [
    "fused: an Adam training step under jit matches eager on WebGPU, and each parameter's update is one kernel that stores its moments and its value",
    async () => {
      const run = (compiled: boolean) => mlpSteps(compiled, 5, "adam_step", (ps) => optim.adam(ps, { lr: 1e-2 }));
      const eager = await run(false),
        graph = await run(true);
      close("adam losses", graph.losses, eager.losses, 1e-4);
      graph.weights.forEach((w, i) => close(`parameter ${i} after 4 Adam steps`, w, eager.weights[i], 1e-4));
      // The update's √v̂ is inside a fused kernel: an op-by-op fallback (a multi-output kernel past
      // its bindings, interpreted) would dispatch it alone.
      const alone = graph.dispatches.filter((k) => /^ew:(sqrt|pow):/.test(k));
      if (alone.length) throw new Error(`the Adam update ran op by op: ${alone.join(", ")}`);
      // Multi-output fusion: each of the 4 parameters' moments and value in one kernel storing all three.
      const updates = graph.dispatches.filter((k) => k.startsWith("fused-multi:") && /=>(v\d+:\d+,){2}v\d+:\d+\|/.test(k));
      if (updates.length !== 4) throw new Error(`want 4 one-kernel parameter updates, got ${updates.length}: ${graph.dispatches.join(", ")}`);
      if (!(2 * graph.dispatches.length < eager.dispatches.length))
        throw new Error(`jit step ${graph.dispatches.length} dispatches, eager ${eager.dispatches.length}: want fewer than half`);
    },
  ],
];

/** One half step (2⁻¹⁰ relative): fused float16 kernels round each op's result as eager does. */
const HALF_TOL = 2e-3;

/** The fused kernels again with float16 tensors: f16 buffers where native, rounded f32 where emulated. */
const HALF_CHECKS: Check[] = [
  [
    "fused float16: the chain, matmul epilogues (bias + relu, a relu mask), a multi-output kernel and the SGD update in the weight-gradient matmul match eager",
    async () => {
      const h = (shape: number[]) => randn(shape).half();
      await eagerVsJit("half_chain", chain, [h([1000, 37])], HALF_TOL);
      for (const [m, k, n] of [
        [70, 33, 64],
        [70, 33, 65],
        [3, 20, 17],
      ]) {
        const d = await eagerVsJit("half_linear_relu", (x, w, b) => x.matmul(w).add(b).relu(), [h([m, k]), h([k, n]), h([n])], HALF_TOL);
        if (d.length !== 1 || !d[0].includes("f16")) throw new Error(`${m}×${k}×${n}: dispatches ${d.join(", ")}`);
      }
      await eagerVsJit("half_mask", (g, w, x) => g.matmul(w).mul(x.gt(0).cast("float16")), [h([64, 12]), h([12, 32]), h([64, 32])], HALF_TOL);
      const [a, g] = [h([5]), h([70, 5])];
      const m = jit((a: Tensor, g: Tensor) => [a.mul(0.5).add(1), g.sum(0)], { name: "half_multi" });
      const want = [a.mul(0.5).add(1), g.sum(0)];
      await Promise.all(m(a, g).map((t) => t.data()));
      const { value: got, dispatches } = await watch(() => Promise.all(m(a, g).map((t) => t.data())));
      for (const [i, w] of want.entries()) close(`half multi output ${i}`, got[i] as ArrayLike<number>, (await w.data()) as ArrayLike<number>, HALF_TOL);
      if (dispatches.length !== 1 || !dispatches[0].startsWith("fused-multi")) throw new Error(`multi: dispatches ${dispatches.join(", ")}`);
      for (const [inF, outF, batch] of [
        [20, 12, 8],
        [18, 12, 10],
        [9, 5, 6],
      ])
        await sgdStep(inF, outF, batch, "float16");
    },
  ],
];

/**
 * Run the fused-kernel checks with WebGPU as the default backend. `halfCompileOnly`: only the
 * float16 checks, without comparing values (Dawn's null device builds kernels but runs nothing).
 */
export async function runFusionChecks(log: (l: string) => void, options: { halfCompileOnly?: boolean } = {}): Promise<CaseResult[]> {
  const prev = getDefaultBackend().name;
  setDefaultBackend("webgpu");
  compareValues = !options.halfCompileOnly;
  try {
    return await runNamedChecks("fused", options.halfCompileOnly ? HALF_CHECKS : [...CHECKS, ...HALF_CHECKS], log, { before: () => manualSeed(11) });
  } finally {
    setDefaultBackend(prev);
    compareValues = true;
  }
}
