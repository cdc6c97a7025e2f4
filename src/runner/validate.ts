/**
 * The page's check of every message from the runner worker. User code runs in that worker, so a
 * message is data to be checked, not trusted: its shape must match protocol.ts, and its sizes are
 * capped (a forged 60000×60000 image once crashed the page). Pure functions, unit-tested in Node.
 *
 * Text is capped and stripped of control characters; it is only ever rendered as text.
 * @module
 */
import { PROTOCOL_VERSION, type FromWorker, type LogLevel, type OutputItem, type StackFrameInfo } from "./protocol";
import type { WebgradEvent } from "../schema/events";
import { OP_CATEGORIES } from "../schema/op-category";
import { MAX_CASES, type CheckCase, type CheckReport } from "./exercise-check";

/** Limits on what one message may carry. */
export const LIMITS = {
  /** Characters of one console line or error message (longer text is cut, with a note). */
  text: 20_000,
  /** Characters of a name, label, caption or backend field. */
  name: 200,
  /** Characters of the backend's detail (status bar). */
  detail: 300,
  /** Items in one output message (the outbox sends a batch every 30 ms). */
  items: 200_000,
  /** Frames of one stack trace. */
  frames: 64,
  /** Pixels (count·height·width) of one image event, and of a scatter background's levels. */
  pixels: 16 * 1024 * 1024,
  /** Side of one image or background, in pixels. */
  side: 8192,
  /** Numbers in one typed array of an event (scatter points, comm transfers). */
  arrayLength: 8 * 1024 * 1024,
  /** Values (objects, arrays, strings, numbers) in one event, counted through nested data. */
  nodes: 2_000_000,
  /** Characters of all strings in one event together (graph IR text, WGSL…). */
  chars: 32 * 1024 * 1024,
  /** Nesting of one event. */
  depth: 64,
} as const;

/** A checked message, or why it was refused. */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const LEVELS: readonly LogLevel[] = ["log", "info", "warn", "error", "debug"];

/** Removes control characters (keeps tab and newline) so text cannot restyle or hide itself. */
export function cleanText(value: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "");
  return clean.length <= max ? clean : `${clean.slice(0, max)}… (${clean.length - max} more characters)`;
}

