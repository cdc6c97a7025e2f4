/** Errors that speak the user's language: the op, the shapes, the rule broken. */

/** Base class for webgrad's own errors. `op` names the operation that refused. */
export class WebgradError extends Error {
  /** The op (or API function) that raised the error. */
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = "WebgradError";
    this.op = op;
  }
}

/** Shapes that do not fit the op's rule. */
export class ShapeError extends WebgradError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = "ShapeError";
  }
}

/** A dtype the op does not take. */
export class DTypeError extends WebgradError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = "DTypeError";
  }
}

/** Misuse of reverse mode: backward twice, a tensor changed in place after being saved, … */
export class AutogradError extends WebgradError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = "AutogradError";
  }
}
