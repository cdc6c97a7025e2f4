/**
 * Lazy fusion of eager elementwise ops on WebGPU (src/lib/backend/webgpu/lazy.ts): each program
 * runs on the CPU backend and on WebGPU (lazy fusion on, and off) and must give the same values;
 * dispatch counts (never timings) say that chains became one kernel. The programs are the ways a
 * lazy value could be computed from the wrong data: its input written in place, disposed and its
 * buffer reused, read through a view, read by two ops, a host scalar changed after it was made.
 */
import { runNamedChecks, type CaseResult, type NamedCheck } from "./compare";
import { getBackend, getDefaultBackend, setDefaultBackend } from "../../src/lib/backend/registry";
import { manualSeed, tensor } from "../../src/lib/ops/creation";
import { where } from "../../src/lib/ops/functional";
import { noGrad } from "../../src/lib/ops/gradmode";
import { jit } from "../../src/lib/graph/jit";
import * as nn from "../../src/lib/nn";
import * as optim from "../../src/lib/optim";
import { tidy, type Tensor } from "../../src/lib/tensor/tensor";
import type { WebGpuBackend } from "../../src/lib/backend/webgpu/webgpu";
import { LAZY_TIERING, MAX_LAZY_NODES } from "../../src/lib/backend/webgpu/lazy";
import { trainingStep } from "./training-step";
import { close, watch } from "./fusion";
import { onEvent } from "../../src/lib/events";
import { flushGradNorms, NORMS_EVERY } from "../../src/lib/autodiff/backward";
import { COMPILED_STEP } from "../../src/lib/optim/optimizer";

type Program = () => Promise<number[][]>;
type Check = NamedCheck;

let seed = 1;
/**
 * A tensor of normal-ish values from a host generator reset before each run: the same numbers on
 * every backend (randn's are the same only to float precision, which later ops can amplify).
 */
function randn(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let u = 0;
    for (let k = 0; k < 4; k++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      u += seed / 2 ** 32;
    }
    data[i] = (u - 2) * 1.7;
  }
  return tensor(data, { shape });
}

/** Each result's values, read back. */
async function values(...ts: Tensor[]): Promise<number[][]> {
  const out: number[][] = [];
  for (const t of ts) out.push(Array.from((await t.data()) as ArrayLike<number>));
  return out;
}

/**
 * `program`'s results on `backend` (seeded the same each time), with WebGPU's lazy fusion on or
 * off. Every chain gets its own kernel at once (no tiering), unless `tiering` keeps the default.
 */
async function on(backend: "cpu" | "webgpu", program: Program, lazy = true, tiering = false): Promise<{ got: number[][]; dispatches: string[] }> {
  const gpu = getBackend("webgpu") as WebGpuBackend;
  const prev = getDefaultBackend().name;
  const wasLazy = gpu.lazyFusion,
    threshold = LAZY_TIERING.threshold;
  setDefaultBackend(backend);
  gpu.lazyFusion = lazy;
  if (!tiering) LAZY_TIERING.threshold = 0;
  seed = 1;
  manualSeed(5); // the layers' initial weights
  try {
    const { value, dispatches } = await watch(program);
    return { got: value, dispatches };
  } finally {
    gpu.lazyFusion = wasLazy;
    LAZY_TIERING.threshold = threshold;
    setDefaultBackend(prev);
  }
}

/** Runs `program` on the CPU, on WebGPU lazily and op by op; all three agree. Returns the lazy run's dispatches. */
async function agree(name: string, program: Program, tol = 1e-4): Promise<string[]> {
  const want = (await on("cpu", program)).got;
  const lazy = await on("webgpu", program);
  const direct = await on("webgpu", program, false);
  for (const [label, run] of [
    ["lazy", lazy.got],
    ["op by op", direct.got],
  ] as const) {
    if (run.length !== want.length) throw new Error(`${name} (${label}): ${run.length} results, want ${want.length}`);
    run.forEach((r, i) => close(`${name} (${label}) result ${i}`, r, want[i], tol));
  }
  return lazy.dispatches;
}

