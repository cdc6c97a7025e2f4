/**
 * Operator-level sharding as in MindSpore's auto-parallel: every tensor carries a sharding spec on
 * a device mesh (for each dim, the mesh axis it is split along, or null for replicated) and
 * possibly a pending partial sum over some axes. Operators declare what layout they need; the
 * redistribution between layouts is inferred: split → replicated is an allGather, partial → split a
 * reduceScatter, partial → replicated an allReduce, split on one dim → split on another an allToAll,
 * replicated → split a local slice. Values move through the real collectives; gradients flow
 * through the same steps' local equivalents (autodiff transposes them: allGather ↔ reduceScatter).
 * @module
 */
import { concat } from "../../ops/functional";
import { tensor } from "../../ops/creation";
import type { Tensor } from "../../tensor/tensor";
import { allGather, allReduce, allToAll, reduceScatter, type CollectiveResult } from "../collectives/api";
import { DistError } from "../errors";
import { DeviceTensor } from "../placement";
import type { DeviceMesh } from "./mesh";
import { modelState, type MemoryModel, type StateBytes } from "../accounting";

/**
 * For each dim, the mesh axis it is split along (null: replicated along every axis not named).
 * @example dist.shard(w, mesh, ["x", null] satisfies dist.ShardingSpec)
 */
export type ShardingSpec = (string | null)[];

/**
 * One inferred redistribution step.
 * @example dist.redistribute(x, [null, null]).steps.map((s) => `${s.op} along ${s.axis}`)
 */
export interface RedistributionStep {
  op: "allGather" | "reduceScatter" | "allReduce" | "allToAll" | "slice";
  axis: string;
  /** The dim gathered, scattered or sliced (allToAll: from → to). */
  dim: number | [number, number];
  /** Simulated time of the collective (0 for a local slice). */
  time: number;
}

/**
 * A tensor sharded over a device mesh: one local tensor per mesh device (`locals[i]` on `mesh.devices[i]`).
 * @example
 * const mesh = dist.deviceMesh(c.devices, { x: 2, y: 2 });
 * const w = dist.shard(randn([8, 6]), mesh, [null, "y"]);   // columns split along y, replicated along x
 */
export class ShardedTensor {
  constructor(
    readonly mesh: DeviceMesh,
    readonly spec: ShardingSpec,
    /** Mesh axes over which the locals are partial sums still to be added. */
    readonly partial: string[],
    /** The global shape. */
    readonly shape: number[],
    readonly locals: Tensor[],
  ) {}
  /** "[x, -] partial(y)". */
  get layout(): string {
    return `[${this.spec.map((a) => a ?? "-").join(", ")}]${this.partial.length ? ` partial(${this.partial.join(", ")})` : ""}`;
  }
  /**
   * The model state each mesh device holds when this tensor is a parameter (its local part:
   * weights, gradients, optimizer state), in the accounting every strategy shares.
   * @example dist.shard(w, mesh, [null, "y"]).stateBytes({ precision: "mixed", optimizerSlots: 2 })[0].parameters
   */
  stateBytes(memory: MemoryModel = { precision: "mixed", optimizerSlots: 2 }): StateBytes[] {
    return this.locals.map((l) => {
      const { parameters, gradients, optimizer } = modelState(l.size, memory);
      return { parameters, gradients, optimizer };
    });
  }
  /** Assemble the global tensor (gathering and summing the locals; for checks). */
  full(): Tensor {
    return redistribute(
      this,
      this.spec.map(() => null),
    ).tensor.locals[0];
  }
}

function checkSpec(op: string, mesh: DeviceMesh, shape: readonly number[], spec: ShardingSpec): void {
  if (spec.length !== shape.length) throw new DistError(op, `the spec [${spec.join(", ")}] has ${spec.length} entries for a tensor of rank ${shape.length}`);
  const seen = new Set<string>();
  spec.forEach((a, d) => {
    if (a === null) return;
    const n = mesh.sizes[mesh.axis(a)];
    if (seen.has(a)) throw new DistError(op, `mesh axis ${a} splits two dims of [${shape.join(", ")}]`);
    seen.add(a);
    if (shape[d] % n !== 0) throw new DistError(op, `dim ${d} (${shape[d]}) cannot be split ${n} ways along mesh axis ${a}`);
  });
}

/** Part `c` of `t` along `dim` in `n` parts. */
function part(t: Tensor, dim: number, c: number, n: number): Tensor {
  const k = t.shape[dim] / n;
  return t.narrow(dim, c * k, k);
}

