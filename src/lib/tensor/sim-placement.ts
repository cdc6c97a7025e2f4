/**
 * The tensor core's door to the simulated cluster: `randn(shape, { device: d })` and `t.to(d)` with
 * a `dist.SimDevice` hand the tensor to a placement hook that the cluster module (cluster/placement.ts) installs when it
 * loads. The core never imports the cluster at run time (the imports below are types only), so there is
 * no module cycle; the hook is the one place where the two meet.
 * @module
 */
import { WebgradError } from "../errors";
import type { SimDevice } from "../cluster/device";
import type { DeviceTensor } from "../cluster/placement";
import type { Tensor } from "./tensor";

/** What the cluster installs: place a host tensor on a simulated device (owned by the result, or copied). */
export interface SimPlacementHook {
  place(t: Tensor, device: SimDevice, op: string, copy: boolean): DeviceTensor;
}

/** @internal The installed hook (cluster/placement.ts sets it). */
export const simPlacement: { hook: SimPlacementHook | null } = { hook: null };

/** A `device` option that is not a backend name: a simulated device. */
export function isSimDeviceOption(device: unknown): device is SimDevice {
  return typeof device === "object" && device !== null;
}

/**
 * Place `t` on the simulated device through the hook: `copy` for `t.to(device)`, none for a tensor
 * just created. An error names the op when dist is not loaded.
 */
export function placeOnSimDevice(t: Tensor, device: SimDevice, op: string, copy = false): DeviceTensor {
  const hook = simPlacement.hook;
  if (hook === null)
    throw new WebgradError(op, `device must be a backend name ("cpu", "webgpu") or a simulated device from dist.cluster(), got ${String(device)}`);
  return hook.place(t, device, op, copy);
}