class Refused extends Error {}
const refuse = (reason: string): never => {
  throw new Refused(reason);
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
function obj(v: unknown, what: string): Record<string, unknown> {
  return isObject(v) ? v : refuse(`${what} is not an object`);
}
function str(v: unknown, what: string, max: number = LIMITS.name): string {
  if (typeof v !== "string") return refuse(`${what} is not a string`);
  return v.length > max ? refuse(`${what} is longer than ${max} characters`) : v;
}
function num(v: unknown, what: string): number {
  return typeof v === "number" ? v : refuse(`${what} is not a number`);
}
function finite(v: unknown, what: string): number {
  return Number.isFinite(v) ? (v as number) : refuse(`${what} is not a finite number`);
}
function int(v: unknown, what: string, min: number, max: number): number {
  return Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : refuse(`${what} is not an integer in [${min}, ${max}]`);
}
function arr(v: unknown, what: string, max: number): unknown[] {
  if (!Array.isArray(v)) return refuse(`${what} is not an array`);
  return v.length > max ? refuse(`${what} has more than ${max} entries`) : v;
}
function typed<T extends ArrayBufferView>(v: unknown, ctor: new (...a: never[]) => T, what: string, max: number = LIMITS.arrayLength): T {
  if (!(v instanceof ctor)) return refuse(`${what} is not a ${ctor.name}`);
  return (v as unknown as { length: number }).length > max ? refuse(`${what} is longer than ${max}`) : v;
}
function oneOf<T extends string>(v: unknown, values: readonly T[], what: string): T {
  return values.includes(v as T) ? (v as T) : refuse(`${what} is not one of ${values.join(", ")}`);
}

/**
 * Counts what an event holds, through every nested value, against {@link LIMITS}: a message
 * cannot be made arbitrarily deep or large where the shape checks below do not look.
 */
function budget(value: unknown): void {
  let nodes = 0;
  let chars = 0;
  const seen = new Set<object>();
  const walk = (v: unknown, depth: number): void => {
    if (++nodes > LIMITS.nodes) refuse(`more than ${LIMITS.nodes} values`);
    if (typeof v === "string") {
      chars += v.length;
      if (chars > LIMITS.chars) refuse(`more than ${LIMITS.chars} characters of text`);
      return;
    }
    if (typeof v !== "object" || v === null) return;
    if (depth > LIMITS.depth) refuse(`nested deeper than ${LIMITS.depth}`);
    if (ArrayBuffer.isView(v)) {
      if ((v as unknown as { length?: number }).length !== undefined && (v as unknown as { length: number }).length > LIMITS.arrayLength)
        refuse("a typed array is too long");
      return;
    }
    if (seen.has(v)) return; // structured clone keeps shared references: count each once
    seen.add(v);
    if (v instanceof Map || v instanceof Set || v instanceof Blob || v instanceof ArrayBuffer) refuse("unexpected Map, Set, Blob or ArrayBuffer");
    for (const key of Object.keys(v)) walk((v as Record<string, unknown>)[key], depth + 1);
  };
  walk(value, 0);
}

function checkImage(e: Record<string, unknown>): void {
  str(e.name, "image.name");
  const count = int(e.count, "image.count", 0, LIMITS.pixels);
  const height = int(e.height, "image.height", 0, LIMITS.side);
  const width = int(e.width, "image.width", 0, LIMITS.side);
  if (count * height * width > LIMITS.pixels) refuse(`image has more than ${LIMITS.pixels} pixels`);
  const pixels = typed(e.pixels, Uint8Array, "image.pixels", LIMITS.pixels);
  if (pixels.length !== count * height * width) refuse("image.pixels does not hold count·height·width levels");
  const range = arr(e.range, "image.range", 2);
  if (range.length !== 2) refuse("image.range is not [min, max]");
  range.forEach((r, i) => finite(r, `image.range[${i}]`));
  oneOf(e.colormap, ["gray", "viridis", "coolwarm"] as const, "image.colormap");
  if (e.columns !== undefined) int(e.columns, "image.columns", 1, Math.max(1, count));
  if (e.captions !== undefined) arr(e.captions, "image.captions", count).forEach((c, i) => str(c, `image.captions[${i}]`));
  if (e.correct !== undefined)
    arr(e.correct, "image.correct", count).forEach((c) => c === null || typeof c === "boolean" || refuse("image.correct holds a non-boolean"));
}

function checkScatter(e: Record<string, unknown>): void {
  str(e.name, "scatter.name");
  const points = typed(e.points, Float32Array, "scatter.points");
  if (points.length % 2 !== 0) refuse("scatter.points has an odd length");
  if (e.labels !== undefined && typed(e.labels, Int32Array, "scatter.labels").length !== points.length / 2) refuse("scatter.labels does not match the points");
  int(e.classes, "scatter.classes", 0, 256);
  const extent = arr(e.extent, "scatter.extent", 4);
  if (extent.length !== 4) refuse("scatter.extent is not [xMin, xMax, yMin, yMax]");
  extent.forEach((x, i) => finite(x, `scatter.extent[${i}]`));
  if (e.lines !== undefined) {
    arr(e.lines, "scatter.lines", 1000).forEach((l, i) => {
      const line = obj(l, `scatter.lines[${i}]`);
      str(line.name, `scatter.lines[${i}].name`);
      if (typed(line.points, Float32Array, `scatter.lines[${i}].points`).length % 2 !== 0) refuse("a scatter line has an odd length");
    });
  }
  if (e.background !== undefined) {
    const b = obj(e.background, "scatter.background");
    const w = int(b.width, "background.width", 0, LIMITS.side);
    const h = int(b.height, "background.height", 0, LIMITS.side);
    const c = int(b.channels, "background.channels", 1, 256);
    if (w * h * c > LIMITS.pixels) refuse("scatter.background is too large");
    if (typed(b.levels, Uint8Array, "background.levels", LIMITS.pixels).length !== w * h * c)
      refuse("background.levels does not hold width·height·channels levels");
  }
}

/** A knob's control: a finite range with its value inside, or a short list of distinct options. */
function checkKnob(e: Record<string, unknown>): void {
  str(e.name, "knob.name");
  str(e.label, "knob.label");
  const control = oneOf(e.control, ["slider", "choice"] as const, "knob.control");
  if (control === "slider") {
    const min = finite(e.min, "knob.min");
    const max = finite(e.max, "knob.max");
    if (!(min < max)) refuse("knob.min is not less than knob.max");
    if (typeof e.log !== "boolean") refuse("knob.log is not a boolean");
    if (e.log && min <= 0) refuse("a log knob's min is not > 0");
    if (e.step !== undefined && !(finite(e.step, "knob.step") > 0 && (max - min) / (e.step as number) <= 10_000))
      refuse("knob.step does not give 1 to 10000 positions");
    if (e.step === undefined && !e.log) refuse("a linear knob has no step");
    for (const k of ["initial", "value"] as const) {
      const v = finite(e[k], `knob.${k}`);
      if (v < min || v > max) refuse(`knob.${k} is outside [min, max]`);
    }
  } else {
    const options = arr(e.options, "knob.options", 100);
    if (options.length === 0) refuse("knob.options is empty");
    const keys = options.map((o, i) => (typeof o === "string" ? `s${str(o, `knob.options[${i}]`)}` : `n${finite(o, `knob.options[${i}]`)}`));
    if (new Set(keys).size !== keys.length) refuse("knob.options repeat a value");
    if (!options.includes(e.initial)) refuse("knob.initial is not one of the options");
    if (!options.includes(e.value)) refuse("knob.value is not one of the options");
  }
}

function numbers(v: unknown, what: string, max = 64): void {
  arr(v, what, max).forEach((x, i) => num(x, `${what}[${i}]`));
}

const KERNEL_PHASES = ["dispatch", "pipeline", "submit"] as const;
const TAPE_PHASES = ["record", "leaf", "backward", "norms", "reset"] as const;
const COMM_PHASES = ["cluster", "collective", "run"] as const;

/** Checks one library event (shape of what each panel reads, plus the overall budget). */
export function checkEvent(value: unknown): Checked<WebgradEvent> {
  try {
    const e = obj(value, "event");
    switch (e.type) {
      case "plot":
        str(e.chart, "plot.chart");
        str(e.series, "plot.series");
        num(e.x, "plot.x");
        num(e.y, "plot.y");
        break;
      case "image":
        checkImage(e);
        break;
      case "scatter":
        checkScatter(e);
        break;
      case "backend":
        str(e.name, "backend.name", LIMITS.text);
        str(e.detail, "backend.detail", LIMITS.text);
        break;
      case "kernel": {
        const phase = oneOf(e.phase, KERNEL_PHASES, "kernel.phase");
        if (phase !== "submit") str(e.kernel, "kernel.kernel", LIMITS.text);
        if (phase === "dispatch") {
          numbers(e.workgroups, "kernel.workgroups", 3);
          num(e.bytes, "kernel.bytes");
        } else if (phase === "pipeline") {
          str(e.wgsl, "kernel.wgsl", LIMITS.chars);
          num(e.compileMs, "kernel.compileMs");
        } else {
          num(e.dispatches, "kernel.dispatches");
          num(e.totalMs, "kernel.totalMs");
          obj(e.kernelMs, "kernel.kernelMs");
          obj(e.pool, "kernel.pool");
        }
        break;
      }
      case "tape": {
        const phase = oneOf(e.phase, TAPE_PHASES, "tape.phase");
        if (phase === "record") {
          const n = obj(e.node, "tape.node");
          num(n.id, "tape.node.id");
          str(n.op, "tape.node.op");
          oneOf(n.category, OP_CATEGORIES, "tape.node.category");
          numbers(n.inputs, "tape.node.inputs", 1_000_000);
          numbers(n.shape, "tape.node.shape");
          if (n.rule !== undefined) str(n.rule, "tape.node.rule");
          // A learner-built engine's values and tangents (showTape): a few numbers each.
          if (n.value !== undefined) numbers(n.value, "tape.node.value");
          if (n.tangent !== undefined) numbers(n.tangent, "tape.node.tangent");
        } else if (phase === "leaf") {
          num(e.id, "tape.id");
          numbers(e.shape, "tape.shape");
          if (e.value !== undefined) numbers(e.value, "tape.value");
          if (e.tangent !== undefined) numbers(e.tangent, "tape.tangent");
        } else if (phase === "reset") {
          if (e.engine !== undefined) str(e.engine, "tape.engine");
        } else if (phase === "backward" || phase === "norms") {
          num(e.nodeId, "tape.nodeId");
          numbers(e.gradNorms, "tape.gradNorms", 1_000_000);
          if (phase === "backward") {
            arr(e.gradShapes, "tape.gradShapes", 1_000_000).forEach((s, i) => numbers(s, `tape.gradShapes[${i}]`));
            // Small gradients' values (the panel prints them): numbers or null, per input and for the incoming one.
            if (e.gradValues !== undefined)
              arr(e.gradValues, "tape.gradValues", 1_000_000).forEach((v, i) => v === null || numbers(v, `tape.gradValues[${i}]`));
            if (e.gradOut !== undefined) {
              const g = obj(e.gradOut, "tape.gradOut");
              numbers(g.shape, "tape.gradOut.shape");
              if (g.values !== null) numbers(g.values, "tape.gradOut.values");
            }
          }
        }
        break;
      }
      case "evaltrace": {
        str(e.name, "evaltrace.name");
        oneOf(e.mode, ["forward", "reverse"] as const, "evaltrace.mode");
        const rows = arr(e.rows, "evaltrace.rows", 10_000);
        int(e.inputs, "evaltrace.inputs", 1, rows.length);
        numbers(e.seed, "evaltrace.seed", 10_000);
        rows.forEach((r, i) => {
          const row = obj(r, `evaltrace.rows[${i}]`);
          str(row.name, `evaltrace.rows[${i}].name`);
          str(row.expr, `evaltrace.rows[${i}].expr`, LIMITS.text);
          str(row.derivExpr, `evaltrace.rows[${i}].derivExpr`, LIMITS.text);
          num(row.value, `evaltrace.rows[${i}].value`);
          num(row.deriv, `evaltrace.rows[${i}].deriv`);
        });
        break;
      }
      case "graph":
        oneOf(e.phase, ["compiled"] as const, "graph.phase");
        str(e.name, "graph.name", LIMITS.text);
        arr(e.stages, "graph.stages", 10_000).forEach((s, i) => {
          const stage = obj(s, `graph.stages[${i}]`);
          str(stage.pass, "graph stage pass");
          str(stage.text, "graph stage text", LIMITS.chars);
          obj(stage.stats, "graph stage stats");
        });
        if (e.schedule !== undefined) {
          const sc = obj(e.schedule, "graph.schedule");
          arr(sc.nodes, "graph.schedule.nodes", 10_000).forEach((n, i) => obj(n, `graph.schedule.nodes[${i}]`));
          arr(sc.orders, "graph.schedule.orders", 4).forEach((o, i) => {
            const order = obj(o, `graph.schedule.orders[${i}]`);
            numbers(order.order, "schedule order", 10_000);
            numbers(order.live, "schedule live bytes", 10_000);
            arr(order.buffers, "schedule buffers", 10_000).forEach((b, k) => obj(b, `schedule buffers[${k}]`));
          });
          obj(sc.dispatches, "graph.schedule.dispatches");
        }
        if (e.guards !== undefined) arr(e.guards, "graph.guards", 10_000).forEach((g, i) => str(g, `graph.guards[${i}]`, LIMITS.text));
        break;
      case "comm": {
        const phase = oneOf(e.phase, COMM_PHASES, "comm.phase");
        num(e.cluster, "comm.cluster");
        if (phase === "cluster") {
          arr(e.devices, "comm.devices", 100_000).forEach((d, i) => obj(d, `comm.devices[${i}]`));
          arr(e.links, "comm.links", 1_000_000).forEach((d, i) => obj(d, `comm.links[${i}]`));
          arr(e.switches, "comm.switches", 100_000);
        } else if (phase === "collective") {
          numbers(e.devices, "comm.devices", 100_000);
          const t = obj(e.transfers, "comm.transfers");
          const n = typed(t.t0, Float64Array, "transfers.t0").length;
          for (const [k, ctor] of [
            ["t1", Float64Array],
            ["src", Int32Array],
            ["dst", Int32Array],
            ["link", Int32Array],
            ["bytes", Float64Array],
            ["chunk", Int32Array],
            ["step", Int32Array],
          ] as const) {
            if (typed(t[k], ctor as new () => ArrayBufferView, `transfers.${k}`).byteLength / (ctor === Float64Array ? 8 : 4) !== n)
              refuse(`transfers.${k} does not match transfers.t0`);
          }
          arr(e.routes, "comm.routes", 1_000_000);
        } else {
          numbers(e.devices, "comm.devices", 100_000);
          arr(e.activities, "comm.activities", 1_000_000).forEach((a, i) => obj(a, `comm.activities[${i}]`));
          arr(e.memory, "comm.memory", 100_000).forEach((m, i) => obj(m, `comm.memory[${i}]`));
          obj(e.summary, "comm.summary");
        }
        break;
      }
      case "knob":
        checkKnob(e);
        break;
      case "plan":
        checkPlanInputs(obj(e.inputs, "plan.inputs"));
        break;
      default:
        refuse(`unknown event type ${JSON.stringify(String(e.type)).slice(0, 40)}`);
    }
    budget(e);
    return { ok: true, value: e as unknown as WebgradEvent };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.message };
    return { ok: false, reason: `unreadable event (${String(error).slice(0, 100)})` };
  }
}

