/**
 * The fuzz driver: generate programs from consecutive seeds, check every mode pair, put each
 * mismatch in a known family (a)–(d) or a new one, and minimize examples for printing.
 */
import { check, forget, type Mismatch } from "./check";
import { FAMILIES, knownFamily, newFamilyKey, shapeOf, type KnownFamily } from "./classify";
import { generate, type GenOptions } from "./generate";
import { minimize } from "./minimize";
import type { Program } from "./program";
import { failureText } from "./report";

export interface FuzzOptions extends GenOptions {
  start: number;
  count: number;
  /** Minimize every failure ("all"), one example per family ("examples", the default), or none. */
  minimize?: "all" | "examples" | "none";
  log?: (line: string) => void;
}

export interface FamilyReport {
  seeds: number[];
  /** With minimize "all": how many programs minimize to each shape (pair, failure, statement kinds). */
  shapes?: Record<string, number>;
  /** The minimized first program of the family, printed. */
  example?: string;
}

export interface FuzzReport {
  programs: number;
  passed: number;
  /** Programs whose every mismatch is in a known family. */
  knownOnly: number;
  known: Partial<Record<KnownFamily, FamilyReport>>;
  /** New families (not (a)–(d)), keyed by their minimized shape. */
  fresh: Record<string, FamilyReport>;
  seconds: number;
}

/**
 * Minimize keeping the pair and how it fails; with `family` (a known one, or null for none), also
 * keeping the family, so the minimizer does not drift from one cause to another.
 */
async function minimized(p: Program, m: Mismatch, family?: KnownFamily | null): Promise<{ p: Program; m: Mismatch }> {
  const how = shapeOf(m);
  const q = await minimize(p, async (c) => {
    const mc = (await check(c, [m.pair]))[0];
    if (!mc || shapeOf(mc) !== how) return false;
    return family === undefined || (await knownFamily(c, mc)) === family;
  });
  // A single call is the simpler repro when it shows the failure too.
  const single = m.pair[1] === "jit×2" ? (await check(q, [["eager", "jit"]]))[0] : undefined;
  const mq = single ?? (await check(q, [m.pair]))[0] ?? m;
  return { p: q, m: mq };
}

export async function fuzz(o: FuzzOptions): Promise<FuzzReport> {
  const t0 = performance.now();
  const log = o.log ?? (() => undefined);
  const mode = o.minimize ?? "examples";
  const r: FuzzReport = { programs: 0, passed: 0, knownOnly: 0, known: {}, fresh: {}, seconds: 0 };
  for (let seed = o.start; seed < o.start + o.count; seed++) {
    const p = generate(seed, o);
    r.programs++;
    forget();
    const ms = await check(p);
    if (ms.length === 0) {
      r.passed++;
      continue;
    }
    let allKnown = true;
    const seen = new Set<string>();
    for (const m of ms) {
      let fam = await knownFamily(p, m);
      // Ablation on a large program can miss (another cause keeps it failing): ask again minimized.
      let small: { p: Program; m: Mismatch } | undefined;
      if (fam === null && mode !== "none") {
        small = await minimized(p, m);
        fam = await knownFamily(small.p, small.m);
      }
      if (fam !== null) {
        if (seen.has(fam)) continue;
        seen.add(fam);
        const f = (r.known[fam] ??= { seeds: [] });
        f.seeds.push(seed);
        if (mode === "all" || (!f.example && mode !== "none")) {
          const x = await minimized(p, m, fam);
          if (mode === "all") {
            const key = newFamilyKey(x.p, x.m);
            (f.shapes ??= {})[key] = (f.shapes[key] ?? 0) + 1;
          }
          f.example ??= failureText(x.p, x.m, `known ${FAMILIES[fam]}`);
        }
        continue;
      }
      allKnown = false;
      if (mode === "none") {
        const key = `${m.pair.join(" vs ")} [${shapeOf(m)}] (not minimized)`;
        (r.fresh[key] ??= { seeds: [] }).seeds.push(seed);
        continue;
      }
      const x = small ?? (await minimized(p, m));
      const key = newFamilyKey(x.p, x.m);
      if (seen.has(key)) continue;
      seen.add(key);
      const f = (r.fresh[key] ??= { seeds: [] });
      f.seeds.push(seed);
      if (!f.example) {
        f.example = failureText(x.p, x.m, `NEW family ${key}`);
        log(f.example);
      }
    }
    if (allKnown) r.knownOnly++;
  }
  r.seconds = (performance.now() - t0) / 1000;
  return r;
}

/** The report as text: counts per family (known ones clearly apart from passes) and examples. */
export function summary(r: FuzzReport, examples = true): string {
  const lines = [
    `${r.programs} programs in ${r.seconds.toFixed(1)} s: ${r.passed} passed, ${r.knownOnly} failed only in known families (NOT passes), ${r.programs - r.passed - r.knownOnly} failed in new families`,
  ];
  for (const [k, f] of Object.entries(r.known)) {
    lines.push(
      `  known ${FAMILIES[k as KnownFamily]}: ${f!.seeds.length} programs (seeds ${f!.seeds.slice(0, 12).join(", ")}${f!.seeds.length > 12 ? ", …" : ""})`,
    );
    for (const [shape, n] of Object.entries(f!.shapes ?? {}).sort((x, y) => y[1] - x[1])) lines.push(`      ${String(n).padStart(4)} × ${shape}`);
  }
  for (const [k, f] of Object.entries(r.fresh))
    lines.push(`  NEW ${k}: ${f.seeds.length} programs (seeds ${f.seeds.slice(0, 12).join(", ")}${f.seeds.length > 12 ? ", …" : ""})`);
  if (examples) for (const f of [...Object.values(r.known), ...Object.values(r.fresh)]) if (f?.example) lines.push(f.example);
  return lines.join("\n");
}
