/**
 * TensorFlow 1's static dataflow control flow, beside webgrad's regions: `lowerToDataflow` rewrites
 * a graph's `cond` and `while` nodes into the five primitives of TF1 (Yu et al., "Dynamic Control
 * Flow in Large-Scale Machine Learning", EuroSys 2018) and `runDataflow` runs the result as a
 * dataflow machine, so the two forms can be compared on the same inputs.
 *
 * - **Switch**(data, pred) forwards `data` to output 1 when pred is true, else to output 0; the
 *   other output gets a *dead* token. Every op with a dead input outputs dead, so a whole branch
 *   is skipped without a branch instruction.
 * - **Merge**(a, b, …) forwards whichever input arrives live (a cond's join; a loop's head, where
 *   the first iteration comes from Enter and later ones from NextIteration).
 * - **Enter**(data, frame) passes a value into a loop's execution frame (a constant Enter makes a
 *   loop-invariant value visible in every iteration); **Exit** passes the last value out;
 *   **NextIteration** carries a value to the next iteration of the same frame.
 * - **LoopCond** marks the loop predicate that the carries' Switches read.
 *
 * Tokens are tagged with their frame and iteration (`/while0:3`): the same node runs once per tag,
 * the tagged-token dataflow machine of Arvind and Nikhil that TF's executor implements. Ops that
 * read only loop-invariant values take a control input from the branch or loop's *pivot*, so they
 * run once per iteration (and not at all in a dead branch). Other control flow (scan) stays a node.
 */
import { WebgradError } from "../../errors";
import { emit, hasListeners } from "../../events";
import type { Tensor } from "../../tensor/tensor";
import type { DType } from "../../tensor/dtype";
import type { IRGraphJSON, IRNodeJSON } from "../../../schema/ir-json";
import { nodeResults, typeText, type IRGraph, type IRNode, type IRValue } from "../ir";
import { nodeCategory } from "../printer";
import { runRegion } from "./closed";

/** The kinds of node of a dataflow graph: TF1's primitives, an op, or a graph argument. */
export type DataflowKind = "arg" | "const" | "op" | "switch" | "merge" | "enter" | "exit" | "nextIteration" | "loopCond" | "identity";

/** An output of a node: `port` 0, or 1 for a Switch's true side (and a multi-result op's others). */
export interface DataflowPort {
  readonly node: number;
  readonly port: number;
}

