/**
 * Gradient values as the Tape panel prints them: small tensors in full (a matrix row by row),
 * larger ones (whose values the library does not send) by their shape.
 * @module
 */

const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(3));

/** `values` (row-major, or null when not sent) of a tensor of `shape`, as text. */
export function fmtValues(shape: readonly number[], values: readonly number[] | null): string {
  if (values === null) return `[${shape.join(", ")}]`;
  if (shape.length === 0) return num(values[0]);
  const cols = shape[shape.length - 1] || 1;
  const rows: string[] = [];
  for (let i = 0; i < values.length; i += cols)
    rows.push(
      `[${values
        .slice(i, i + cols)
        .map(num)
        .join(", ")}]`,
    );
  return rows.length === 1 ? rows[0] : `[${rows.join(",\n ")}]`;
}
