import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "server-link-bytes",
    prompt: {
      en: "8 workers push 1 MiB of gradient each to one parameter server and pull 1 MiB back. How many MiB cross the server's cable in total (both directions)?",
      zh: "8 个 worker 各向一台参数服务器推送 1 MiB 梯度，再各拉回 1 MiB。服务器的线缆上一共（两个方向）经过多少 MiB？",
    },
    answer: 16,
    tolerance: 0,
    explanation: {
      en: "2·N·n = 2 · 8 · 1 MiB = 16 MiB: 8 MiB in, 8 MiB out. A ring allReduce would put 2(N − 1)/N · n = 1.75 MiB on each link per direction, and no link is special.",
      zh: "2·N·n = 2 · 8 · 1 MiB = 16 MiB：流入 8 MiB，流出 8 MiB。环形 allReduce 在每条链路每个方向上只有 2(N − 1)/N · n = 1.75 MiB，而且没有哪条链路特殊。",
    },
  },
  {
    kind: "implement",
    id: "hotspot-bytes",
    prompt: {
      en: 'Write `hotspotBytes(arch, N, S, n)`: the bytes on the busiest directed link when N workers synchronise n bytes each, for `arch` = `"ps"` (S parameter servers sharing the parameters evenly, all on one switch) or `"ring"` (ring allReduce, S unused). The check runs `dist.parameterServer` and `dist.allReduce` on a simulated switch and compares with `dist.linkTraffic`.',
      zh: '实现 `hotspotBytes(arch, N, S, n)`：N 个 worker 各同步 n 字节时，最繁忙的那条有向链路上的字节数。`arch` 为 `"ps"`（S 台参数服务器平分参数，全部接在一台交换机上）或 `"ring"`（环形 allReduce，不用 S）。检查会在模拟的交换机上运行 `dist.parameterServer` 和 `dist.allReduce`，并与 `dist.linkTraffic` 比较。',
    },
    starter: `/** Bytes on the busiest directed link: "ps" with S servers, or "ring" allReduce; N workers of n bytes. */
export function hotspotBytes(arch: "ps" | "ring", N: number, S: number, n: number): number {
  // TODO: the server receives every worker's gradient... but is that the whole story with S servers? And the ring?
  return arch === "ps" ? N * n : n;
}

console.log(hotspotBytes("ps", 8, 1, 1024), hotspotBytes("ps", 8, 2, 1024), hotspotBytes("ring", 8, 1, 1024));
`,
    solution: `/** Bytes on the busiest directed link: "ps" with S servers, or "ring" allReduce; N workers of n bytes. */
export function hotspotBytes(arch: "ps" | "ring", N: number, S: number, n: number): number {
  // Each server owns n/S of the parameters: N workers push that much into it (and it sends as much back).
  if (arch === "ps") return (N * n) / S;
  // Ring: 2(N − 1) steps of n/N bytes over every worker's link.
  return (2 * (N - 1) * n) / N;
}

console.log(hotspotBytes("ps", 8, 1, 1024), hotspotBytes("ps", 8, 2, 1024), hotspotBytes("ring", 8, 1, 1024));
`,
    check: `export default async function check(learner, t, wg) {
  const { dist, zeros } = wg;
  for (const [N, S] of [[4, 1], [8, 1], [6, 2], [8, 4]]) {
    const c = dist.cluster({ devicesPerNode: N + S, topology: "switch" });
    const workers = c.devices.slice(0, N);
    const grads = workers.map((d) => dist.place(zeros([N * S * 16]), d));
    const n = grads[0].nbytes;
    await t.case({ en: "parameter server, N = " + N + ", S = " + S, zh: "参数服务器，N = " + N + "、S = " + S }, () => {
      const load = dist.linkTraffic(dist.parameterServer(grads, { servers: c.devices.slice(N), emit: false }));
      t.close(t.fn("hotspotBytes")("ps", N, S, n), Math.max(...load), 1e-9);
    });
    await t.case({ en: "ring allReduce, N = " + N, zh: "环形 allReduce，N = " + N }, () => {
      const load = dist.linkTraffic(dist.allReduce(grads, { algorithm: "ring", emit: false }));
      t.close(t.fn("hotspotBytes")("ring", N, S, n), Math.max(...load), 1e-9);
    });
  }
}
`,
    hints: [
      {
        en: "With S servers each owns n/S of the parameters; all N workers send it that share. Count only one direction of its cable.",
        zh: "S 台服务器时每台负责 n/S 的参数，N 个 worker 都把这一份发给它。只算它线缆的一个方向。",
      },
      {
        en: "Ring allReduce: 2(N − 1) steps, each sending n/N bytes from every worker to its neighbour.",
        zh: "环形 allReduce：2(N − 1) 步，每一步每个 worker 向邻居发送 n/N 字节。",
      },
    ],
  },
]);
