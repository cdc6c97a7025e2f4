import { choice, evaluationTrace, jacfwd, jacrev, jit, arange, randn, plot, type Tensor } from "webgrad";

// The course's function, one elementary op per call: f(x1, x2) = ln(x1) + x1·x2 − sin(x2).
const f = (x1: Tensor, x2: Tensor) => x1.log().add(x1.mul(x2)).sub(x2.sin());

// Forward mode: seed the tangent ẋ (the knob: along x1 or along x2) and carry it down the table, row by row.
const along = choice("forward seed ẋ", ["(1, 0)", "(0, 1)"], "(1, 0)");
const seed = along === "(1, 0)" ? [1, 0] : [0, 1];
const fwd = await evaluationTrace(f, [2, 5], { mode: "forward", seed, name: "f(x1, x2)" });
console.log(fwd.table());
const [wrt, closedForm, other] = seed[0] === 1 ? ["x1", "1/x1 + x2", "x2"] : ["x2", "x1 − cos x2", "x1"];
console.log(`forward, one pass: ∂f/∂${wrt} = ${fwd.derivative[0].toFixed(4)}  (= ${closedForm}); ∂f/∂${other} needs a second pass`);

// Reverse mode: the rows forward first, then v̄ = 1 at the output and the adjoints back up.
const rev = await evaluationTrace(f, [2, 5], { mode: "reverse", name: "f(x1, x2)" });
console.log(rev.table());
console.log(`reverse, one pass: ∇f = (${rev.derivative.map((d) => d.toFixed(4)).join(", ")})  (= (1/x1 + x2, x1 − cos x2))`);
console.log("");

// Who pays for n: loss: Rⁿ → R (like a loss) and g: R → Rⁿ (like a trajectory), a few ops each.
const loss = (x: Tensor) => x.tanh().mul(x).sum();
const g = (n: number) => (t: Tensor) =>
  arange(1, n + 1)
    .mul(t)
    .sin();

/** How many ops the traced Jacobian computation has (lower() traces in either mode). */
const opsOf = (fn: (x: Tensor) => Tensor, x: Tensor) => jit(fn).lower(x).graph.nodes.length;

async function timeIt(fn: (x: Tensor) => Tensor, x: Tensor): Promise<number> {
  const t0 = performance.now();
  await fn(x).data();
  return performance.now() - t0;
}

console.log("  n | f: Rⁿ→R  fwd ops / rev ops | g: R→Rⁿ  fwd ops / rev ops");
for (const n of [1, 2, 4, 8, 16, 32]) {
  const x = randn([n], { seed: n });
  const t = randn([1], { seed: 100 + n });
  const gn = g(n);
  const counts = {
    fFwd: opsOf(jacfwd(loss), x), // n jvps: one per input
    fRev: opsOf(jacrev(loss), x), // 1 vjp: one per output
    gFwd: opsOf(jacfwd(gn), t), // 1 jvp
    gRev: opsOf(jacrev(gn), t), // n vjps
  };
  plot("ops in the Jacobian graph, f: Rⁿ→R", n, counts.fFwd, { series: "forward (jacfwd)" });
  plot("ops in the Jacobian graph, f: Rⁿ→R", n, counts.fRev, { series: "reverse (jacrev)" });
  plot("ops in the Jacobian graph, g: R→Rⁿ", n, counts.gFwd, { series: "forward (jacfwd)" });
  plot("ops in the Jacobian graph, g: R→Rⁿ", n, counts.gRev, { series: "reverse (jacrev)" });
  console.log(
    `${String(n).padStart(3)} | ${String(counts.fFwd).padStart(14)} / ${String(counts.fRev).padEnd(7)} | ${String(counts.gFwd).padStart(14)} / ${counts.gRev}`,
  );

  // Both modes compute the same Jacobian: check it.
  const diff = await jacfwd(loss)(x).sub(jacrev(loss)(x)).abs().max().item();
  if (diff > 1e-5) console.log(`  mismatch at n = ${n}: ${diff}`);

  // Wall-clock time of each, run as written (eager) — the same story, noisier.
  plot("time (ms), f: Rⁿ→R", n, await timeIt(jacfwd(loss), x), { series: "forward (jacfwd)" });
  plot("time (ms), f: Rⁿ→R", n, await timeIt(jacrev(loss), x), { series: "reverse (jacrev)" });
}
console.log("forward and reverse Jacobians agree for every n");
console.log("Rule of thumb: few inputs → forward mode; few outputs (a loss) → reverse mode.");
