import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "staging-cost",
    prompt: {
      en: "A 1 MiB message crosses nodes over InfiniBand (GPUDirect RDMA). Without GPUDirect it is staged through host memory over PCIe (α = 5 µs, 32 GB/s) on both ends. How many µs does staging add?",
      zh: "一条 1 MiB 的消息经 InfiniBand（GPUDirect RDMA）跨节点传输。若没有 GPUDirect，两端都要经 PCIe（α = 5 µs，32 GB/s）在主机内存中转。中转会多花多少 µs？",
    },
    answer: 75.5,
    tolerance: 1,
    explanation: {
      en: "2·(α + n/B) = 2·(5 µs + 1 048 576 B / 32 GB/s) = 2·(5 + 32.8) ≈ 75.5 µs, more than the network transfer itself (≈ 47 µs).",
      zh: "2·(α + n/B) = 2·(5 µs + 1 048 576 B / 32 GB/s) = 2·(5 + 32.8) ≈ 75.5 µs，比网络传输本身（≈ 47 µs）还多。",
    },
  },
  {
    kind: "implement",
    id: "path-time",
    prompt: {
      en: "Write `pathTime(hops, n)`: the time of an n-byte message along `hops` (each `{ latency, bandwidth, staged }`, seconds and bytes/s). The hops that are not staged form one pipelined route (every latency, the smallest bandwidth); each staged hop is a store-and-forward copy that adds its own α + n/B. The check compares with `dist.commPath(...).time(n)` on several clusters.",
      zh: "实现 `pathTime(hops, n)`：n 字节的消息沿 `hops`（每一跳为 `{ latency, bandwidth, staged }`，单位是秒和字节/秒）传输所需的时间。非中转的跳组成一条流水化路由（付每一跳的时延，带宽取最小值）；每个中转跳是一次存储转发拷贝，要加上它自己的 α + n/B。检查会在几个集群上与 `dist.commPath(...).time(n)` 比较。",
    },
    starter: `/** Time of an n-byte message along the hops: one pipelined route plus each staged copy. */
export function pathTime(hops: { latency: number; bandwidth: number; staged: boolean }[], n: number): number {
  // TODO: this pays every hop's bandwidth in full, as if each switch stored the whole message first
  return hops.reduce((t, h) => t + h.latency + n / h.bandwidth, 0);
}

console.log(pathTime([{ latency: 2.5e-6, bandwidth: 25e9, staged: false }, { latency: 2.5e-6, bandwidth: 25e9, staged: false }], 2 ** 20));
`,
    solution: `/** Time of an n-byte message along the hops: one pipelined route plus each staged copy. */
export function pathTime(hops: { latency: number; bandwidth: number; staged: boolean }[], n: number): number {
  const route = hops.filter((h) => !h.staged);
  // A pipelined route: every hop's latency, but the bytes stream at the slowest hop's bandwidth.
  let t = route.reduce((s, h) => s + h.latency, 0) + n / Math.min(...route.map((h) => h.bandwidth));
  for (const h of hops) if (h.staged) t += h.latency + n / h.bandwidth;
  return t;
}

console.log(pathTime([{ latency: 2.5e-6, bandwidth: 25e9, staged: false }, { latency: 2.5e-6, bandwidth: 25e9, staged: false }], 2 ** 20));
`,
    check: `export default async function check(learner, t, wg) {
  const { dist } = wg;
  const clusters = [
    ["2 nodes, InfiniBand", dist.cluster({ nodes: 2, devicesPerNode: 4, inter: "InfiniBand" })],
    ["2 nodes, RoCE", dist.cluster({ nodes: 2, devicesPerNode: 2, inter: "RoCE" })],
    ["ring of PCIe", dist.cluster({ devicesPerNode: 8, topology: "ring", intra: "PCIe" })],
  ];
  for (const [name, c] of clusters) {
    const last = c.devices.length - 1;
    for (const gpuDirect of [true, false]) {
      for (const n of [1024, 2 ** 20]) {
        const path = dist.commPath(c, 0, last, { gpuDirect });
        await t.case({ en: name + ", d0 → d" + last + (gpuDirect ? "" : ", staged") + ", " + n + " B", zh: name + "，d0 → d" + last + (gpuDirect ? "" : "，中转") + "，" + n + " B" }, () => {
          t.close(t.fn("pathTime")(path.hops.map((h) => ({ latency: h.latency, bandwidth: h.bandwidth, staged: h.staged })), n), path.time(n), 1e-9);
        });
      }
    }
  }
}
`,
    hints: [
      {
        en: "Split the hops: those with staged = false are one route (Σα + n / min B); each staged one adds α + n/B.",
        zh: "把跳分开：staged = false 的组成一条路由（Σα + n / min B）；每个中转跳再加上 α + n/B。",
      },
      {
        en: "Math.min(...route.map((h) => h.bandwidth)) is the route's bottleneck.",
        zh: "Math.min(...route.map((h) => h.bandwidth)) 就是路由的瓶颈带宽。",
      },
    ],
  },
]);
