/**
 * Running a schedule on real data: each rank's buffer is a typed array; a step first copies out
 * every payload (what each sender holds before the step, as on real hardware where both partners
 * of an exchange send what they had), then copies or adds each payload into its receiver's buffer.
 * The sums are therefore computed on the data each step sends, in the algorithm's order.
 * @module
 */
import type { TypedArray } from "../../tensor/dtype";
import type { Schedule } from "../schedule";

/** Run `s` on `buffers` (one per rank, `s.elements` long), in place; `afterStep` sees the buffers after each step (first transfer index, end index). */
export function executeSchedule(s: Schedule, buffers: TypedArray[], afterStep?: (step: number, from: number, to: number) => void): void {
  const { src, dst, srcBlock, dstBlock, nBlocks, reduce, step } = s.columns();
  const n = s.length;
  for (let i = 0; i < n;) {
    let j = i;
    while (j < n && step[j] === step[i]) j++;
    const payloads: TypedArray[] = [];
    for (let k = i; k < j; k++) payloads.push(buffers[src[k]].slice(s.blockStart(srcBlock[k]), s.blockStart(srcBlock[k] + nBlocks[k])));
    for (let k = i; k < j; k++) {
      const out = buffers[dst[k]],
        data = payloads[k - i];
      const at = s.blockStart(dstBlock[k]);
      if (reduce[k]) for (let e = 0; e < data.length; e++) out[at + e] += data[e];
      else out.set(data as never, at);
    }
    afterStep?.(step[i], i, j);
    i = j;
  }
}
