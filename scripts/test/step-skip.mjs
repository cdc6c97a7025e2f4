/**
 * A test step that could not do its work (no Chromium, no WebGPU adapter, …) must not look passed:
 * it exits with SKIPPED after saying why, and `npm test` (scripts/test/test.mjs) shows it as skipped
 * and counts it as failed unless the user opted out of it by name (WEBGRAD_SKIP).
 */
import { writeFileSync } from "node:fs";

export const SKIPPED = 3;

/** Prints the reason, hands it to scripts/test/test.mjs (WEBGRAD_STEP_NOTE, a file) and returns SKIPPED. */
export function skipped(tag, reason) {
  console.log(`${tag} not run: ${reason}`);
  if (process.env.WEBGRAD_STEP_NOTE) writeFileSync(process.env.WEBGRAD_STEP_NOTE, reason);
  return SKIPPED;
}