function frames(v: unknown): StackFrameInfo[] {
  return arr(v, "frames", 10_000)
    .slice(0, LIMITS.frames)
    .map((f, i) => {
      const frame = obj(f, `frames[${i}]`);
      return {
        text: cleanText(str(frame.text, `frames[${i}].text`, LIMITS.text), 500),
        line: frame.line === undefined ? undefined : int(frame.line, `frames[${i}].line`, 1, 1e7),
        column: frame.column === undefined ? undefined : int(frame.column, `frames[${i}].column`, 0, 1e7),
      };
    });
}

const optional = <T>(v: unknown, check: (v: unknown) => T): T | undefined => (v === undefined ? undefined : check(v));

/** A `plan` event's inputs: every number finite, every name a short string, every choice one the planner knows. */
function checkPlanInputs(inputs: Record<string, unknown>): void {
  const m = obj(inputs.model, "plan.model");
  str(m.name, "plan.model.name");
  oneOf(m.family, ["gpt", "llama"] as const, "plan.model.family");
  for (const k of ["layers", "hidden", "heads", "kvHeads", "ffn", "vocab", "seq", "experts", "topK"]) finite(m[k], `plan.model.${k}`);
  optional(m.capacityFactor, (v) => finite(v, "plan.model.capacityFactor"));
  optional(m.layerKind, (v) => oneOf(v, ["transformer", "ffn"] as const, "plan.model.layerKind"));
  const c = obj(inputs.cluster, "plan.cluster");
  str(c.name, "plan.cluster.name");
  finite(c.nodes, "plan.cluster.nodes");
  finite(c.devicesPerNode, "plan.cluster.devicesPerNode");
  optional(c.topology, (v) => oneOf(v, ["switched", "torus"] as const, "plan.cluster.topology"));
  const d = obj(c.device, "plan.cluster.device");
  str(d.name, "plan.cluster.device.name");
  finite(d.memoryBandwidth, "plan.cluster.device.memoryBandwidth");
  finite(d.memoryCapacity, "plan.cluster.device.memoryCapacity");
  const peak = obj(d.peakFlops, "plan.cluster.device.peakFlops");
  finite(peak.float32, "plan.cluster.device.peakFlops.float32");
  for (const [k, v] of Object.entries(peak)) {
    str(k, "plan.cluster.device.peakFlops key");
    finite(v, `plan.cluster.device.peakFlops.${k}`);
  }
  for (const k of ["intra", "inter"]) {
    const l = obj(c[k], `plan.cluster.${k}`);
    str(l.name, `plan.cluster.${k}.name`);
    finite(l.bandwidth, `plan.cluster.${k}.bandwidth`);
    finite(l.latency, `plan.cluster.${k}.latency`);
  }
  const p = obj(inputs.plan, "plan.plan");
  for (const k of ["tp", "pp", "dp", "microbatch", "globalBatch"]) finite(p[k], `plan.plan.${k}`);
  for (const k of ["interleave", "ep", "optimizerSlots"]) optional(p[k], (v) => finite(v, `plan.plan.${k}`));
  optional(p.zero, (v) => oneOf(String(v), ["0", "1", "2", "3"] as const, "plan.plan.zero") && num(v, "plan.plan.zero"));
  optional(p.recompute, (v) => oneOf(v, ["none", "selective", "full"] as const, "plan.plan.recompute"));
  optional(p.schedule, (v) => oneOf(v, ["1f1b", "gpipe"] as const, "plan.plan.schedule"));
  optional(p.precision, (v) => oneOf(v, ["bf16", "fp16", "fp32"] as const, "plan.plan.precision"));
  for (const k of ["sequenceParallel", "overlapGradReduce"]) optional(p[k], (v) => (typeof v === "boolean" ? v : refuse(`plan.plan.${k} is not a boolean`)));
}

