/** Pytrees: nested arrays and plain objects whose leaves are tensors (other values are kept as they are). */
import { Tensor } from "../tensor/tensor";

/* eslint-disable @typescript-eslint/no-explicit-any -- a rebuilt tree has the caller's own shape, which
   the caller knows and the types cannot say; `any` hands it back as theirs (see grad's results). */

/** A tensor, or arrays / objects of pytrees. */
export type PyTree = Tensor | number | string | boolean | null | undefined | readonly PyTree[] | { readonly [key: string]: PyTree };

/** The tensors of a tree in a fixed order, and a function that rebuilds the tree from new leaves. */
export function treeFlatten(tree: unknown): { leaves: Tensor[]; unflatten: (leaves: readonly unknown[]) => any } {
  const leaves: Tensor[] = [];
  const build = (t: unknown): ((ls: readonly unknown[]) => unknown) => {
    if (t instanceof Tensor) {
      const i = leaves.length;
      leaves.push(t);
      return (ls) => ls[i];
    }
    if (Array.isArray(t)) {
      const parts = t.map(build);
      return (ls) => parts.map((p) => p(ls));
    }
    if (t !== null && typeof t === "object" && Object.getPrototypeOf(t) === Object.prototype) {
      const entries = Object.entries(t as Record<string, unknown>).map(([k, v]) => [k, build(v)] as const);
      return (ls) => Object.fromEntries(entries.map(([k, p]) => [k, p(ls)]));
    }
    return () => t;
  };
  const rebuild = build(tree);
  return { leaves, unflatten: (ls) => rebuild(ls) };
}

/** Apply `fn` to every tensor of a tree. */
export function treeMap(tree: unknown, fn: (t: Tensor, i: number) => unknown): any {
  const { leaves, unflatten } = treeFlatten(tree);
  return unflatten(leaves.map(fn));
}
