import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "full-links",
    prompt: { en: "How many links does a fully connected node of 8 devices need?", zh: "8 个设备全互连的节点需要多少条链路？" },
    answer: 28,
    tolerance: 0,
    explanation: { en: "Every pair needs its own link: n(n − 1)/2 = 8·7/2 = 28.", zh: "每一对设备都需要一条链路：n(n − 1)/2 = 8·7/2 = 28。" },
  },
  {
    kind: "implement",
    id: "diameter",
    prompt: {
      en: 'Write `diameter(kind, n)`: the most hops between two of n devices wired as `"ring"`, `"mesh2d"` or `"torus2d"` (n = k², a k × k grid) or `"switch"` (every device on one switch). The check builds each with `dist.cluster` and compares with `c.topology.diameter()`.',
      zh: '实现 `diameter(kind, n)`：n 台设备以 `"ring"`、`"mesh2d"`、`"torus2d"`（n = k²，k × k 网格）或 `"switch"`（所有设备接在一台交换机上）方式连接时，任意两台设备之间最多的跳数。检查会用 `dist.cluster` 搭出每种拓扑，并与 `c.topology.diameter()` 比较。',
    },
    starter: `/** Diameter in hops of n devices wired as a ring, a k × k mesh or torus (n = k²), or one switch. */
export function diameter(kind: "ring" | "mesh2d" | "torus2d" | "switch", n: number): number {
  const k = Math.sqrt(n);
  // TODO: the torus's wrap-around links are ignored, and a switch is not one hop away
  if (kind === "ring") return Math.floor(n / 2);
  if (kind === "mesh2d" || kind === "torus2d") return 2 * (k - 1);
  return 1;
}

for (const kind of ["ring", "mesh2d", "torus2d", "switch"] as const) console.log(kind, diameter(kind, 16));
`,
    solution: `/** Diameter in hops of n devices wired as a ring, a k × k mesh or torus (n = k²), or one switch. */
export function diameter(kind: "ring" | "mesh2d" | "torus2d" | "switch", n: number): number {
  const k = Math.sqrt(n);
  if (kind === "ring") return Math.floor(n / 2);
  if (kind === "mesh2d") return 2 * (k - 1);
  // Wrap-around links: at most ⌊k/2⌋ hops along each dimension.
  if (kind === "torus2d") return 2 * Math.floor(k / 2);
  // Device → switch → device.
  return 2;
}

for (const kind of ["ring", "mesh2d", "torus2d", "switch"] as const) console.log(kind, diameter(kind, 16));
`,
    check: `export default async function check(learner, t, wg) {
  for (const kind of ["ring", "mesh2d", "torus2d", "switch"]) {
    for (const n of [9, 16, 25]) {
      await t.case({ en: kind + ", n = " + n, zh: kind + "，n = " + n }, () => {
        const c = wg.dist.cluster({ devicesPerNode: n, topology: kind });
        t.equal(t.fn("diameter")(kind, n), c.topology.diameter());
      });
    }
  }
}
`,
    hints: [
      {
        en: "A torus wraps around: along a ring of k devices the farthest is ⌊k/2⌋ hops away, in each of the two dimensions.",
        zh: "环面首尾相接：在 k 台设备组成的环上，最远的设备相距 ⌊k/2⌋ 跳，两个维度各是如此。",
      },
      {
        en: "Through a switch every pair is two links apart: device → switch → device.",
        zh: "经过交换机时，任意一对设备都相隔两条链路：设备 → 交换机 → 设备。",
      },
    ],
  },
]);