/**
 * Shard a global tensor on a mesh by a spec (no communication: each device keeps its part).
 * @example const x = dist.shard(randn([8, 4]), mesh, ["x", null]);
 */
export function shard(t: Tensor, mesh: DeviceMesh, spec: ShardingSpec): ShardedTensor {
  checkSpec("dist.shard", mesh, t.shape, spec);
  const locals = mesh.devices.map((_, i) => {
    const c = mesh.coords(i);
    let l = t;
    spec.forEach((a, d) => {
      if (a !== null) l = part(l, d, c[mesh.axis(a)], mesh.sizes[mesh.axis(a)]);
    });
    return l;
  });
  return new ShardedTensor(mesh, [...spec], [], [...t.shape], locals);
}

/** Run a collective over every group along `axis` on real data; the gradient path uses `local`. */
function collectiveAlong(
  st: ShardedTensor,
  axis: string,
  dim: number,
  kind: "allGather" | "reduceScatter" | "allReduce" | "allToAll",
  local: (group: Tensor[], c: number) => Tensor,
  toDim = 0,
): { locals: Tensor[]; time: number } {
  const mesh = st.mesh;
  const out = new Array<Tensor>(st.locals.length);
  let time = 0;
  const indexOf = new Map(mesh.devices.map((d, i) => [d, i]));
  for (const group of mesh.groups(axis)) {
    const idx = group.map((d) => indexOf.get(d)!);
    const n = group.length;
    // Real data: bring `dim` to the front (the collectives work on dim 0), run, and move it back.
    const front = (t: Tensor, d: number) => (d === 0 ? t : t.transpose(0, d));
    const shards = idx.map((i, c) => new DeviceTensor(front(st.locals[i].detach(), dim).contiguous(), group[c], "activations"));
    let res: CollectiveResult & { outputs: DeviceTensor[] };
    if (kind === "allGather") res = allGather(shards);
    else if (kind === "reduceScatter") res = reduceScatter(shards);
    else if (kind === "allReduce") res = allReduce(shards);
    else {
      // allToAll: split along the new dim (moved to the front), receive parts stacked along it,
      // then move the stacked parts to the old dim.
      const sh = idx.map((i, c) => new DeviceTensor(front(st.locals[i].detach(), toDim).contiguous(), group[c], "activations"));
      shards.forEach((s) => s.free());
      res = allToAll(sh);
      sh.forEach((s) => s.free());
      res.outputs.forEach((o, c) => {
        const recv = tensor(o.tensor.dataSync().slice(), { shape: [...o.shape] });
        const back = toDim === 0 ? recv : recv.transpose(0, toDim);
        // back: the p received parts are stacked along toDim; each is a part of the old dim: re-stack along dim.
        const pieces = Array.from({ length: n }, (_, g) => part(back, toDim, g, n));
        const value = concat(pieces, dim);
        const fn = local(
          idx.map((i) => st.locals[i]),
          c,
        );
        out[idx[c]] = fn.add(value.sub(fn).detach());
        o.free();
      });
      time = Math.max(time, res.time);
      continue;
    }
    res.outputs.forEach((o, c) => {
      const recv = tensor(o.tensor.dataSync().slice(), { shape: [...o.shape] });
      const value = dim === 0 ? recv : recv.transpose(0, dim).contiguous();
      const fn = local(
        idx.map((i) => st.locals[i]),
        c,
      );
      out[idx[c]] = fn.add(value.sub(fn).detach()); // the collective's values, the local ops' gradients
      o.free();
    });
    shards.forEach((s) => s.free());
    time = Math.max(time, res.time);
  }
  return { locals: out, time };
}

/**
 * Move a sharded tensor to another layout, inferring the collectives (MindSpore's tensor
 * redistribution). Returns the new tensor and the steps taken.
 * @example
 * const r = dist.redistribute(y, [null, null]);   // y partial(y-axis) → allReduce along y
 * r.steps   // [{ op: "allReduce", axis: "y", dim: 0, time }]
 */
