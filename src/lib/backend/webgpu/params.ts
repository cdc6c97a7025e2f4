/**
 * The parameter block every kernel reads (see shaders/common.wgsl): 128 i32 slots holding sizes,
 * shapes and strides, so one pipeline serves every shape. Floats are stored bit-for-bit.
 *
 * Each kernel family declares its parameters once, as a `ParamLayout` (names, types, blocks and
 * arrays, laid out in declaration order). The layout packs the block in TypeScript (`pack`, typed:
 * a missing or unknown field does not compile) and generates the WGSL that names the same slots
 * (`wgsl`: a `const slot` whose fields are slot numbers), so kernels read `P(slot.aRowStride)`
 * and no slot number is written by hand on either side.
 */
import { WebgradError } from "../../errors";
import { fmtShape } from "../../tensor/shape";

/** Slots in one parameter block. */
export const PARAM_SLOTS = 128;
/** Highest rank a kernel indexes directly (views are coalesced first, so this is rarely reached). */
export const MAX_RANK = 8;
/** Slots a dims block takes: [rank, size0 … size7]. */
export const DIMS_SLOTS = 1 + MAX_RANK;
/** Slots a view block takes: [offset, contiguous, stride0 … stride7]. */
export const VIEW_SLOTS = 2 + MAX_RANK;

/** A one-slot field: how WGSL reads it (P as i32, PU as u32, PF as the bits of an f32). */
export type ScalarType = "i32" | "u32" | "f32";
/** A dims block: rank, then the shape padded with 1s to MAX_RANK (`DimsSlots` in WGSL). */
export interface DimsField {
  readonly kind: "dims";
}
/** A view block: offset, contiguity flag, then the strides padded with 0s (`ViewSlots` in WGSL). */
export interface ViewField {
  readonly kind: "view";
}
/** A named group of scalars (a WGSL struct of their slots, `<name>Slots`). */
export interface RecordField<F extends Readonly<Record<string, ScalarType>> = Readonly<Record<string, ScalarType>>> {
  readonly kind: "record";
  readonly name: string;
  readonly fields: F;
}
/** `length` consecutive elements of one kind; a shorter value is padded with zeros. An empty array is left out of the WGSL. */
export interface ArrayField<E extends ElementField = ElementField> {
  readonly kind: "array";
  readonly of: E;
  readonly length: number;
}
/** What an array may hold. */
export type ElementField = ScalarType | DimsField | ViewField | RecordField;
/** Any field of a layout. */
export type ParamField = ElementField | ArrayField;
/** A layout's fields by name, in slot order. */
export type ParamFields = Readonly<Record<string, ParamField>>;

/** A view's value: where its first element is, its strides, and whether it is row-major contiguous. */
export interface ViewValue {
  offset: number;
  strides: readonly number[];
  contiguous?: boolean;
}

/** The TypeScript value a field packs from. */
export type FieldValue<F> = F extends ScalarType
  ? number
  : F extends DimsField
    ? readonly number[]
    : F extends ViewField
      ? ViewValue
      : F extends RecordField<infer R>
        ? { readonly [K in keyof R]: number }
        : F extends ArrayField<infer E>
          ? readonly FieldValue<E>[]
          : never;

/** The values of every field of a layout: exactly its fields, each typed by its declaration. */
export type ParamValues<F extends ParamFields> = { readonly [K in keyof F]: FieldValue<F[K]> };

/** A dims block. */
export const dims: DimsField = { kind: "dims" };
/** A view block. */
export const view: ViewField = { kind: "view" };
/** A record of scalars, `name`d in WGSL. */
export function record<F extends Readonly<Record<string, ScalarType>>>(name: string, fields: F): RecordField<F> {
  return { kind: "record", name, fields };
}
/** An array of `length` elements of `of`. */
export function array<E extends ElementField>(of: E, length: number): ArrayField<E> {
  return { kind: "array", of, length };
}

/** Slots a field takes. */
export function fieldSlots(f: ParamField): number {
  if (typeof f === "string") return 1;
  switch (f.kind) {
    case "dims":
      return DIMS_SLOTS;
    case "view":
      return VIEW_SLOTS;
    case "record":
      return Object.keys(f.fields).length;
    case "array":
      return f.length * fieldSlots(f.of);
  }
}

const f32Scratch = new Float32Array(1);
const i32Scratch = new Int32Array(f32Scratch.buffer);

/** The bits of `v` as an f32, read back as an i32 (how a float travels in the block). */
export function f32Bits(v: number): number {
  f32Scratch[0] = v;
  return i32Scratch[0];
}

/** One field's place in the block. */
export interface FieldPlace {
  name: string;
  offset: number;
  length: number;
}

/**
 * A kernel family's parameter layout. `name` says where it is declared (it heads the generated
 * WGSL); fields sit in declaration order from slot 0, with no gaps.
 */
