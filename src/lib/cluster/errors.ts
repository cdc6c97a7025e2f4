/** Errors of the simulated cluster: they name the device, the collective and the rule broken. */
import { WebgradError } from "../errors";

/**
 * Misuse of the simulated cluster: a tensor on the wrong device, a device count an algorithm cannot take, …
 * @example try { dist.allReduce(xs, { algorithm: "recursive-doubling" }); } catch (e) { if (e instanceof dist.DistError) console.log(e.message); }
 */
export class DistError extends WebgradError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = "DistError";
  }
}

/**
 * A simulated device ran out of memory: names the device, what was being allocated and the bytes.
 * @example try { dev.allocate(1e12, "activations", "x"); } catch (e) { if (e instanceof dist.OutOfMemoryError) console.log(e.device, e.requested); }
 */
export class OutOfMemoryError extends DistError {
  constructor(
    op: string,
    message: string,
    /** The device's id. */
    readonly device: number,
    /** Bytes requested by the failed allocation. */
    readonly requested: number,
  ) {
    super(op, message);
    this.name = "OutOfMemoryError";
  }
}

/** Human-readable bytes ("1.50 GiB"). */
export function fmtBytes(b: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = b;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${b} B` : `${v.toFixed(2)} ${units[i]}`;
}
