/**
 * The shared WGSL a kernel gets (shaders/common.wgsl, shaders/math.wgsl), cut to what its body
 * uses: every declaration the body names, and what those name in turn. Pipeline builds are most
 * of a first run's time on SwiftShader (docs/WEBGPU_TUNING.md), and unused helpers are not free:
 * the MNIST example's 39 pipelines took 1.45–1.51 s with all of math.wgsl in each, 1.35–1.42 s cut
 * (`node scripts/tools/bench-gpu-node.mjs --compile 63-mnist`). A few are always kept (`ALWAYS`).
 */

/** One module-scope declaration: its name, the identifiers it uses, and its text (with the comment above it). */
export interface Declaration {
  name: string;
  uses: Set<string>;
  text: string;
}

const DECLARED = /^(?:@[^\n]*?\s)?(?:fn|struct|var(?:<[^>]*>)?|const|alias|override)\s+(\w+)/;
const IDENTIFIER = /[A-Za-z_]\w*/g;
/**
 * Declarations every kernel keeps: the uniform block, and float16's rounding, which `halfAccesses`
 * (codegen.ts) writes into a shader after it is built.
 */
const ALWAYS = ["params", "Params", "f16r", "f16r4"];

/** Identifiers in WGSL text, comments left out. */
function identifiers(text: string): Set<string> {
  return new Set(text.replace(/\/\/[^\n]*/g, "").match(IDENTIFIER) ?? []);
}

/**
 * Split a prelude file into its declarations: each starts at a line in column 0 that is not a
 * comment or a closing brace; comment lines just above it belong to it.
 */
export function parsePrelude(source: string): Declaration[] {
  const out: Declaration[] = [];
  let comment: string[] = [];
  let current: { name: string; lines: string[] } | null = null;
  const close = () => {
    if (current) {
      const text = current.lines.join("\n").trimEnd();
      out.push({ name: current.name, uses: identifiers(text), text });
    }
    current = null;
  };
  for (const line of source.split("\n")) {
    if (line.trim() === "") {
      current?.lines.push(line);
      continue;
    }
    const m = DECLARED.exec(line);
    if (m) {
      close();
      current = { name: m[1], lines: [...comment, line] };
      comment = [];
    } else if (current && (line.startsWith(" ") || line.startsWith("}") || line.startsWith("\t"))) {
      current.lines.push(line);
    } else if (line.startsWith("//")) {
      close();
      comment.push(line);
    } else {
      close();
      comment = [];
    }
  }
  close();
  return out;
}

/** The declarations of `prelude` that `body` needs, transitively, in their order there. */
export function linkPrelude(prelude: readonly Declaration[], body: string): string {
  const byName = new Map(prelude.map((d) => [d.name, d]));
  const wanted = new Set<string>();
  const visit = (name: string) => {
    const d = byName.get(name);
    if (!d || wanted.has(name)) return;
    wanted.add(name);
    for (const u of d.uses) if (u !== name) visit(u);
  };
  for (const name of [...ALWAYS, ...identifiers(body)]) visit(name);
  return prelude
    .filter((d) => wanted.has(d.name))
    .map((d) => d.text)
    .join("\n");
}
