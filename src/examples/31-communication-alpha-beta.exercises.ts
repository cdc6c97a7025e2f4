import { defineExercises } from "../app/lessons/exercise";

export default defineExercises([
  {
    kind: "predict",
    id: "half-bandwidth",
    prompt: {
      en: "A link has latency α = 2 µs and bandwidth B = 100 GB/s. At what message size, in KB (1 KB = 1000 bytes), does it reach half its bandwidth?",
      zh: "一条链路的延迟 α = 2 µs，带宽 B = 100 GB/s。消息多大（单位 KB，1 KB = 1000 字节）时它达到一半带宽？",
    },
    answer: 200,
    tolerance: 1,
    explanation: {
      en: "n½ = α·B = 2·10⁻⁶ s × 10¹¹ B/s = 2·10⁵ bytes = 200 KB: there the latency and the transfer take equally long.",
      zh: "n½ = α·B = 2·10⁻⁶ s × 10¹¹ B/s = 2·10⁵ 字节 = 200 KB：此时延迟与传输耗时相等。",
    },
  },
  {
    kind: "implement",
    id: "alpha-beta-time",
    prompt: {
      en: 'Write the α–β cost of one message: `sendTime(bytes, alpha, bandwidth)` in seconds, and `achievedBandwidth(bytes, alpha, bandwidth)` in bytes per second. The check compares `sendTime` with the simulator\'s clock (`dist.simulate("send", …)`) on NVLink and InfiniBand, from 1 KiB to 1 GiB.',
      zh: '写出一条消息的 α–β 代价：`sendTime(bytes, alpha, bandwidth)`（秒）和 `achievedBandwidth(bytes, alpha, bandwidth)`（字节/秒）。检查会在 NVLink 和 InfiniBand 上、从 1 KiB 到 1 GiB，把 `sendTime` 与模拟器的时钟（`dist.simulate("send", …)`）对比。',
    },
    starter: `/** Seconds to send \`bytes\` over a link with latency alpha (s) and bandwidth B (bytes/s). */
export function sendTime(bytes: number, alpha: number, bandwidth: number): number {
  // TODO: only the bandwidth term — what does every message pay besides?
  return bytes / bandwidth;
}

/** Bytes per second a message of this size actually achieves. */
export function achievedBandwidth(bytes: number, alpha: number, bandwidth: number): number {
  return bytes / sendTime(bytes, alpha, bandwidth);
}

console.log("1 KiB over NVLink-like α = 2 µs, B = 300 GB/s:", achievedBandwidth(1024, 2e-6, 300e9) / 1e9, "GB/s");
`,
    solution: `/** Seconds to send \`bytes\` over a link with latency alpha (s) and bandwidth B (bytes/s). */
export function sendTime(bytes: number, alpha: number, bandwidth: number): number {
  return alpha + bytes / bandwidth; // a fixed latency, then the bytes at the link's bandwidth
}

/** Bytes per second a message of this size actually achieves. */
export function achievedBandwidth(bytes: number, alpha: number, bandwidth: number): number {
  return bytes / sendTime(bytes, alpha, bandwidth);
}

console.log("1 KiB over NVLink-like α = 2 µs, B = 300 GB/s:", achievedBandwidth(1024, 2e-6, 300e9) / 1e9, "GB/s");
`,
    check: `export default async function check(learner, t, wg) {
  for (const link of ["NVLink", "InfiniBand"]) {
    const c = link === "InfiniBand" ? wg.dist.cluster({ nodes: 2, devicesPerNode: 1, inter: link }) : wg.dist.cluster({ devicesPerNode: 2, intra: link });
    const spec = link === "InfiniBand" ? c.inter : c.intra;
    for (const bytes of [2 ** 10, 2 ** 20, 2 ** 30]) {
      await t.case({ en: link + ", " + bytes + " bytes: the simulator's time", zh: link + "，" + bytes + " 字节：模拟器的时间" }, () => {
        const r = wg.dist.simulate("send", { devices: c.devices, bytes, emit: false });
        t.close(t.fn("sendTime")(bytes, spec.latency, spec.bandwidth), r.time, 1e-6);
      });
    }
  }
  await t.case({ en: "half the bandwidth at n = α·B", zh: "n = α·B 时达到一半带宽" }, () => {
    t.close(t.fn("achievedBandwidth")(2e-6 * 100e9, 2e-6, 100e9), 50e9, 1e-9);
  });
}
`,
    hints: [
      {
        en: "Every message first pays the latency α, however small it is; then bytes/B (β = 1/B seconds per byte).",
        zh: "每条消息无论多小，都要先付出延迟 α；然后再加上 bytes/B（β = 1/B 为每字节的秒数）。",
      },
    ],
  },
]);
