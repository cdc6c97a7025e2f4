/**
 * axe-core in a page, for the specs that check accessibility (a11y, the panels' own specs). The
 * source is evaluated rather than added as a `<script>`: the app's Content-Security-Policy refuses
 * inline scripts.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";

const AXE_SOURCE = readFileSync(fileURLToPath(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url)), "utf8");

/** One rule's violation, as axe reports it (the fields the specs read). */
export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; any: { data?: unknown }[] }[];
}

/** axe's violations in the page, or only inside the element `within` (a CSS selector), after `options` (axe.run's). */
export async function axeViolations(page: Page, within?: string, options: Record<string, unknown> = {}): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async ({ within, options }) => {
      const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
      const { violations } = await axe.run(within ? { include: [[within]] } : document, options);
      return violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, any: n.any })) }));
    },
    { within, options },
  );
}

/** The nodes of the violations of `impacts`, as "rule: target" lines (an empty list passes). */
export function violationLines(violations: readonly AxeViolation[], impacts: readonly string[] = ["critical", "serious"]): string[] {
  return violations.filter((v) => impacts.includes(v.impact)).flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
}