export function redistribute(st: ShardedTensor, spec: ShardingSpec): { tensor: ShardedTensor; steps: RedistributionStep[] } {
  const mesh = st.mesh;
  checkSpec("dist.redistribute", mesh, st.shape, spec);
  const steps: RedistributionStep[] = [];
  let cur = st;
  const n = (a: string) => mesh.sizes[mesh.axis(a)];
  // 1. Pending partial sums: reduce-scatter into the dim the target splits on that axis, else all-reduce.
  for (const a of st.partial) {
    const d = spec.indexOf(a);
    if (d >= 0 && cur.spec[d] === null) {
      const r = collectiveAlong(cur, a, d, "reduceScatter", (g, c) =>
        part(
          g.reduce((s, t) => s.add(t)),
          d,
          c,
          n(a),
        ),
      );
      const sp = [...cur.spec];
      sp[d] = a;
      cur = new ShardedTensor(
        mesh,
        sp,
        cur.partial.filter((x) => x !== a),
        cur.shape,
        r.locals,
      );
      steps.push({ op: "reduceScatter", axis: a, dim: d, time: r.time });
    } else {
      const r = collectiveAlong(cur, a, 0, "allReduce", (g) => g.reduce((s, t) => s.add(t)));
      cur = new ShardedTensor(
        mesh,
        cur.spec,
        cur.partial.filter((x) => x !== a),
        cur.shape,
        r.locals,
      );
      steps.push({ op: "allReduce", axis: a, dim: 0, time: r.time });
    }
  }
  // 2. Axes that move from one dim to another: allToAll.
  cur.spec.forEach((a, from) => {
    if (a === null) return;
    const to = spec.indexOf(a);
    if (to >= 0 && to !== from && spec[from] !== a && cur.spec[to] === null) {
      const r = collectiveAlong(
        cur,
        a,
        from,
        "allToAll",
        (g, c) =>
          concat(
            g.map((t) => part(t, to, c, n(a))),
            from,
          ),
        to,
      );
      const sp = [...cur.spec];
      sp[from] = null;
      sp[to] = a;
      cur = new ShardedTensor(mesh, sp, cur.partial, cur.shape, r.locals);
      steps.push({ op: "allToAll", axis: a, dim: [from, to], time: r.time });
    }
  });
  // 3. Splits the target does not have: allGather.
  cur.spec.forEach((a, d) => {
    if (a !== null && spec[d] !== a) {
      const r = collectiveAlong(cur, a, d, "allGather", (g) => concat(g, d));
      const sp = [...cur.spec];
      sp[d] = null;
      cur = new ShardedTensor(mesh, sp, cur.partial, cur.shape, r.locals);
      steps.push({ op: "allGather", axis: a, dim: d, time: r.time });
    }
  });
  // 4. New splits: each device keeps its part (no communication).
  spec.forEach((a, d) => {
    if (a !== null && cur.spec[d] !== a) {
      const ax = mesh.axis(a);
      const locals = cur.locals.map((l, i) => part(l, d, mesh.coords(i)[ax], n(a)));
      const sp = [...cur.spec];
      sp[d] = a;
      cur = new ShardedTensor(mesh, sp, cur.partial, cur.shape, locals);
      steps.push({ op: "slice", axis: a, dim: d, time: 0 });
    }
  });
  return { tensor: cur, steps };
}

/**
 * A sharded matmul [M, K] × [K, N]: b is redistributed so that its K dim is split like a's (the
 * operator's requirement); each device multiplies its parts; a split K leaves partial sums, which
 * `out` (if given) resolves by the inferred redistribution.
 * @example
 * const y = dist.shardedMatmul(x, w, { out: ["x", null] });   // y.tensor, y.steps
 */
export function shardedMatmul(a: ShardedTensor, b: ShardedTensor, opts: { out?: ShardingSpec } = {}): { tensor: ShardedTensor; steps: RedistributionStep[] } {
  if (a.shape.length !== 2 || b.shape.length !== 2 || a.shape[1] !== b.shape[0])
    throw new DistError("dist.shardedMatmul", `needs [M, K] × [K, N], got [${a.shape.join(", ")}] × [${b.shape.join(", ")}]`);
  if (a.partial.length) throw new DistError("dist.shardedMatmul", `the left operand is a partial sum over ${a.partial.join(", ")}: redistribute it first`);
  const steps: RedistributionStep[] = [];
  const [sm, sk] = a.spec;
  let sn = b.spec[1];
  if (sn !== null && (sn === sm || sn === sk)) sn = null;
  let bb = b;
  if (b.spec[0] !== sk || b.spec[1] !== sn || b.partial.length) {
    const r = redistribute(b, [sk, sn]);
    bb = r.tensor;
    steps.push(...r.steps);
  }
  const locals = a.locals.map((l, i) => l.matmul(bb.locals[i]));
  let out = new ShardedTensor(a.mesh, [sm, sn], sk ? [sk] : [], [a.shape[0], b.shape[1]], locals);
  if (opts.out) {
    const r = redistribute(out, opts.out);
    out = r.tensor;
    steps.push(...r.steps);
  }
  return { tensor: out, steps };
}
