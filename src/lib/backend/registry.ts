/** Which backends exist and which one new tensors go to. */
import { WebgradError } from "../errors";
import type { Backend } from "./backend";
import { CpuBackend } from "./cpu/cpu";

const backends = new Map<string, Backend>();
let defaultBackend: Backend | null = null;

/** Make a backend available by its name. */
export function registerBackend(b: Backend): void {
  backends.set(b.name, b);
}

/** The backend new tensors are created on (the CPU backend until another is chosen). */
export function getDefaultBackend(): Backend {
  if (defaultBackend === null) {
    if (!backends.has("cpu")) registerBackend(new CpuBackend());
    defaultBackend = backends.get("cpu")!;
  }
  return defaultBackend;
}

/** Choose the backend for new tensors ("cpu" or "webgpu", when registered). */
export function setDefaultBackend(name: string): void {
  defaultBackend = getBackend(name);
}

/** A backend by name. */
export function getBackend(name: string): Backend {
  getDefaultBackend();
  const b = backends.get(name);
  if (!b)
    throw new WebgradError(
      "backend",
      `no backend named "${name}" (available: ${[...backends.keys()].join(", ")})${name === "webgpu" ? "; start it with await initWebGPU()" : ""}`,
    );
  return b;
}
