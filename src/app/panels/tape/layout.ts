/**
 * A layered layout of a tape for the Tape panel's graph view: leaves in the top row, each op one
 * row below its deepest input (tapes are deep and narrow, so data flows downward). Cheap (linear), so it runs on the main thread for the few
 * hundred nodes the view draws; larger tapes show a window around the selection.
 * @module
 */
import type { TapeNodeInfo } from "../../../schema/events";
import type { TapeLeaf } from "../../state/tape.svelte";

/** A box to draw: a recorded op or a leaf tensor. */
export interface LaidOutBox {
  key: string;
  kind: "op" | "leaf";
  /** Node id for ops, tensor id for leaves. */
  id: number;
  label: string;
  sub: string;
  x: number;
  y: number;
}

/** An edge from a producer box to a consumer box. */
export interface LaidOutEdge {
  from: string;
  to: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export const BOX_W = 112;
export const BOX_H = 30;
const COL_GAP = 14;
const ROW_GAP = 26;

/** Lay out `nodes` (a contiguous window of a tape, in recording order) with the leaves they read. */
export function layoutTape(
  nodes: readonly TapeNodeInfo[],
  leaves: ReadonlyMap<number, TapeLeaf>,
  /** The caption of a tensor the tape reads but knows nothing about (the UI's word for "input"). */
  inputText = "input",
): { boxes: LaidOutBox[]; edges: LaidOutEdge[]; width: number; height: number } {
  const producer = new Map(nodes.map((n) => [n.output, n]));
  const column = new Map<string, number>();
  const boxes: LaidOutBox[] = [];
  const rows: number[] = [];
  // `depth` is the layer (row); `rows[depth]` counts boxes already placed in it (the column).
  const place = (key: string, depth: number, box: Omit<LaidOutBox, "x" | "y">) => {
    const slot = rows[depth] ?? 0;
    rows[depth] = slot + 1;
    column.set(key, depth);
    boxes.push({ ...box, x: slot * (BOX_W + COL_GAP), y: depth * (BOX_H + ROW_GAP) });
  };
  const shapeText = (s: readonly number[]) => `[${s.join(",")}]`;
  for (const n of nodes) {
    for (const inp of n.inputs) {
      const key = producer.has(inp) ? `op${producer.get(inp)!.id}` : `t${inp}`;
      if (!column.has(key) && !producer.has(inp)) {
        const leaf = leaves.get(inp);
        place(key, 0, { key, kind: "leaf", id: inp, label: leaf?.name ?? `t${inp}`, sub: leaf ? shapeText(leaf.shape) : inputText });
      }
    }
    const col = 1 + Math.max(0, ...n.inputs.map((i) => (producer.has(i) ? (column.get(`op${producer.get(i)!.id}`) ?? 0) : 0)));
    place(`op${n.id}`, col, { key: `op${n.id}`, kind: "op", id: n.id, label: n.op, sub: shapeText(n.shape) });
  }
  const at = new Map(boxes.map((b) => [b.key, b]));
  const edges: LaidOutEdge[] = [];
  for (const n of nodes) {
    const to = at.get(`op${n.id}`)!;
    for (const inp of n.inputs) {
      const from = at.get(producer.has(inp) ? `op${producer.get(inp)!.id}` : `t${inp}`);
      if (from) edges.push({ from: from.key, to: to.key, x1: from.x + BOX_W / 2, y1: from.y + BOX_H, x2: to.x + BOX_W / 2, y2: to.y });
    }
  }
  const width = Math.max(0, ...boxes.map((b) => b.x + BOX_W));
  const height = Math.max(0, ...boxes.map((b) => b.y + BOX_H));
  return { boxes, edges, width, height };
}
