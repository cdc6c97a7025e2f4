/**
 * What kind of op a node is: the category every op definition declares, carried on the tape and
 * graph events so the panels colour and group nodes without keeping their own lists of op names.
 * Shared by the library and the UI, so it imports nothing and touches no DOM.
 * @module
 */

/**
 * Every op category, in legend order. Primitives of the op table use all but `control` and
 * `fused`, which are graph nodes with regions (cond / while / scan, and fused kernels).
 */
export const OP_CATEGORIES = [
  "unary",
  "binary",
  "ternary",
  "cast",
  "reduce",
  "matmul",
  "movement",
  "index",
  "nn",
  "loss",
  "random",
  "control",
  "fused",
] as const;

/** The category of an op (see {@link OP_CATEGORIES}). */
export type OpCategory = (typeof OP_CATEGORIES)[number];

/**
 * The categories of elementwise ops: one output element from the same element of each
 * (broadcast) input. Fusion chains them and the memory plan may compute them in place.
 */
export const ELEMENTWISE_CATEGORIES: ReadonlySet<OpCategory> = new Set<OpCategory>(["unary", "binary", "ternary", "cast"]);

/** The groups a legend shows: the elementwise categories share one colour, the rest have their own. */
export type OpCategoryGroup = "elementwise" | Exclude<OpCategory, "unary" | "binary" | "ternary" | "cast">;

/** The legend group of a category. */
export function categoryGroup(c: OpCategory): OpCategoryGroup {
  return c === "unary" || c === "binary" || c === "ternary" || c === "cast" ? "elementwise" : c;
}

/** A category's label in legends and node details. */
export const OP_CATEGORY_LABELS: { readonly [C in OpCategory]: string } = {
  unary: "elementwise unary",
  binary: "elementwise binary",
  ternary: "elementwise ternary (where)",
  cast: "cast",
  reduce: "reduce",
  matmul: "matmul",
  movement: "shape / view",
  index: "gather / scatter",
  nn: "softmax & co",
  loss: "loss",
  random: "random",
  control: "control flow",
  fused: "fused kernel",
};

/** A legend group's label. */
export const OP_CATEGORY_GROUP_LABELS: { readonly [G in OpCategoryGroup]: string } = {
  elementwise: "elementwise",
  reduce: "reduce",
  matmul: "matmul",
  movement: "shape / view",
  index: "gather / scatter",
  nn: "softmax & co",
  loss: "loss",
  random: "random",
  control: "control flow",
  fused: "fused kernel",
};

/** True for a string that names a category (a check for data that arrives over the wire). */
export function isOpCategory(s: unknown): s is OpCategory {
  return typeof s === "string" && (OP_CATEGORIES as readonly string[]).includes(s);
}
