/**
 * A minimal protobuf writer: varints, length-delimited fields and nested messages — enough to
 * write an ONNX model without a protobuf library.
 */

/** Wire types of the protobuf encoding. */
const VARINT = 0,
  FIXED64 = 1,
  LENGTH_DELIMITED = 2,
  FIXED32 = 5;

/** Builds one protobuf message; nested messages are built by their own writer. */
export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  private varint(v: bigint): void {
    // Negative int64 values are written as their 64-bit two's complement (10 bytes).
    let x = BigInt.asUintN(64, v);
    const out: number[] = [];
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x !== 0n) b |= 0x80;
      out.push(b);
    } while (x !== 0n);
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wire: number): void {
    this.varint(BigInt((field << 3) | wire));
  }

  /** An int32 / int64 / enum / bool field. */
  int(field: number, v: number | bigint | boolean): this {
    this.tag(field, VARINT);
    this.varint(typeof v === "bigint" ? v : BigInt(typeof v === "boolean" ? Number(v) : Math.trunc(v)));
    return this;
  }

  /** A float field (fixed32). */
  float(field: number, v: number): this {
    this.tag(field, FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.push(b);
    return this;
  }

  /** A double field (fixed64). */
  double(field: number, v: number): this {
    this.tag(field, FIXED64);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    this.push(b);
    return this;
  }

  /** A bytes field. */
  bytes(field: number, data: Uint8Array): this {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(BigInt(data.length));
    this.push(data);
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  /** A nested message field. */
  message(field: number, m: ProtoWriter): this {
    return this.bytes(field, m.finish());
  }

  /** The encoded message. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