/** Checks one output item; text is cleaned and capped rather than refused. */
export function checkItem(value: unknown): Checked<OutputItem> {
  try {
    const item = obj(value, "item");
    switch (item.kind) {
      case "log":
        return {
          ok: true,
          value: {
            kind: "log",
            level: oneOf(item.level, LEVELS, "log.level"),
            text: cleanText(str(item.text, "log.text", Number.MAX_SAFE_INTEGER), LIMITS.text),
            frames: item.frames === undefined ? undefined : frames(item.frames),
          },
        };
      case "error":
        return {
          ok: true,
          value: {
            kind: "error",
            name: cleanText(str(item.name, "error.name", LIMITS.text), LIMITS.name),
            message: cleanText(str(item.message, "error.message", Number.MAX_SAFE_INTEGER), LIMITS.text),
            line: item.line === undefined ? undefined : int(item.line, "error.line", 1, 1e7),
            column: item.column === undefined ? undefined : int(item.column, "error.column", 0, 1e7),
            frames: frames(item.frames),
            uncaught: typeof item.uncaught === "boolean" ? item.uncaught : refuse("error.uncaught is not a boolean"),
          },
        };
      case "clear":
        return { ok: true, value: { kind: "clear" } };
      case "skipped":
        return { ok: true, value: { kind: "skipped", lines: int(item.lines, "skipped.lines", 0, Number.MAX_SAFE_INTEGER) } };
      case "event": {
        const event = checkEvent(item.event);
        return event.ok ? { ok: true, value: { kind: "event", event: event.value } } : event;
      }
      default:
        return refuse(`unknown item kind ${JSON.stringify(String(item.kind)).slice(0, 40)}`);
    }
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.message };
    return { ok: false, reason: `unreadable item (${String(error).slice(0, 100)})` };
  }
}

