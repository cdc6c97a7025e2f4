/**
 * The execution modes a program runs in, each returning what it computed (results, gradients, and
 * the arguments and captures afterwards, since in-place writes must land there too), and the
 * pairs compared: every jit/transform mode against its eager reference.
 */
import { grad, jit, nn, type Tensor } from "../../../src/lib/index";
import { callList, instantiate, type CallArgs, type Instance } from "./instance";
import { inputsOf } from "./source";
import type { Program } from "./program";

export interface Value {
  label: string;
  dtype: string;
  shape: number[];
  /** null for a missing gradient. */
  data: number[] | null;
}
export type Outcome = { values: Value[] } | { error: string };

export type ModeName = "eager" | "jit" | "eager×2" | "jit×2" | "grad" | "grad(jit)" | "jit(grad)" | "backward" | "backward(jit)";

interface Mode {
  run(p: Program): Promise<Value[]>;
  /** The mode as TypeScript, given the call's argument list (and the second call's, for ×2). */
  print(call: string, callB: string, argnums: string): string;
}

async function read(label: string, t: Tensor | null | undefined): Promise<Value> {
  if (t === null || t === undefined) return { label, dtype: "", shape: [], data: null };
  return { label, dtype: t.dtype, shape: [...t.shape], data: Array.from(await t.data(), Number) };
}

const readAll = (prefix: string, ts: readonly (Tensor | null)[]) => Promise.all(ts.map((t, i) => read(`${prefix}${i}`, t)));

/** The arguments and captures after the call (in-place writes must have landed in both modes). */
async function after(tag: string, inst: Instance, a: CallArgs): Promise<Value[]> {
  return [...(await readAll(`${tag}input after `, a.inputs)), ...(await readAll(`${tag}capture after `, inst.captures))];
}

const argnumsOf = (p: Program): number[] => inputsOf(p).map((_, i) => i);
const lossOf =
  (f: Instance["f"]) =>
  (...a: unknown[]) =>
    f(...a)[0]!;

function forward(wrap: (f: Instance["f"]) => Instance["f"], twice: boolean): Mode["run"] {
  return async (p) => {
    const inst = instantiate(p);
    const f = wrap(inst.f);
    const out: Value[] = [];
    for (const v of twice ? ([0, 1] as const) : ([0] as const)) {
      const a = inst.args(v);
      out.push(...(await readAll(`call ${v} result `, f(...callList(a)))), ...(await after(`call ${v} `, inst, a)));
    }
    return out;
  };
}

function gradient(
  make: (loss: Instance["f"] extends (...a: infer A) => unknown ? (...a: A) => Tensor : never, argnums: number[]) => (...a: unknown[]) => unknown,
): Mode["run"] {
  return async (p) => {
    const inst = instantiate(p);
    const a = inst.args(0);
    const g = make(lossOf(inst.f), argnumsOf(p))(...callList(a)) as Tensor[];
    return [...(await readAll("grad ", g)), ...(await after("", inst, a))];
  };
}

function backward(wrap: (f: Instance["f"]) => Instance["f"]): Mode["run"] {
  return async (p) => {
    const inst = instantiate(p);
    const a = inst.args(0);
    for (const x of a.inputs) x.requiresGrad_();
    const out = wrap(inst.f)(...callList(a));
    out[0]!.backward();
    const params = a.helpers.flatMap((h) => (h instanceof nn.Module ? h.parameters() : []));
    return [
      ...(await readAll("result ", out)),
      ...(await readAll(
        "input grad ",
        a.inputs.map((x) => x.grad),
      )),
      ...(await readAll(
        "module param grad ",
        params.map((w) => w.grad),
      )),
      ...(await after("", inst, a)),
    ];
  };
}

const id = <F>(f: F) => f;

export const MODES: Record<ModeName, Mode> = {
  eager: { run: forward(id, false), print: (c) => `f(${c})` },
  jit: { run: forward((f) => jit(f), false), print: (c) => `jit(f)(${c})` },
  "eager×2": { run: forward(id, true), print: (c, cb) => `f(${c}); f(${cb})` },
  "jit×2": { run: forward((f) => jit(f), true), print: (c, cb) => `const jf = jit(f); jf(${c}); jf(${cb})` },
  grad: { run: gradient((l, argnums) => grad(l, { argnums })), print: (c, _, n) => `grad((...a) => f(...a)[0], { argnums: ${n} })(${c})` },
  "grad(jit)": { run: gradient((l, argnums) => grad(jit(l), { argnums })), print: (c, _, n) => `grad(jit((...a) => f(...a)[0]), { argnums: ${n} })(${c})` },
  "jit(grad)": { run: gradient((l, argnums) => jit(grad(l, { argnums }))), print: (c, _, n) => `jit(grad((...a) => f(...a)[0], { argnums: ${n} }))(${c})` },
  backward: { run: backward(id), print: (c) => `/* inputs .requiresGrad_() */ f(${c})[0].backward()` },
  "backward(jit)": { run: backward((f) => jit(f)), print: (c) => `/* inputs .requiresGrad_() */ jit(f)(${c})[0].backward()` },
};

/**
 * [reference, mode under test]: each jit or transform mode against eager. eager vs jit is left
 * out: the ×2 pair's first call is that comparison (the minimizer prints it when it suffices).
 */
export const PAIRS: readonly (readonly [ModeName, ModeName])[] = [
  ["eager×2", "jit×2"],
  ["grad", "grad(jit)"],
  ["grad", "jit(grad)"],
  ["backward", "backward(jit)"],
];

/** The modes a program needs (grad modes only with tensor inputs to differentiate). */
export function pairsFor(p: Program): (readonly [ModeName, ModeName])[] {
  return PAIRS.filter(([r]) => inputsOf(p).length > 0 || (r !== "grad" && r !== "backward"));
}

export async function runMode(p: Program, m: ModeName): Promise<Outcome> {
  try {
    return { values: await MODES[m].run(p) };
  } catch (e) {
    return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}
