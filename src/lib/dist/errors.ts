/** Errors of the simulated cluster: they name the device, the collective and the rule broken. */
import { WebgradError } from "../errors";

/** Misuse of the simulated cluster: a tensor on the wrong device, a device count an algorithm cannot take, … */
export class DistError extends WebgradError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = "DistError";
  }
}

/** A simulated device ran out of memory: names the device, what was being allocated and the bytes. */
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