/** An optional short text of a check case. */
function optText(v: unknown, what: string): string | undefined {
  return v === undefined ? undefined : cleanText(str(v, what, LIMITS.text), LIMITS.detail);
}

/** An exercise check's report: at most {@link MAX_CASES} cases of short texts. */
function checkReport(value: unknown): CheckReport {
  const r = obj(value, "check.report");
  const cases = arr(r.cases, "check.cases", MAX_CASES).map((raw, i): CheckCase => {
    const c = obj(raw, `check.cases[${i}]`);
    const name = obj(c.name, `check.cases[${i}].name`);
    return {
      name: { en: cleanText(str(name.en, "case name", LIMITS.text), LIMITS.name), zh: cleanText(str(name.zh, "case name", LIMITS.text), LIMITS.name) },
      pass: typeof c.pass === "boolean" ? c.pass : refuse("check case pass is not a boolean"),
      expected: optText(c.expected, "case expected"),
      got: optText(c.got, "case got"),
      missing: c.missing === undefined ? undefined : cleanText(str(c.missing, "case missing"), LIMITS.name),
      detail: optText(c.detail, "case detail"),
    };
  });
  if (r.error === undefined) return { cases };
  const e = obj(r.error, "check.error");
  return {
    cases,
    error: {
      kind: oneOf(e.kind, ["program", "check"] as const, "check.error.kind"),
      message: cleanText(str(e.message, "check.error.message", LIMITS.text), LIMITS.detail),
    },
  };
}

