/**
 * The simulated cluster computes on the host: its devices are simulated, their memory is host
 * memory, and collectives read and write it synchronously. Creating a cluster therefore makes
 * the CPU backend the default (and says so); a tensor still on another backend is a clear error.
 */
import { emit, hasListeners } from "../events";
import { getDefaultBackend, setDefaultBackend } from "../backend/registry";
import { fmtShape } from "../tensor/shape";
import type { Tensor } from "../tensor/tensor";
import { DistError } from "./errors";

/** Make the CPU backend the default for what follows, announcing the switch when it happens. */
export function useHostBackend(): void {
  const previous = getDefaultBackend().name;
  if (previous === "cpu") return;
  setDefaultBackend("cpu");
  if (hasListeners()) {
    emit({
      type: "backend",
      name: "cpu",
      detail: `CPU — the simulated cluster computes on the host (switched from ${previous} by dist.cluster(); setDefaultBackend("${previous}") switches back)`,
    });
  }
}

/** Check that `t` can be read on the host, with an error that says what to do. */
export function hostTensor(t: Tensor, op: string): Tensor {
  if (t.device !== "cpu") {
    throw new DistError(
      op,
      `the tensor ${fmtShape(t.shape)} lives on ${t.device}, but the simulated cluster computes on the CPU backend: create it after dist.cluster() (which makes the CPU the default), or with { device: "cpu" }`,
    );
  }
  return t;
}
