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

/**
 * An index value inside a tensor is out of range: a gather/scatterAdd/indexSelect index, a oneHot
 * class id, a crossEntropy/nllLoss target, an embedding id. Found at the op on the CPU backend, at
 * the next read-back on WebGPU (a kernel cannot throw).
 * @example try { nn.crossEntropy(logits, labels); } catch (e) { if (e instanceof IndexError) console.log(e.message); }
 */
export class IndexError extends WebgradError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = "IndexError";
  }
}

/**
 * A tensor too large to allocate: names the op, the shape, the dtype and the bytes it would need.
 * Raised before allocating when a tensor would exceed the per-tensor limit (`setMaxTensorBytes`,
 * 2 GiB by default) or what one buffer of the backend can hold, and when the allocation itself fails.
 * @example try { zeros([1e6, 1e6]); } catch (e) { if (e instanceof OutOfMemoryError) console.log(e.bytes); }
 */
export class OutOfMemoryError extends WebgradError {
  constructor(
    op: string,
    message: string,
    /** The shape of the tensor that did not fit. */
    readonly shape: readonly number[],
    /** Its dtype. */
    readonly dtype: string,
    /** The bytes it would need. */
    readonly bytes: number,
  ) {
    super(op, message);
    this.name = "OutOfMemoryError";
  }
}