/**
 * Checks one message from the runner. An output message keeps its valid items; each refused one
 * becomes an error line saying so (the run goes on). Anything else that does not match the
 * protocol is refused whole.
 */
export function checkFromWorker(value: unknown): Checked<FromWorker> {
  try {
    const m = obj(value, "message");
    if (m.v !== PROTOCOL_VERSION) return refuse(`protocol version ${String(m.v).slice(0, 20)} (expected ${PROTOCOL_VERSION})`);
    const v = PROTOCOL_VERSION;
    switch (m.type) {
      case "ready":
        return { ok: true, value: { type: "ready", v, exports: arr(m.exports, "exports", 10_000).map((n, i) => str(n, `exports[${i}]`)) } };
      case "backend":
        return {
          ok: true,
          value: {
            type: "backend",
            v,
            name: cleanText(str(m.name, "backend.name", LIMITS.text), 40),
            detail: cleanText(str(m.detail, "backend.detail", LIMITS.text), LIMITS.detail),
            source: oneOf(m.source, ["library", "runner"] as const, "backend.source"),
          },
        };
      case "mode":
        return {
          ok: true,
          value: {
            type: "mode",
            v,
            runId: int(m.runId, "runId", 0, Number.MAX_SAFE_INTEGER),
            applied: typeof m.applied === "boolean" ? m.applied : refuse("mode.applied is not a boolean"),
            note: m.note === undefined ? undefined : cleanText(str(m.note, "mode.note", LIMITS.text), LIMITS.detail),
          },
        };
      case "output": {
        const runId = int(m.runId, "runId", -1, Number.MAX_SAFE_INTEGER);
        const items: OutputItem[] = [];
        let refused = 0;
        let reason = "";
        for (const raw of arr(m.items, "items", LIMITS.items)) {
          const item = checkItem(raw);
          if (item.ok) items.push(item.value);
          else if (refused++ === 0) reason = item.reason;
        }
        if (refused > 0) {
          items.push({ kind: "log", level: "error", text: `runner: refused ${refused} invalid output item${refused === 1 ? "" : "s"} (${reason})` });
        }
        return { ok: true, value: { type: "output", v, runId, items } };
      }
      case "done":
        return {
          ok: true,
          value: {
            type: "done",
            v,
            runId: int(m.runId, "runId", 0, Number.MAX_SAFE_INTEGER),
            ok: typeof m.ok === "boolean" ? m.ok : refuse("done.ok is not a boolean"),
            durationMs: Math.max(0, finite(m.durationMs, "done.durationMs")),
          },
        };
      case "check":
        return { ok: true, value: { type: "check", v, runId: int(m.runId, "runId", 0, Number.MAX_SAFE_INTEGER), report: checkReport(m.report) } };
      case "fatal":
        return { ok: true, value: { type: "fatal", v, message: cleanText(str(m.message, "fatal.message", LIMITS.text), LIMITS.detail) } };
      default:
        return refuse(`unknown message type ${JSON.stringify(String(m.type)).slice(0, 40)}`);
    }
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.message };
    return { ok: false, reason: `unreadable message (${String(error).slice(0, 100)})` };
  }
}
