/**
 * The pipeline clock without a timeline: the same schedules (`dist.PIPELINE_SCHEDULES`) and the same
 * rules as `dist.simulatePipeline` (an op starts when its input has arrived and its device is free;
 * sends cost latency, not device time), on typed arrays, so a 64-stage pipeline of 512 microbatches
 * costs milliseconds. `intervals` records what the step timeline draws, only when asked.
 * @module
 */
import { DistError } from "../errors";
import type { PipelineScheduleName } from "../strategies/pipeline";

/**
 * What the lean clock reports.
 * @example const { time, busy } = dist.pipelineClock("1f1b", 4, 8, 1, [1, 1, 1, 1], [2, 2, 2, 2], () => 0);
 */
export interface PipelineClockResult {
  time: number;
  /** Compute seconds of each device. */
  busy: Float64Array;
  /** When asked: every op as [device, virtual stage, microbatch, F (0) or B (1), t0, t1]. */
  intervals?: number[][];
}

/**
 * One device's op order as arithmetic, without building it: the same orders as
 * `dist.PIPELINE_SCHEDULES` (GPipe: every forward, then every backward; 1F1B and interleaved:
 * Megatron-LM's warm-up forwards, one forward one backward, cool-down backwards).
 */
class Order {
  readonly length: number;
  private readonly warmup: number;
  private readonly steady: number;
  /** The op at the last `at` call: forward?, microbatch, chunk. */
  forward = true;
  micro = 0;
  chunk = 0;
  constructor(
    private readonly gpipe: boolean,
    d: number,
    private readonly p: number,
    private readonly m: number,
    private readonly v: number,
  ) {
    const total = m * v;
    this.length = 2 * total;
    this.warmup = gpipe ? total : v === 1 ? Math.min(p - d - 1, m) : Math.min((p - d - 1) * 2 + (v - 1) * p, total);
    this.steady = gpipe ? 0 : total - this.warmup;
  }
  /** Decode op i into forward / micro / chunk. */
  at(i: number): void {
    if (this.gpipe) {
      this.forward = i < this.m;
      this.micro = this.forward ? i : i - this.m;
      this.chunk = 0;
      return;
    }
    let k: number;
    if (i < this.warmup) {
      this.forward = true;
      k = i;
    } else if (i < this.warmup + 2 * this.steady) {
      const j = i - this.warmup;
      this.forward = j % 2 === 0;
      k = this.forward ? this.warmup + j / 2 : (j - 1) / 2;
    } else {
      this.forward = false;
      k = this.steady + (i - this.warmup - 2 * this.steady);
    }
    const p = this.p,
      v = this.v;
    let chunk = Math.floor(k / p) % v;
    if (!this.forward) chunk = v - 1 - chunk;
    this.chunk = chunk;
    this.micro = Math.floor(k / (p * v)) * p + (k % p);
  }
}

const orderOf = (schedule: PipelineScheduleName, d: number, p: number, m: number, v: number) =>
  new Order(schedule === "gpipe", d, p, m, schedule === "interleaved" ? v : 1);

/**
 * Peak activation bytes of device d of a schedule (`dist.peakActivationBytes` of its order, without building it).
 * @example dist.pipelinePeakActivations("1f1b", 0, 4, 8, 1, [10])   // 40: four microbatches in flight
 */
export function pipelinePeakActivations(schedule: PipelineScheduleName, d: number, p: number, m: number, v: number, chunkBytes: ArrayLike<number>): number {
  const o = orderOf(schedule, d, p, m, v);
  let held = 0,
    peak = 0;
  for (let i = 0; i < o.length; i++) {
    o.at(i);
    held += o.forward ? chunkBytes[o.chunk] : -chunkBytes[o.chunk];
    if (held > peak) peak = held;
  }
  return peak;
}

/**
 * Run schedule `schedule` with p devices, m microbatches, v chunks per device; `forward[s]`/`backward[s]`
 * per virtual stage s = chunk·p + device; `send(from, to)` seconds between virtual stages.
 * @example dist.pipelineClock("gpipe", 4, 8, 1, [1, 1, 1, 1], [2, 2, 2, 2], () => 0).time   // (8 + 3) · 3
 */
export function pipelineClock(
  schedule: PipelineScheduleName,
  p: number,
  m: number,
  v: number,
  forward: ArrayLike<number>,
  backward: ArrayLike<number>,
  send: (from: number, to: number) => number,
  record = false,
): PipelineClockResult {
  if (schedule === "interleaved" && m % p !== 0)
    throw new DistError("dist.plan", `interleaved 1F1B needs the microbatch count (${m}) to be a multiple of the pipeline depth (${p})`);
  const vv = schedule === "interleaved" ? v : 1;
  const orders = Array.from({ length: p }, (_, d) => orderOf(schedule, d, p, m, v));
  const S = p * vv;
  const sendUp = new Float64Array(S),
    sendDown = new Float64Array(S);
  for (let s = 1; s < S; s++) {
    sendUp[s] = send(s - 1, s);
    sendDown[s - 1] = send(s, s - 1);
  }
  const fDone = new Float64Array(S * m).fill(NaN),
    bDone = new Float64Array(S * m).fill(NaN);
  const next = new Int32Array(p),
    free = new Float64Array(p),
    busy = new Float64Array(p);
  const intervals: number[][] | undefined = record ? [] : undefined;
  let left = 2 * m * vv * p;
  // Sweep the devices up, then down: forwards flow up the pipeline and backwards down, so alternating
  // resolves a whole chain of waits per sweep (one direction only would take a sweep per hop: p·m sweeps).
  // Op times depend only on their inputs and their device's order, not on the sweep order.
  let up = true;
  while (left > 0) {
    let progressed = false;
    for (let k = 0; k < p; k++) {
      const d = up ? k : p - 1 - k;
      const order = orders[d];
      while (next[d] < order.length) {
        order.at(next[d]);
        const s = order.chunk * p + d;
        const fw = order.forward,
          micro = order.micro;
        let ready: number;
        if (fw) ready = s === 0 ? 0 : fDone[(s - 1) * m + micro] + sendUp[s];
        else ready = s === S - 1 ? fDone[s * m + micro] : bDone[(s + 1) * m + micro] + sendDown[s];
        if (ready !== ready) break; // NaN: its input has not been computed yet
        const t0 = ready > free[d] ? ready : free[d];
        const dt = fw ? forward[s] : backward[s];
        const t1 = t0 + dt;
        (fw ? fDone : bDone)[s * m + micro] = t1;
        busy[d] += dt;
        intervals?.push([d, s, micro, fw ? 0 : 1, t0, t1]);
        free[d] = t1;
        next[d]++;
        left--;
        progressed = true;
      }
    }
    if (!progressed) throw new DistError("dist.plan", "the pipeline schedule deadlocks (an op waits for one that never runs)");
    up = !up;
  }
  let time = 0;
  for (let d = 0; d < p; d++) if (free[d] > time) time = free[d];
  return { time, busy, intervals };
}