/** One node of a {@link DataflowGraph}. */
export interface DataflowNode {
  readonly id: number;
  readonly kind: DataflowKind;
  /** Data inputs, in order. */
  readonly inputs: DataflowPort[];
  /** Control inputs: the node waits for them (and is dead when one is) but does not read their values. */
  readonly control: DataflowPort[];
  /** For "op": the IR node it applies; for "arg": the graph input's index. */
  readonly op?: IRNode;
  readonly arg?: number;
  /** For "const": the tensor a region captured (a constant made while tracing). */
  readonly tensor?: Tensor;
  /** For "enter" and "exit": the frame ("while0"); for "enter", whether the value is loop-invariant. */
  readonly frame?: string;
  readonly constant?: boolean;
  /** The frames the node runs in, outermost first ([] at the top level). */
  readonly frames: readonly string[];
  /** Number of outputs (2 for a Switch). */
  readonly ports: number;
  /** What it is, for text and drawing ("Switch", "Merge", "matmul", "x"). */
  readonly label: string;
  /** Shape and dtype of its output (the data it forwards), for text and drawing. */
  readonly type: string;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** A graph in TF1's dataflow form. */
export interface DataflowGraph {
  readonly name: string;
  readonly nodes: readonly DataflowNode[];
  /** The values the graph returns (its IR graph's outputs, in order). */
  readonly outputs: readonly DataflowPort[];
  /** How many nodes of each primitive the lowering made. */
  readonly counts: Readonly<Record<DataflowKind, number>>;
}

/** The shape and dtype a port carries. */
type Aval = { readonly shape: readonly number[]; readonly dtype: DType };

const LABELS: Record<Exclude<DataflowKind, "op" | "arg" | "const">, string> = {
  switch: "Switch",
  merge: "Merge",
  enter: "Enter",
  exit: "Exit",
  nextIteration: "NextIteration",
  loopCond: "LoopCond",
  identity: "Identity",
};

/**
 * Lower `g` (e.g. `jit(fn).lower(x).graph`) into TF1 dataflow: each `cond` becomes a Switch per
 * operand and a Merge per result, each `while` an Enter / Merge / Switch / Exit / NextIteration
 * ring per carry around its condition (LoopCond) and body. Nested control flow is lowered too.
 * @example const df = lowerToDataflow(jit(f).lower(x).graph); console.log(dataflowText(df)); console.log(await runDataflow(df, [x]));
 */
export function lowerToDataflow(g: IRGraph): DataflowGraph {
  const nodes: DataflowNode[] = [];
  const add = (
    n: Omit<DataflowNode, "id" | "control" | "ports" | "frames" | "type" | "shape" | "dtype"> &
      Partial<Pick<DataflowNode, "control" | "ports">> & { aval: Aval },
    frames: readonly string[],
  ) => {
    const { aval, ...rest } = n;
    const node: DataflowNode = { control: [], ports: 1, ...rest, type: typeText(aval), shape: aval.shape, dtype: aval.dtype, id: nodes.length, frames };
    nodes.push(node);
    return node.id;
  };
  /** A value of the IR mapped to a port, and whether it is loop-invariant in the current frame. */
  type Bound = { port: DataflowPort; invariant: boolean; aval: Aval };

  /** Lower the nodes of `graph` with its inputs bound to `inputs`; returns its outputs' ports. */
  const lowerGraph = (graph: IRGraph, inputs: readonly Bound[], frames: readonly string[], pivot: DataflowPort | null): Bound[] => {
    const env = new Map<number, Bound>();
    graph.inputs.forEach((inp, i) => {
      const s = inp.source;
      if (!pivot)
        env.set(inp.value.id, inputs[i]); // the top level: bound by position (bindInputs)
      else if (s.kind === "arg") env.set(inp.value.id, inputs[s.index]);
      else if (s.kind === "capture") {
        // A constant the region captured: a node of its own, waiting on the pivot like any op without data inputs.
        const id = add({ kind: "const", tensor: s.tensor, inputs: [], control: [pivot], label: inp.name, aval: inp.value }, frames);
        env.set(inp.value.id, { port: { node: id, port: 0 }, invariant: false, aval: inp.value });
      } else throw new WebgradError("lowerToDataflow", `region input ${inp.name} reads a .grad, which the lowering does not bind`);
    });
    const read = (v: IRValue): Bound => {
      const b = env.get(v.id);
      if (!b) throw new WebgradError("lowerToDataflow", `value %${v.id} is read before it is defined`);
      return b;
    };
    for (const n of graph.nodes) {
      const ins = n.inputs.map(read);
      let outs: Bound[];
      if (n.op === "cond" && n.regions?.length === 2) outs = lowerCond(n, ins, frames);
      else if (n.op === "while" && n.regions?.length === 2) outs = lowerWhile(n, ins, frames);
      else {
        // Reads only loop-invariant values (or nothing): wait for the pivot, so it runs once per iteration and not in a dead branch.
        const control = pivot && ins.every((b) => b.invariant) ? [pivot] : [];
        const results = nodeResults(n);
        const id = add({ kind: "op", op: n, inputs: ins.map((b) => b.port), control, ports: results.length, label: n.op, aval: results[0] }, frames);
        outs = results.map((v, k) => ({ port: { node: id, port: k }, invariant: false, aval: v }));
      }
      nodeResults(n).forEach((v, k) => env.set(v.id, outs[k]));
    }
    return graph.outputs.map((o) => read(o.value!));
  };

  const lowerCond = (n: IRNode, ins: Bound[], frames: readonly string[]): Bound[] => {
    const [pred, ...operands] = ins;
    const sw = (b: Bound) => add({ kind: "switch", inputs: [b.port, pred.port], ports: 2, label: LABELS.switch, aval: b.aval }, frames);
    // The pivots: the predicate switched on itself; a branch's ops without data inputs wait for its side.
    const pivot = sw(pred);
    const switches = operands.map(sw);
    const branch = (side: 0 | 1, region: IRGraph) =>
      lowerGraph(
        region,
        switches.map((s, i) => ({ port: { node: s, port: side }, invariant: false, aval: operands[i].aval })),
        frames,
        { node: pivot, port: side },
      );
    const thenOuts = branch(1, n.regions![0]);
    const elseOuts = branch(0, n.regions![1]);
    return thenOuts.map((t, k) => {
      const id = add({ kind: "merge", inputs: [t.port, elseOuts[k].port], label: LABELS.merge, aval: t.aval }, frames);
      return { port: { node: id, port: 0 }, invariant: false, aval: t.aval };
    });
  };

  let loops = 0;
  const lowerWhile = (n: IRNode, ins: Bound[], frames: readonly string[]): Bound[] => {
    const numCarry = n.attrs.numCarry as number;
    const frame = `while${loops++}`; // numbered in the lowering, so the text is the same on every run
    const inner = [...frames, frame];
    const enters = ins.map((b, i) =>
      add({ kind: "enter", inputs: [b.port], frame, constant: i >= numCarry, label: `${LABELS.enter} ${frame}`, aval: b.aval }, inner),
    );
    // Merge(Enter, NextIteration): the loop head. Its second input is patched once the body is lowered.
    const merges = enters
      .slice(0, numCarry)
      .map((e, i) => add({ kind: "merge", inputs: [{ node: e, port: 0 }], label: LABELS.merge, aval: ins[i].aval }, inner));
    const invariant = enters.slice(numCarry).map((e, i) => ({ port: { node: e, port: 0 }, invariant: true, aval: ins[numCarry + i].aval }));
    const heads = merges.map((m, i) => ({ port: { node: m, port: 0 }, invariant: false, aval: ins[i].aval }));
    const pivotHead = { node: merges[0], port: 0 };
    const [pred] = lowerGraph(n.regions![0], [...heads, ...invariant], inner, pivotHead);
    const loopCond = add({ kind: "loopCond", inputs: [pred.port], label: LABELS.loopCond, aval: pred.aval }, inner);
    const switches = merges.map((m, i) =>
      add(
        {
          kind: "switch",
          inputs: [
            { node: m, port: 0 },
            { node: loopCond, port: 0 },
          ],
          ports: 2,
          label: LABELS.switch,
          aval: ins[i].aval,
        },
        inner,
      ),
    );
    const bodyIns = switches.map((s, i) => {
      const id = add({ kind: "identity", inputs: [{ node: s, port: 1 }], label: LABELS.identity, aval: ins[i].aval }, inner);
      return { port: { node: id, port: 0 }, invariant: false, aval: ins[i].aval };
    });
    const next = lowerGraph(n.regions![1], [...bodyIns, ...invariant], inner, bodyIns[0].port);
    next.forEach((b, i) => {
      const ni = add({ kind: "nextIteration", inputs: [b.port], label: LABELS.nextIteration, aval: b.aval }, inner);
      nodes[merges[i]].inputs.push({ node: ni, port: 0 });
    });
    return switches.map((s, i) => {
      const id = add({ kind: "exit", inputs: [{ node: s, port: 0 }], frame, label: `${LABELS.exit} ${frame}`, aval: ins[i].aval }, frames);
      return { port: { node: id, port: 0 }, invariant: false, aval: ins[i].aval };
    });
  };

  const args = g.inputs.map((inp, i) => {
    const id = add({ kind: "arg", arg: i, inputs: [], label: inp.name, aval: inp.value }, []);
    return { port: { node: id, port: 0 }, invariant: false, aval: inp.value };
  });
  const outs = lowerGraph(g, args, [], null);
  const counts = { arg: 0, const: 0, op: 0, switch: 0, merge: 0, enter: 0, exit: 0, nextIteration: 0, loopCond: 0, identity: 0 };
  for (const n of nodes) counts[n.kind]++;
  return { name: g.name, nodes, outputs: outs.map((b) => b.port), counts };
}

/** A token: a value, or dead (the untaken side of a Switch and everything computed from it). */
type Token = { value: Tensor } | { dead: true };
const DEAD: Token = { dead: true };

/** The tag of a frame's iteration inside the tag of its parent: `parent/frame:k`. */
const childTag = (parent: string, frame: string, k: number) => `${parent}/${frame}:${k}`;

/** Parent tag and iteration of a tag inside `frame`. */
function splitTag(tag: string): { parent: string; iteration: number } {
  const slash = tag.lastIndexOf("/");
  return { parent: tag.slice(0, slash), iteration: Number(tag.slice(tag.lastIndexOf(":") + 1)) };
}

/**
 * Run a dataflow graph: `args` are the values of its IR graph's inputs in order (arguments, then
 * captured tensors, as `executeGraph` binds them; pass `bindInputs(g, callArgs)`). Returns the
 * outputs, and how many times each kind of node ran on live data (`fired.nextIteration` counts
 * iterations; dead tokens passing through are not counted).
 * Async: a Switch reads its predicate back, which WebGPU can only do asynchronously.
 */
export async function runDataflow(df: DataflowGraph, args: readonly Tensor[]): Promise<{ outputs: Tensor[]; fired: Record<DataflowKind, number> }> {
  const tokens = new Map<string, Token>(); // `${node}:${port}@${tag}` → token
  const invariant = new Map<string, Token>(); // constant Enter: `${node}@${parent}/${frame}` → token for every iteration
  const users = df.nodes.map(() => [] as number[]);
  for (const n of df.nodes) for (const p of [...n.inputs, ...n.control]) if (!users[p.node].includes(n.id)) users[p.node].push(n.id);
  const fired = { arg: 0, const: 0, op: 0, switch: 0, merge: 0, enter: 0, exit: 0, nextIteration: 0, loopCond: 0, identity: 0 };
  const done = new Set<string>();
  const queue: [number, string][] = [];

  const lookup = (p: DataflowPort, tag: string): Token | undefined => {
    const t = tokens.get(`${p.node}:${p.port}@${tag}`);
    if (t || df.nodes[p.node].kind !== "enter" || !df.nodes[p.node].constant) return t;
    return invariant.get(`${p.node}@${tag.slice(0, tag.lastIndexOf(":"))}`);
  };
  const put = (node: number, port: number, tag: string, t: Token) => {
    tokens.set(`${node}:${port}@${tag}`, t);
    for (const u of users[node]) queue.push([u, tag]);
  };

  for (const n of df.nodes) if (n.kind === "arg") put(n.id, 0, "", { value: args[n.arg!] });
  for (const n of df.nodes) if ((n.kind === "op" || n.kind === "const") && n.inputs.length + n.control.length === 0) queue.push([n.id, ""]);

  while (queue.length) {
    const [id, tag] = queue.shift()!;
    const n = df.nodes[id];
    const key = `${id}@${tag}`;
    if (done.has(key)) continue;
    if (n.kind === "merge") {
      // Fires on the first live input; dead only when every input is dead (a cond's untaken join).
      const ins = n.inputs.map((p) => lookup(p, tag));
      const live = ins.find((t) => t && "value" in t);
      const loopHead = n.inputs.some((p) => df.nodes[p.node].kind === "nextIteration");
      if (live) put(id, 0, tag, live);
      else if (loopHead) {
        // Iteration 0 reads Enter, later ones NextIteration: a dead one ends the loop (or a dead Enter: a loop in a dead branch).
        const first = ins[0];
        if (!(first && splitTag(tag).iteration === 0)) continue;
        put(id, 0, tag, DEAD);
      } else if (ins.every((t) => t)) put(id, 0, tag, DEAD);
      else continue;
      done.add(key);
      fired.merge++;
      continue;
    }
    const ins = n.inputs.map((p) => lookup(p, tag));
    const ctl = n.control.map((p) => lookup(p, tag));
    if (ins.some((t) => !t) || ctl.some((t) => !t)) continue;
    done.add(key);
    const dead = [...ins, ...ctl].some((t) => "dead" in t!);
    const values = dead ? [] : ins.map((t) => (t as { value: Tensor }).value);
    switch (n.kind) {
      case "enter": {
        const to = childTag(tag, n.frame!, 0);
        const t: Token = dead ? DEAD : { value: values[0] };
        if (n.constant) {
          invariant.set(`${id}@${tag}/${n.frame!}`, t);
          // Waiting nodes inside the frame may have been tried before this arrived: try them again at every live iteration.
          for (const k of tokens.keys()) if (k.includes(`@${tag}/${n.frame!}:`)) for (const u of users[id]) queue.push([u, k.slice(k.indexOf("@") + 1)]);
        } else put(id, 0, to, t);
        break;
      }
      case "exit":
        put(id, 0, splitTag(tag).parent, dead ? DEAD : { value: values[0] });
        break;
      case "nextIteration": {
        const { parent, iteration } = splitTag(tag);
        const frame = tag.slice(parent.length + 1, tag.lastIndexOf(":"));
        put(id, 0, childTag(parent, frame, iteration + 1), dead ? DEAD : { value: values[0] });
        break;
      }
      case "switch": {
        // A loop's Switch sends nothing down the untaken side: the loop goes on (no Exit this
        // iteration) or stops (no body). Only a loop entered dead (in an untaken branch) exits dead.
        const loop = df.nodes[n.inputs[1].node].kind === "loopCond";
        if (dead) {
          put(id, 0, tag, DEAD);
          if (!loop) put(id, 1, tag, DEAD);
          break;
        }
        const taken = (await values[1].item()) ? 1 : 0;
        put(id, taken, tag, { value: values[0] });
        if (!loop) put(id, 1 - taken, tag, DEAD);
        break;
      }
      case "loopCond":
      case "identity":
        put(id, 0, tag, dead ? DEAD : { value: values[0] });
        break;
      case "op": {
        if (dead) for (let k = 0; k < n.ports; k++) put(id, k, tag, DEAD);
        else applyNode(n.op!, values).forEach((v, k) => put(id, k, tag, { value: v }));
        break;
      }
      case "const":
        put(id, 0, tag, dead ? DEAD : { value: n.tensor! });
        break;
      case "arg":
        break;
    }
    if (!dead) fired[n.kind]++;
  }
  const outputs = df.outputs.map((p, i) => {
    const t = tokens.get(`${p.node}:${p.port}@`);
    if (!t || "dead" in t) throw new WebgradError("runDataflow", `output ${i} of ${df.name} was never computed (a dead or missing token)`);
    return t.value;
  });
  return { outputs, fired };
}

/** Apply one IR node to values: a one-node graph run by the executor (fused nodes, scan and all). */
function applyNode(n: IRNode, values: readonly Tensor[]): Tensor[] {
  const distinct: IRValue[] = [];
  for (const v of n.inputs) if (!distinct.some((d) => d.id === v.id)) distinct.push(v);
  const graph: IRGraph = {
    name: n.op,
    inputs: distinct.map((v, i) => ({ value: v, source: { kind: "arg", index: i, path: `in${i}` }, name: `in${i}` })),
    nodes: [n],
    outputs: nodeResults(n).map((v, i) => ({ value: v, sink: { kind: "result", index: i }, name: `out${i}` })),
  };
  return runRegion(
    graph,
    distinct.map((d) => values[n.inputs.findIndex((v) => v.id === d.id)]),
  );
}

/**
 * The values of `g`'s inputs for a call with argument tensors `args`: arguments by index, captured
 * tensors (parameters, constants) as captured. What {@link runDataflow} takes.
 */
export function bindInputs(g: IRGraph, args: readonly Tensor[]): Tensor[] {
  return g.inputs.map((inp) => {
    const s = inp.source;
    if (s.kind === "arg") return args[s.index];
    if (s.kind === "capture") return s.tensor;
    throw new WebgradError("runDataflow", `input ${inp.name} reads a .grad; only arguments and captured tensors can be bound`);
  });
}

/** The dataflow graph as text, one node a line: `%12 = Switch(%3, %4:1)   [while0]`. */
export function dataflowText(df: DataflowGraph): string {
  const ref = (p: DataflowPort) => (df.nodes[p.node].ports > 1 ? `%${p.node}:${p.port}` : `%${p.node}`);
  return df.nodes
    .map((n) => {
      const ins = [...n.inputs.map(ref), ...n.control.map((p) => `^${ref(p)}`)].join(", ");
      const where = n.frames.length ? `   [${n.frames.join(" / ")}]` : "";
      if (n.kind === "const") return `%${n.id} = const ${n.label}(${ins}): ${n.type}${n.frames.length ? `   [${n.frames.join(" / ")}]` : ""}`;
      return n.kind === "arg" ? `%${n.id} = input ${n.label}: ${n.type}` : `%${n.id} = ${n.label}(${ins}): ${n.type}${where}`;
    })
    .join("\n");
}

/**
 * The dataflow graph as IR JSON, for the Graph panel's drawing: each frame is a scope (drawn as a
 * box around its nodes), each Switch has two results (false, true), control inputs are edges too.
 */
export function dataflowToJSON(df: DataflowGraph, name = df.name): IRGraphJSON {
  const valueId = (p: DataflowPort) => p.node * 4 + p.port;
  const nodes: IRNodeJSON[] = df.nodes
    .filter((n) => n.kind !== "arg")
    .map((n) => ({
      id: n.id,
      op: n.label,
      category: n.kind === "op" ? nodeCategory(n.op!) : "control",
      inputs: [...n.inputs, ...n.control].map(valueId),
      output: valueId({ node: n.id, port: 0 }),
      shape: [...n.shape],
      dtype: n.dtype,
      attrs: n.kind === "switch" ? { outputs: "0: false, 1: true" } : n.control.length ? { control: n.control.map((p) => `%${p.node}`).join(", ") } : {},
      ...(n.frames.length ? { scope: [...n.frames] } : {}),
      ...(n.ports > 1
        ? { results: Array.from({ length: n.ports }, (_, k) => ({ id: valueId({ node: n.id, port: k }), shape: [...n.shape], dtype: n.dtype })) }
        : {}),
    }));
  return {
    name: `${name} (TF1 dataflow)`,
    inputs: df.nodes
      .filter((n) => n.kind === "arg")
      .map((n) => ({ id: valueId({ node: n.id, port: 0 }), shape: [...n.shape], dtype: n.dtype, name: n.label, kind: "arg" })),
    nodes,
    outputs: df.outputs.map((p, i) => ({ id: valueId(p), name: `out${i}`, kind: "result" })),
  };
}

/**
 * Draw a dataflow graph in the Graph panel (as one more traced function, named
 * "<name> (TF1 dataflow)", one stage): loop frames are boxes, Switch/Merge/Enter/Exit nodes are control ops.
 * @param name What to call it (defaults to the name of the graph it was lowered from).
 */
export function showDataflow(df: DataflowGraph, name = df.name): void {
  if (!hasListeners()) return;
  const json = dataflowToJSON(df, name);
  const c = df.counts;
  emit({
    type: "graph",
    phase: "compiled",
    name: json.name,
    stages: [
      {
        pass: "dataflow",
        title: "TF1 dataflow",
        enabled: true,
        changes: [
          `${c.switch} Switch, ${c.merge} Merge, ${c.enter} Enter, ${c.exit} Exit, ${c.nextIteration} NextIteration, ${c.loopCond} LoopCond, ${c.op} ops`,
        ],
        stats: { nodes: df.nodes.length, kernels: c.op, peakBytes: 0 },
        text: dataflowText(df),
        json,
      },
    ],
  });
}