export class ParamLayout<F extends ParamFields> {
  /** Each field's first slot and slot count, in order. */
  readonly places: readonly FieldPlace[];
  /** Each field's first slot by name. */
  readonly slot: { readonly [K in keyof F]: number };
  /** Slots the layout takes. */
  readonly size: number;

  constructor(
    /** Where the layout is declared (heads its generated WGSL). */
    readonly name: string,
    /** The fields by name, in slot order. */
    readonly fields: F,
  ) {
    let at = 0;
    const places: FieldPlace[] = [];
    const slot: Record<string, number> = {};
    for (const [field, f] of Object.entries(fields)) {
      const length = fieldSlots(f);
      places.push({ name: field, offset: at, length });
      slot[field] = at;
      at += length;
    }
    if (at > PARAM_SLOTS) throw new Error(`${name}: parameters take ${at} slots, the block has ${PARAM_SLOTS}`);
    this.places = places;
    this.slot = slot as { [K in keyof F]: number };
    this.size = at;
  }

  /** A layout with this one's fields followed by `more` (a family that reads what another writes, and more). */
  extend<G extends ParamFields>(name: string, more: G): ParamLayout<F & G> {
    for (const k of Object.keys(more)) if (k in this.fields) throw new Error(`${name}: field ${k} is already in ${this.name}`);
    return new ParamLayout(name, { ...this.fields, ...more } as F & G);
  }

  /**
   * The slot a WGSL path into `slot` names (`slot.aBatch.strides[1]`, `slot.reads[2].cols`), as
   * the generated constant evaluates it; an error when the layout has no such slot.
   */
  slotOf(path: string): number {
    const bad = (why = "no such parameter") => new Error(`${this.name}: ${path}: ${why}`);
    const parts = [...path.replace(/^slot/, "").matchAll(/\.(\w+)|\[(\d+)\]/g)].map(([, name, index]) => name ?? Number(index));
    const place = this.places.find((p) => p.name === parts[0]);
    if (!place) throw bad();
    let f: ParamField = this.fields[place.name];
    let at = place.offset;
    for (let k = 1; k < parts.length; k++) {
      const part = parts[k];
      if (typeof f === "string") throw bad("inside a scalar");
      if (f.kind === "array") {
        if (typeof part !== "number" || part >= f.length) throw bad();
        at += part * fieldSlots(f.of);
        f = f.of;
        continue;
      }
      if (f.kind === "record") {
        if (typeof part !== "string" || !(part in f.fields)) throw bad();
        at += Object.keys(f.fields).indexOf(part);
        f = f.fields[part];
        continue;
      }
      // A dims or view block: [rank, sizes…] or [offset, contiguous, strides…]; `at` is its start.
      const d = parts[k + 1];
      const indexed = typeof d === "number" && d < MAX_RANK && k + 2 === parts.length;
      if (k + 1 === parts.length && (part === "at" || part === (f.kind === "dims" ? "rank" : "offset"))) return at;
      if (k + 1 === parts.length && f.kind === "view" && part === "contiguous") return at + 1;
      if (indexed && f.kind === "dims" && part === "sizes") return at + 1 + d;
      if (indexed && f.kind === "view" && part === "strides") return at + 2 + d;
      throw bad();
    }
    if (typeof f !== "string") throw bad(`a ${f.kind}, not one slot`);
    return at;
  }

  /** The parameter block holding `values` (`op` names the kernel in errors). */
  pack(op: string, values: ParamValues<F>): Int32Array {
    const data = new Int32Array(PARAM_SLOTS);
    const v = values as Readonly<Record<string, unknown>>;
    for (const p of this.places) {
      if (!(p.name in v)) throw new Error(`${op}: parameter ${p.name} of ${this.name} has no value`);
      writeField(op, data, p.offset, this.fields[p.name], v[p.name], p.name);
    }
    return data;
  }

  /**
   * WGSL naming the slots: `const slot`, whose fields are each parameter's slot number (blocks
   * and records as structs of slots, arrays as arrays), with a line per field.
   */
  wgsl(): string {
    const structs: string[] = [];
    const seen = new Set<string>();
    const members: string[] = [];
    const values: string[] = [];
    for (const p of this.places) {
      const f = this.fields[p.name];
      if (p.length === 0) {
        values.push(`  // ${p.name}: none`);
        continue;
      }
      collectStructs(f, structs, seen);
      members.push(`  ${p.name}: ${slotType(f)},`);
      const note = `${p.name}: ${describe(f)}${p.length > 1 ? `, slots ${p.offset}…${p.offset + p.length - 1}` : ""}`;
      if (typeof f !== "string" && f.kind === "array" && typeof f.of !== "string") {
        // An array of blocks or records: one element a line, under the field's note.
        const n = fieldSlots(f.of);
        const items = Array.from({ length: f.length }, (_, i) => `    ${slotValue(f.of, p.offset + i * n)},`);
        values.push(`  // ${note}`, "  array(", ...items, "  ),");
      } else values.push(`  ${slotValue(f, p.offset)}, // ${note}`);
    }
    return [
      `// Parameters, declared once in TypeScript (${this.name}), which packs them too.`,
      "// slot.<field> is the field's place in the uniform block `params`: read it with P (as i32),",
      "// PU (u32) or PF (f32). A dims block holds [rank, sizes…], a view block [offset, contiguous, strides…].",
      ...structs,
      `struct Slots {\n${members.join("\n")}\n}`,
      `const slot = Slots(\n${values.join("\n")}\n);`,
    ].join("\n");
  }
}

