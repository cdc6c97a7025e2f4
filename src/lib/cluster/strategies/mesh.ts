/**
 * Device meshes: devices arranged on named axes (["dp", "pp", "tp"], or MindSpore-style ["x", "y"]),
 * the last axis varying fastest, so that the innermost axis (tensor parallelism) stays inside a node.
 * @module
 */
import type { SimDevice } from "../device";
import { DistError } from "../errors";

/**
 * Devices on a named N-dimensional grid.
 * @example
 * const mesh = dist.deviceMesh(c.devices, { dp: 2, pp: 2, tp: 2 });
 * mesh.groups("tp")   // the tensor-parallel groups: [[d0, d1], [d2, d3], …]
 */
export class DeviceMesh {
  readonly axes: string[];
  readonly sizes: number[];
  constructor(
    readonly devices: SimDevice[],
    shape: Record<string, number>,
  ) {
    this.axes = Object.keys(shape);
    this.sizes = Object.values(shape);
    for (const [a, n] of Object.entries(shape)) {
      if (!Number.isInteger(n) || n < 1) throw new DistError("dist.deviceMesh", `axis ${a} must be a positive integer, got ${n}`);
    }
    const total = this.sizes.reduce((s, n) => s * n, 1);
    if (total !== devices.length) {
      throw new DistError(
        "dist.deviceMesh",
        `a ${this.axes.map((a, i) => `${a}=${this.sizes[i]}`).join(" × ")} mesh needs ${total} devices, but ${devices.length} were given: the mesh must factor the device count`,
      );
    }
  }
  /** The axis index of `name`. */
  axis(name: string): number {
    const i = this.axes.indexOf(name);
    if (i < 0) throw new DistError("DeviceMesh", `no axis "${name}" (axes: ${this.axes.join(", ")})`);
    return i;
  }
  /** Coordinates of device index i. */
  coords(i: number): number[] {
    const c = new Array<number>(this.sizes.length);
    for (let a = this.sizes.length - 1; a >= 0; a--) {
      c[a] = i % this.sizes[a];
      i = Math.floor(i / this.sizes[a]);
    }
    return c;
  }
  /** The device at coordinates. */
  at(coords: number[]): SimDevice {
    let i = 0;
    coords.forEach((c, a) => (i = i * this.sizes[a] + c));
    return this.devices[i];
  }
  /**
   * The device at named coordinates (every axis named once), whatever the axes' order.
   * @example mesh.atNamed({ dp: 1, pp: 0, tp: 1 })
   */
  atNamed(coords: Record<string, number>): SimDevice {
    return this.at(this.axes.map((a) => coords[a] ?? 0));
  }
  /** The groups along `axis`: devices whose other coordinates agree, ordered along the axis. */
  groups(axis: string): SimDevice[][] {
    const ax = this.axis(axis);
    const out = new Map<string, SimDevice[]>();
    this.devices.forEach((d, i) => {
      const c = this.coords(i);
      const key = c.filter((_, a) => a !== ax).join(",");
      const g = out.get(key) ?? [];
      g[c[ax]] = d;
      out.set(key, g);
    });
    return [...out.values()];
  }
}

/**
 * Arrange devices on a named mesh (a mesh that does not factor the device count is an error).
 * @example dist.deviceMesh(c.devices, { dp: 2, tp: 4 })
 */
export function deviceMesh(devices: SimDevice[], shape: Record<string, number>): DeviceMesh {
  return new DeviceMesh(devices, shape);
}