function expectCount(name: string, dispatches: readonly string[], want: number): void {
  if (dispatches.length !== want) throw new Error(`${name}: ${dispatches.length} dispatches (${dispatches.join(", ")}), want ${want}`);
}

const chain = (x: Tensor) => x.mul(1.5).add(0.25).tanh().mul(2).sigmoid().sub(0.5).abs().add(1).sqrt().neg();

const CHECKS: Check[] = [
  [
    "views a reshape materializes (permutes of rank 2 to 4, a narrowed transpose, a broadcast, attention's head merge) match the CPU; on a CPU adapter each copy is a thread per row",
    async () => {
      const program: Program = async () => {
        const heads = randn([16, 4, 32, 8]).permute([0, 2, 1, 3]).reshape([16, 32, 32]);
        const cube = randn([7, 5, 3]).permute([2, 0, 1]).reshape([15, 7]);
        const wide = randn([33, 17]).T.reshape([17 * 33]);
        const narrowed = randn([9, 12]).narrow(1, 1, 7).T.reshape([63]);
        const spread = randn([3, 1, 5]).expand(3, 4, 5).reshape([60]);
        const rank4 = randn([2, 3, 4, 5]).permute([3, 1, 0, 2]).reshape([5, 24]);
        return values(heads, cube, wide, narrowed, spread, rank4);
      };
      const dispatches = await agree("copies", program);
      const copies = dispatches.filter((k) => k.startsWith("copy:"));
      if (copies.length < 6) throw new Error(`copies: ${copies.length} copy kernels (${dispatches.join(", ")}), want 6`);
      const cpuAdapter = (getBackend("webgpu") as WebGpuBackend).features.cpuAdapter;
      if (copies.some((k) => k.endsWith("rows") !== cpuAdapter))
        throw new Error(`copies: ${copies.join(", ")} (${cpuAdapter ? "a CPU adapter: rows" : "a GPU: an element per thread"})`);
    },
  ],
  [
    "counts that are not a multiple of four (1, 2, 3, 5, 7, 1001) run the four-at-a-time kernels, single ops and chains, and give exactly their elements: the last vec4 goes to the buffer's padding",
    async () => {
      const program: Program = async () => {
        const out: Tensor[] = [];
        for (const n of [1, 2, 3, 5, 7, 1001]) {
          const x = randn([n]),
            y = randn([n]);
          out.push(x.add(y), x.mul(1.5).add(y).tanh().neg(), x.sub(tensor(0.25)));
        }
        return values(...out);
      };
      const dispatches = await agree("odd counts", program);
      for (const kind of ["ew:", "fused:"])
        if (!dispatches.some((k) => k.startsWith(kind) && k.split("|")[0].endsWith(":v4")))
          throw new Error(`odd counts: no four-at-a-time ${kind} kernel (${dispatches.join(", ")})`);
    },
  ],
  [
    "rows of a multiple of four elements run four at a time with rank-2 operands: a value per row (b), rows read as vec4s (r: a bias down the rows, a view of every other row), single ops and chains; other layouts fall back",
    async () => {
      const program: Program = async () => {
        const x = randn([6, 2, 8]).narrow(1, 1, 1).squeeze(1); // [6, 8], rows 16 apart from offset 8
        const mean = randn([6, 1]),
          rstd = randn([6, 1]).abs(),
          w = randn([8]),
          bias = randn([8]);
        const wide = randn([700, 36]),
          perRow = randn([700, 1]),
          perCol = randn([36]);
        const shifted = randn([13]).narrow(0, 1, 12); // offset 1: not vec4 rows
        return values(
          x.sub(mean).mul(rstd).mul(w).add(bias), // a layer norm's last steps: b, b, r, r
          x.mul(mean), // one op: r and b
          wide.add(perCol),
          wide.mul(perRow).sub(perCol).tanh(), // over more than one pass of the grid
          randn([5, 12]).add(shifted),
          randn([6, 6]).add(randn([6, 1])), // rows of 6: the element-by-element kernel
        );
      };
      const dispatches = await agree("vec4 rows", program);
      const kinds = dispatches.filter((k) => k.split("|")[0]!.endsWith(":v4")).map((k) => k.split("|")[0]!.split(":").at(-2)!);
      if (!kinds.some((k) => k.includes("b")) || !kinds.some((k) => k.includes("r")))
        throw new Error(`vec4 rows: no four-at-a-time kernel with a per-row (b) and a vec4-row (r) operand (${dispatches.join(", ")})`);
    },
  ],
  [
    "strided operands of rank 2 and 3 (transposes, permutes, broadcasts, narrowed views) in single ops and chains match the CPU over index spaces many times the grid, with the sizes' remainders wrapping at every dim",
    async () => {
      const program: Program = async () => {
        const t2 = randn([37, 23]).T; // [23, 37]
        const wide = randn([130, 257]).T; // [257, 130]: far more elements than one pass of the grid
        const rows = randn([1, 300]).expand(33, 300);
        const cols = randn([33, 1]);
        const narrowed = randn([40, 50]).narrow(1, 3, 41).T; // [41, 40]
        const t3 = randn([5, 7, 9]).permute([2, 0, 1]); // [9, 5, 7]
        const big3 = randn([19, 3, 61]).permute([1, 2, 0]); // [3, 61, 19]
        const spread3 = randn([6, 1, 11]).expand(6, 13, 11);
        return values(
          t2.add(randn([23, 37])),
          t2
            .mul(1.5)
            .add(randn([23, 37]))
            .tanh(),
          wide.sub(randn([257, 130])),
          wide.mul(wide).add(0.5).sqrt(),
          rows.add(cols),
          rows.mul(cols).sub(rows).abs(),
          narrowed.neg(),
          narrowed.mul(narrowed).add(1),
          t3.mul(randn([9, 5, 7])),
          t3
            .mul(randn([9, 5, 7]))
            .add(t3)
            .exp(),
          big3.add(randn([3, 61, 19])),
          big3
            .mul(0.5)
            .sub(randn([3, 61, 19]))
            .tanh(),
          spread3.add(randn([13, 1])),
          spread3
            .mul(randn([13, 1]))
            .add(1)
            .abs(),
        );
      };
      const dispatches = await agree("strided operands", program);
      // The chains' kernels read views of rank 2 and 3 (their kinds, literals left out of the key).
      const kinds = dispatches
        .filter((k) => k.startsWith("fused:"))
        .map((k) =>
          k
            .split("|")[0]
            .split(":")[2]
            .replace(/=[0-9a-f]{8}/g, ""),
        );
      for (const rank of ["2", "3"])
        if (!kinds.some((k) => k.includes(rank))) throw new Error(`strided operands: no chain kernel reads a rank-${rank} view (${dispatches.join(", ")})`);
    },
  ],
  [
    "0 × ∞ is NaN in a chain, eager and under jit (a 0 in code would let the shader compiler fold it to 0: fuzz seed 921)",
    async () => {
      await agree("zero literal", async () => {
        const x = tensor([Infinity, -Infinity, NaN, 2]);
        const zero = x.mul(0).add(1);
        const folded = tensor([0, 0, 0, 0]).add(tensor(0)).mul(x);
        const f = jit((a: Tensor) => a.mul(0).sub(a.mul(-0)), { name: "zero literal" });
        return values(zero, folded, f(x), f(x));
      });
    },
  ],
  [
    "a 10-op chain is one kernel, its scalars written into the code",
    async () => {
      const wgsl: string[] = [];
      const d = await agree("chain", async () => {
        const x = randn([4099]);
        const { value, wgsl: w } = await watch(() => values(chain(x)));
        wgsl.push(...w.values());
        return value;
      });
      expectCount("chain", d, 1);
      // (Compiled once: a later suite run in the same page finds the pipeline built.)
      const fused = wgsl.find((w) => w.includes("The region eager mul→add→tanh"));
      if (fused && !fused.includes("bitcast<f32>(0x3fc00000u)")) throw new Error("chain: 1.5 is not a literal in the fused kernel");
    },
  ],
  [
    "a small chain runs op by op until it has run often enough to be worth its own kernel, then as one",
    async () => {
      const { got } = await on(
        "webgpu",
        async () => {
          const x = randn([100]);
          const counts: number[] = [];
          // Runs until the chain's kernel is in use, then three more: browsers build it off the
          // thread, which takes a while on a busy SwiftShader, so the runs before it vary in number.
          for (let fused = 0, t0 = performance.now(); fused < 4 && performance.now() - t0 < 90_000;) {
            const { dispatches } = await watch(() => values(x.mul(1.25).add(0.5).exp()));
            counts.push(dispatches.length);
            if (dispatches.length === 1) fused++;
            else if (fused > 0) break; // back to op by op: the check below names it
            if (counts.length > 20) await new Promise((r) => setTimeout(r, 50));
          }
          return [counts];
        },
        true,
        true,
      );
      const counts = got[0];
      const first = counts.indexOf(1);
      // Each run adds 2 × (100 + dispatchElements) of work; the build starts when it reaches the threshold.
      const runsBefore = Math.ceil(LAZY_TIERING.threshold / (2 * (100 + LAZY_TIERING.dispatchElements)));
      const ok = counts[0] === 3 && first >= runsBefore && counts.slice(0, first).every((c) => c === 3) && counts.slice(first).every((c) => c === 1);
      if (!ok) throw new Error(`dispatches per run: ${counts.join(" ")}; want 3 for at least ${runsBefore} runs, then 1 from then on`);
    },
  ],
  [
    "an input written in place after a lazy op read it: the lazy value has the old data",
    async () => {
      await agree("in place", async () => {
        const x = tensor([1, 2, 3, 4]);
        const y = x.mul(2).add(1);
        x.add_(10);
        const z = x.mul(3);
        x.copy_(tensor([0, 0, 0, 0]));
        return values(y, z, x);
      });
    },
  ],
  [
    "an input disposed before its lazy reader is computed: the buffer is not reused under it",
    async () => {
      await agree("disposed input", async () => {
        const a = randn([5000]);
        const keep = await a.data();
        const y = a.mul(3).add(1);
        a.dispose();
        // New tensors of the same size would take a's buffer if it had gone back to the pool.
        const b = tensor(Float32Array.from(keep, (v) => -v));
        const c = b.add(0);
        return [...(await values(y, c)), Array.from(keep)];
      });
    },
  ],
  [
    "a tidy scope's lazy intermediates are never computed; its result is",
    async () => {
      const d = await agree("tidy", async () => {
        const x = randn([2048]);
        const y = tidy(() => chain(chain(x)));
        return values(y, x);
      });
      expectCount("tidy", d, 1);
    },
  ],
  [
    "lazy values read through views (transpose, broadcast, narrow) are computed first",
    async () => {
      await agree("views", async () => {
        const a = randn([6, 5]);
        const t = a.add(1).transpose(0, 1).mul(2);
        const rowSums = a.sum(1, true).add(1); // [6, 1], broadcast over columns
        const b = a.mul(rowSums).sub(a.exp());
        const n = a.square().narrow(1, 1, 3).add(0.5);
        return values(t, b, n);
      });
    },
  ],
  [
    "a lazy value read through a reshape is computed first (fuzz seed 187: a flipped copy, reshaped, doubled in place, under jit)",
    async () => {
      await agree("reshape", async () => {
        const f = (x0: Tensor) => {
          const v1 = x0.reshape([3, 1]);
          const v2 = x0.flip(0);
          noGrad(() => x0.copy_(v2));
          noGrad(() => v1.mul_(2));
          return [v2.max()];
        };
        const x0 = tensor([1, 1.55, 0.48]);
        const r = jit(f, { name: "lazy reshape" })(x0);
        const eager = tensor([1, 1.55, 0.48]);
        const e = f(eager);
        const y = randn([4, 6]).exp();
        return values(...r, x0, ...e, eager, y.reshape([24]).add(1), y.reshape([6, 4]).mul(y.reshape([6, 4])));
      });
    },
  ],
  [
    "a value two ops read is computed once, and both read it",
    async () => {
      const d = await agree("two readers", async () => {
        const a = randn([300]);
        const e = a.exp();
        const b = e.add(1);
        const c = e.mul(2);
        return values(b, c, e);
      });
      expectCount("two readers", d, 3); // e, then b and c reading it
    },
  ],
  [
    `a chain longer than ${MAX_LAZY_NODES} ops, and one reading more buffers than a kernel binds, are split`,
    async () => {
      await agree("long and wide", async () => {
        let x = randn([257]);
        for (let i = 0; i < 2 * MAX_LAZY_NODES + 5; i++) x = i % 2 ? x.mul(0.97) : x.add(0.01);
        const parts = Array.from({ length: 11 }, () => randn([257]));
        const wide = parts.reduce((s, p) => s.add(p.mul(1.1)));
        const sq = randn([16, 16]);
        const mixed = sq.mul(sq.transpose(0, 1)).add(sq.exp()); // one storage through two views
        return values(x, wide, mixed);
      });
    },
  ],
  [
    "int32, bool, where and casts wait in chains and give the CPU's values",
    async () => {
      await agree("dtypes", async () => {
        const x = randn([500]);
        const i = x.mul(10).cast("int32");
        const j = i.mul(3).sub(7).div(2);
        const m = x.gt(0).logicalAnd(i.ne(0));
        const w = where(m, x.mul(2), x.neg().exp());
        return values(j, m, w, w.cast("int32").add(i));
      });
    },
  ],
  [
    "float16 chains round each op's result to a half, as op by op",
    async () => {
      await agree(
        "float16",
        async () => {
          const x = randn([700]).cast("float16");
          return values(x.mul(1.37).add(0.3).exp().sub(1.2).mul(x).cast("float32"));
        },
        1e-3,
      );
    },
  ],
  [
    "a one-element tensor changed in place is not written into code with its first value",
    async () => {
      await agree("host scalar", async () => {
        const s = tensor(5);
        const x = randn([40]);
        const before = x.mul(s);
        s.add_(1);
        const after = x.mul(s);
        return values(before, after);
      });
    },
  ],
  [
    "a jit step writing a parameter in place leaves a lazy value made before it with the old parameter",
    async () => {
      await agree("jit write-back", async () => {
        const model = nn.linear(4, 3);
        const opt = optim.sgd(model.parameters(), { lr: 0.5 });
        const step = jit(
          trainingStep(model, opt, (out: Tensor, y: Tensor) => out.sub(y).square().mean()),
          { name: "lazy write-back" },
        );
        const x = randn([5, 4]),
          y = randn([5, 3]);
        const w = model.parameters()[0];
        const seen = w.mul(2).add(1);
        await step(x, y).data();
        const seen2 = w.mul(2);
        await step(x, y).data();
        return values(seen, seen2, w);
      });
    },
  ],
  [
    "copy_ of a chain computes it straight into the tensor (one kernel, no copy), and every value read before or after keeps its own data",
    async () => {
      // The simple case: one kernel that reads x and writes x. (A part of the chain that reads x
      // itself, as x.mul(2) in x.mul(2).add(y), is a value of its own that is computed first.)
      const d = await agree("copy_ in place", async () => {
        const x = randn([4099]),
          y = randn([4099]);
        x.copy_(x.add(y.mul(2).exp()));
        return values(x);
      });
      if (d.filter((k) => k.includes("@0")).length !== 1 || d.some((k) => k.startsWith("copy")))
        throw new Error(`copy_ in place: dispatches ${d.join(", ")}, want one in-place kernel and no copy`);
      // What may read the old or the new data, around such writes.
      await agree("copy_ in place, readers", async () => {
        const x = randn([64]),
          y = randn([64]);
        const before = x.mul(3); // a lazy value reading x, made before the write
        const inner = x.mul(2); // part of the chain written into x, and kept
        const value = inner.add(y); // the chain; it stands for x's new data afterwards
        const twice = value.mul(-1); // a lazy reader of the chain, made before the write
        x.copy_(value);
        const after = [value.add(1), value.mul(value), value.sub(x)]; // readers of the alias, several at once
        const product = value.reshape([8, 8]).matmul(y.reshape([8, 8])); // a kernel that binds it
        x.copy_(y.sub(x)); // x written again: everything above keeps the data it was made from
        y.mul_(0.5).add_(x); // and y, which the chains read
        return values(before, inner, value, twice, ...after, product, x, y);
      });
      // The write into x of a chain that is itself an alias, and of x's own alias.
      await agree("copy_ of an alias", async () => {
        const x = randn([32]),
          z = randn([32]);
        const v = x.add(1);
        z.copy_(v); // v stands for z's data
        x.copy_(v.mul(2)); // a chain reading the alias into x
        const w = z.mul(1);
        z.copy_(w); // z's own alias chain into z
        return values(v, x, w, z);
      });
    },
  ],
  [
    "a disposed lazy value is not computed when its input is written; the values that read it are, with the old data",
    async () => {
      const d = await agree("disposed reader", async () => {
        const x = randn([4099]),
          y = randn([4099]);
        await values(x, y);
        const inner = x.mul(2);
        const kept = inner.add(y); // reads x through inner
        inner.dispose();
        x.copy_(y.exp()); // a kernel writing x: kept is computed first, inner never on its own
        const inner2 = x.mul(3);
        const next = inner2.add(1);
        inner2.dispose();
        x.copy_(next); // the chain through a disposed part, in place: one kernel
        return values(kept, x);
      });
      if (d.some((k) => /^ew:mul/.test(k)) || d.filter((k) => k.includes("@0")).length !== 1)
        throw new Error(`disposed reader: dispatches ${d.join(", ")}: a disposed value was computed on its own, or the last write was not one in-place kernel`);
    },
  ],
  [
    "copy_ of a chain that reads the tensor through another view, or into part of a tensor, copies as before",
    async () => {
      await agree("copy_ through views", async () => {
        const a = randn([6, 6]);
        a.copy_(a.transpose(0, 1).mul(2)); // reads elements others write first
        const b = randn([6, 6]);
        b.copy_(b.narrow(0, 0, 1).add(1)); // a broadcast row of itself
        const c = randn([6, 6]);
        c.narrow(0, 2, 2).copy_(c.narrow(0, 0, 2).mul(3)); // into a part
        const d = randn([6, 6]);
        d.copy_(d.sum(0, true).add(d)); // a reduction of itself, then the chain
        const e = randn([6]);
        e.copy_(tensor(2).mul(3)); // a broadcast scalar chain
        const f = tensor([1, 2, 3], { dtype: "int32" });
        f.copy_(f.mul(2).add(1)); // int32
        return values(a, b, c, d, e, f);
      });
    },
  ],
  [
    "an eager Adam step updates each state tensor in place and computes nothing left over from the step before",
    async () => {
      const program = async () => {
        const model = nn.sequential(nn.linear(300, 40), nn.relu(), nn.linear(40, 3));
        const opt = optim.adam(model.parameters(), { lr: 1e-2, amsgrad: true });
        // 12 rows: with 8 the first layer's product is short and wide (M ≤ 8 < N), which a CPU
        // adapter computes transposed and copies into place (matmul.ts), a copy Adam does not make.
        const x = randn([12, 300]),
          y = tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], { dtype: "int32" });
        const step = trainingStep(model, opt, nn.crossEntropy);
        const losses: number[] = [],
          per: number[] = [],
          copies: number[] = [];
        for (let i = 0; i < 4; i++) {
          const { value, dispatches } = await watch(async () => step(x, y).item());
          losses.push(value);
          per.push(dispatches.length);
          // (One-element copies are the Tape panel's gradient norms, made because watch() listens.)
          copies.push(dispatches.filter((k) => k.startsWith("copy") && !k.includes(":r0")).length);
        }
        return [losses, ...(await values(...model.parameters())), per, copies];
      };
      const want = (await on("cpu", program)).got.slice(0, -2);
      const { got } = await on("webgpu", program);
      want.forEach((w, i) => close(`Adam in place: result ${i}`, got[i], w));
      const [per, copies] = got.slice(-2);
      if (copies.some((c) => c > 0)) throw new Error(`Adam in place: copy kernels per step ${copies.join(" ")}, want none`);
      if (new Set(per.slice(1)).size !== 1) throw new Error(`Adam in place: dispatches per step ${per.join(" ")}: the steps after the first differ`);
    },
  ],
  [
    "an eager optimizer step runs compiled once it repeats (COMPILED_STEP): the CPU's values with fewer kernels, eagerly again while its options are new, always eagerly where its update cannot be traced, and a replaced state tensor is read",
    async () => {
      const steps = COMPILED_STEP.after + 4;
      const program = async () => {
        const model = nn.sequential(nn.linear(12, 16), nn.relu(), nn.linear(16, 3));
        const [w0, b0, w1, b1] = model.parameters();
        const unused = randn([5]).requiresGrad_(); // never gets a gradient: the step leaves it alone
        // Two groups with their own options (amsgrad and weight decay in one), and SGD with momentum beside.
        const adam = optim.adam([{ params: [w0!, b0!, unused] }, { params: [w1!], amsgrad: true, weightDecay: 0.1 }], { lr: 1e-2 });
        const sgd = optim.sgd([b1!], { lr: 1e-2, momentum: 0.9 });
        // An update that cannot be traced (as one reading values on the host): its steps stay eager.
        const extra = randn([3]).requiresGrad_();
        const untraceable = new UntraceableSGD([extra], { lr: 1e-2, momentum: 0.5 });
        const x = randn([8, 12]),
          y = tensor([0, 1, 2, 0, 1, 2, 0, 1], { dtype: "int32" });
        const losses: number[] = [],
          per: number[] = [];
        for (let i = 0; i < steps; i++) {
          // A new option two steps before the end: those steps run eagerly (a new set to repeat).
          if (i === steps - 2) adam.paramGroups[1]!.options.weightDecay = 0.2;
          // A state tensor put in another's place: the compiled step reads the new one, as eager does.
          if (i === COMPILED_STEP.after + 2) sgd.state.get(b1!)!.momentumBuffer = b1!.detach().mul(0.5);
          const { value, dispatches } = await watch(async () => {
            const l = nn.crossEntropy(model.forward(x), y).add(extra.square().sum());
            adam.zeroGrad();
            sgd.zeroGrad();
            untraceable.zeroGrad();
            l.backward();
            adam.step();
            sgd.step();
            untraceable.step();
            return l.item();
          });
          losses.push(value);
          per.push(dispatches.length);
        }
        return [losses, ...(await values(...model.parameters(), unused, extra)), per];
      };
      const want = (await on("cpu", program)).got.slice(0, -1);
      const { got } = await on("webgpu", program);
      want.forEach((w, i) => close(`compiled optimizer step: result ${i}`, got[i], w));
      const per = got.at(-1)!;
      const eager = per[COMPILED_STEP.after - 2]!,
        compiled = per[COMPILED_STEP.after + 1]!,
        again = per[steps - 1]!;
      // Adam's six kernels a parameter (three of them) and SGD's two become a few fused ones.
      if (!(compiled <= eager - 10))
        throw new Error(`compiled optimizer step: ${compiled} dispatches a step compiled, ${eager} eagerly (per step ${per.join(" ")})`);
      if (!(again > compiled + 10))
        throw new Error(`compiled optimizer step: ${again} dispatches after an option changed, want about the eager ${eager} (per step ${per.join(" ")})`);
    },
  ],
  [
    "an eager MLP training step gives the CPU's losses with fewer kernels",
    async () => {
      const program = async () => {
        const model = nn.sequential(nn.linear(12, 16), nn.relu(), nn.linear(16, 3));
        const opt = optim.adam(model.parameters(), { lr: 1e-2 });
        const x = randn([8, 12]),
          y = tensor([0, 1, 2, 0, 1, 2, 0, 1], { dtype: "int32" });
        const step = trainingStep(model, opt, nn.crossEntropy);
        const losses: number[] = [];
        for (let i = 0; i < 3; i++) losses.push(await step(x, y).item());
        return [losses, ...(await values(...model.parameters()))];
      };
      const lazy = await agree("eager MLP", program, 1e-4);
      const direct = (await on("webgpu", program, false)).dispatches;
      if (!(lazy.length < direct.length)) throw new Error(`eager MLP: ${lazy.length} dispatches lazily, ${direct.length} op by op`);
    },
  ],
  [
    "the Tape panel's gradient norms of a training loop: its first pass, one in NORMS_EVERY and (flushGradNorms) its last, equal to the CPU's",
    async () => {
      const steps = NORMS_EVERY + 2;
      /** Each pass's gradient norms in backward order (NaN where none came). */
      const norms = async (backend: "cpu" | "webgpu"): Promise<number[][][]> => {
        await flushGradNorms(); // what earlier checks left in flight or unmeasured
        const prev = getDefaultBackend().name;
        setDefaultBackend(backend);
        seed = 1;
        manualSeed(5);
        const passes: number[][][] = [];
        const where = new Map<number, [pass: number, step: number]>();
        const off = onEvent((e) => {
          if (e.type !== "tape") return;
          if (e.phase === "backward") {
            where.set(e.nodeId, [passes.length - 1, passes.at(-1)!.length]);
            passes.at(-1)!.push(e.gradNorms);
          } else if (e.phase === "norms") {
            const at = where.get(e.nodeId);
            if (!at) throw new Error(`gradient norms of node ${e.nodeId}, not of this loop`);
            passes[at[0]]![at[1]] = e.gradNorms;
          }
        });
        try {
          const model = nn.sequential(nn.linear(12, 16), nn.relu(), nn.linear(16, 3));
          const opt = optim.adam(model.parameters(), { lr: 1e-2 });
          const x = randn([8, 12]),
            y = tensor([0, 1, 2, 0, 1, 2, 0, 1], { dtype: "int32" });
          const step = trainingStep(model, opt, nn.crossEntropy);
          for (let i = 0; i < steps; i++) {
            passes.push([]);
            await step(x, y).item();
          }
          await flushGradNorms();
        } finally {
          off();
          setDefaultBackend(prev);
        }
        return passes;
      };
      const cpu = await norms("cpu"),
        gpu = await norms("webgpu");
      const measured = gpu.flatMap((pass, i) => (pass.some((n) => n.some((v) => !Number.isNaN(v))) ? [i] : []));
      const want = [0, NORMS_EVERY, steps - 1];
      if (measured.join() !== want.join()) throw new Error(`gradient norms came for passes ${measured.join(", ")}, want ${want.join(", ")}`);
      for (const p of want) close(`gradient norms of pass ${p}`, gpu[p]!.flat(), cpu[p]!.flat());
    },
  ],
];

/** SGD whose update refuses to be traced, as a subclass reading values on the host would. */
class UntraceableSGD extends optim.SGD {
  // (`o` is SGD's options, a type the library does not export.)
  protected override update(p: Tensor, grad: Tensor, st: Record<string, Tensor>, lr: Tensor, o: never): void {
    if (grad._trace !== null) throw new Error("this update reads values on the host");
    super.update(p, grad, st, lr, o);
  }
}

/** Run the lazy-fusion checks (WebGPU against the CPU backend). */
export async function runLazyChecks(log: (l: string) => void): Promise<CaseResult[]> {
  return runNamedChecks("lazy", CHECKS, log);
}