/** Declare a kernel family's parameter layout (`name`: where it is declared, for the generated WGSL). */
export function paramLayout<F extends ParamFields>(name: string, fields: F): ParamLayout<F> {
  return new ParamLayout(name, fields);
}

function slotType(f: ParamField): string {
  if (typeof f === "string") return "u32";
  switch (f.kind) {
    case "dims":
      return "DimsSlots";
    case "view":
      return "ViewSlots";
    case "record":
      return `${f.name}Slots`;
    case "array":
      return `array<${slotType(f.of)}, ${f.length}>`;
  }
}

function slotValue(f: ParamField, at: number): string {
  const run = (from: number, n: number) => `array(${Array.from({ length: n }, (_, i) => `${from + i}u`).join(", ")})`;
  if (typeof f === "string") return `${at}u`;
  switch (f.kind) {
    case "dims":
      return `DimsSlots(${at}u, ${at}u, ${run(at + 1, MAX_RANK)})`;
    case "view":
      return `ViewSlots(${at}u, ${at}u, ${at + 1}u, ${run(at + 2, MAX_RANK)})`;
    case "record":
      return `${f.name}Slots(${Object.keys(f.fields)
        .map((_, i) => `${at + i}u`)
        .join(", ")})`;
    case "array": {
      const n = fieldSlots(f.of);
      return `array(${Array.from({ length: f.length }, (_, i) => slotValue(f.of, at + i * n)).join(", ")})`;
    }
  }
}

function describe(f: ParamField): string {
  if (typeof f === "string") return f;
  switch (f.kind) {
    case "dims":
      return "dims";
    case "view":
      return "view";
    case "record":
      return `${f.name} (${Object.entries(f.fields)
        .map(([k, t]) => `${k}: ${t}`)
        .join(", ")})`;
    case "array":
      return `${f.length} × ${describe(f.of)}`;
  }
}

function collectStructs(f: ParamField, out: string[], seen: Set<string>): void {
  if (typeof f === "string") return;
  if (f.kind === "array") return collectStructs(f.of, out, seen);
  if (f.kind !== "record" || seen.has(f.name)) return;
  seen.add(f.name);
  out.push(
    `struct ${f.name}Slots { ${Object.keys(f.fields)
      .map((k) => `${k}: u32`)
      .join(", ")} }`,
  );
}

function writeField(op: string, data: Int32Array, at: number, f: ParamField, value: unknown, name: string): void {
  if (typeof f === "string") {
    data[at] = f === "f32" ? f32Bits(value as number) : (value as number) | 0;
    return;
  }
  switch (f.kind) {
    case "dims": {
      const shape = value as readonly number[];
      if (shape.length > MAX_RANK)
        throw new WebgradError(
          op,
          `the WebGPU kernels index at most ${MAX_RANK} dimensions after merging contiguous ones; shape ${fmtShape(shape)} has ${shape.length}`,
        );
      data[at] = shape.length;
      for (let d = 0; d < MAX_RANK; d++) data[at + 1 + d] = shape[d] ?? 1;
      return;
    }
    case "view": {
      const v = value as ViewValue;
      data[at] = v.offset | 0;
      data[at + 1] = v.contiguous ? 1 : 0;
      for (let d = 0; d < MAX_RANK; d++) data[at + 2 + d] = (v.strides[d] ?? 0) | 0;
      return;
    }
    case "record": {
      const r = value as Readonly<Record<string, number>>;
      Object.keys(f.fields).forEach((k, i) => {
        if (!(k in r)) throw new Error(`${op}: parameter ${name}.${k} has no value`);
        data[at + i] = f.fields[k] === "f32" ? f32Bits(r[k]) : r[k] | 0;
      });
      return;
    }
    case "array": {
      const items = value as readonly unknown[];
      if (items.length > f.length) throw new Error(`${op}: parameter ${name} holds at most ${f.length}, got ${items.length}`);
      const n = fieldSlots(f.of);
      items.forEach((item, i) => writeField(op, data, at + i * n, f.of, item, `${name}[${i}]`));
      return;
    }
  }
}
