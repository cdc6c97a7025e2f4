/**
 * Compares two runs' printed output line by line: the same text, and every number within a
 * relative tolerance (Eager vs Graph mode reorder float sums). Lines that report wall-clock time
 * (they mention "ms", "µs" or "time") are left out, since timings differ between runs by nature.
 * Used by the unit examples test (Node, CPU) and the e2e examples test (browser, WebGPU).
 */

const timing = /\bms\b|µs\b|time/i;

/** A line split into its text (numbers replaced by #) and its numbers. */
export function lineParts(line: string): { text: string; nums: number[] } {
  const nums: number[] = [];
  // Digits glued to a name (folded139, const2, f32) are identifiers, and some come from global
  // counters that differ between two runs in one process: not results, so they are dropped.
  const text = line.replace(/([A-Za-z_])\d+/g, "$1").replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/gi, (m) => {
    nums.push(Number(m));
    return "#";
  });
  return { text, nums };
}

/** Why two outputs differ (the first difference), or undefined when they are the same. */
export function outputDifference(a: string[], b: string[], tolerance = 2e-3): string | undefined {
  const ka = a.filter((l) => !timing.test(l));
  const kb = b.filter((l) => !timing.test(l));
  if (ka.length !== kb.length) return `${ka.length} lines vs ${kb.length} lines`;
  for (let i = 0; i < ka.length; i++) {
    const pa = lineParts(ka[i]!),
      pb = lineParts(kb[i]!);
    if (pa.text !== pb.text || pa.nums.length !== pb.nums.length) return `line ${i}: "${ka[i]}" vs "${kb[i]}"`;
    for (let j = 0; j < pa.nums.length; j++) {
      const x = pa.nums[j]!,
        y = pb.nums[j]!;
      if (!(Math.abs(x - y) <= tolerance * Math.max(1, Math.abs(x), Math.abs(y)))) return `line ${i}: "${ka[i]}" vs "${kb[i]}"`;
    }
  }
  return undefined;
}
