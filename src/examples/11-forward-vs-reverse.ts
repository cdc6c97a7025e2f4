import { jacfwd, jacrev, jit, arange, randn, plot, type Tensor } from "webgrad";

// f: Rⁿ → R (like a loss) and g: R → Rⁿ (like a trajectory), written with a few ops each.
const f = (x: Tensor) => x.tanh().mul(x).sum();
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
    fFwd: opsOf(jacfwd(f), x), // n jvps: one per input
    fRev: opsOf(jacrev(f), x), // 1 vjp: one per output
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
  const diff = await jacfwd(f)(x).sub(jacrev(f)(x)).abs().max().item();
  if (diff > 1e-5) console.log(`  mismatch at n = ${n}: ${diff}`);

  // Wall-clock time of each, run as written (eager) — the same story, noisier.
  plot("time (ms), f: Rⁿ→R", n, await timeIt(jacfwd(f), x), { series: "forward (jacfwd)" });
  plot("time (ms), f: Rⁿ→R", n, await timeIt(jacrev(f), x), { series: "reverse (jacrev)" });
}
console.log("forward and reverse Jacobians agree for every n");
console.log("Rule of thumb: few inputs → forward mode; few outputs (a loss) → reverse mode.");
