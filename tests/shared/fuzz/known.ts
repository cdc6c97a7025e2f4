/**
 * The skip list: families being fixed (their programs are reported and counted apart, never as
 * passes). Shared by the CPU test and the WebGPU slice. Remove a family once its fix lands; the
 * list must end up empty.
 * (c), (b), (f) and (d) left it when their fixes landed on main; (a), (ab) and (e) on 2026-12-05
 * (session 5: no program of seeds 1–2500 in any); (g), the last of (a), on 2026-12-05 (session 6: a
 * traced backward decides at run time whether it reaches a refusal behind a cond branch).
 */
import type { KnownFamily } from "./classify";

export const KNOWN_FAMILIES: ReadonlySet<KnownFamily> = new Set<KnownFamily>([]);
