/**
 * A minimal protobuf wire-format reader (https://protobuf.dev/programming-guides/encoding/).
 * It never allocates for scalars, reads sub-messages as [start, end) ranges of the same buffer, and
 * throws `ProtobufError` on any malformed input (truncated varints, lengths past the end, bad wire types),
 * which the receiver answers with 400.
 */

export class ProtobufError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufError';
  }
}

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

export class ProtobufReader {
  /** A Buffer view of the input (no copy): `toString('utf8', …)` decodes short strings about twice as fast as TextDecoder. */
  readonly buf: Buffer;
  private readonly view: DataView;
  pos: number;
  end: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  /** Reads a tag; returns field number << 3 | wire type, as on the wire. */
  tag(): number {
    const tag = this.uint32();
    if (tag >>> 3 === 0) throw new ProtobufError(`invalid field number 0 at byte ${this.pos}`);
    return tag;
  }

  /** A varint that must fit 32 bits (tags, lengths, enums, uint32). Larger varints keep the low 32 bits. */
  uint32(): number {
    const buf = this.buf;
    let result = 0;
    let shift = 0;
    while (true) {
      if (this.pos >= this.end) throw new ProtobufError('truncated varint');
      const byte = buf[this.pos++] as number;
      if (shift < 28) result |= (byte & 0x7f) << shift;
      else if (shift === 28) result |= (byte & 0x0f) << 28;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
      if (shift >= 70) throw new ProtobufError('varint longer than 10 bytes');
    }
  }

  int32(): number {
    return this.uint32() | 0;
  }

  sint32(): number {
    const n = this.uint32();
    return (n >>> 1) ^ -(n & 1);
  }

  /** A full 64-bit varint as a signed bigint (int64). */
  int64(): bigint {
    return BigInt.asIntN(64, this.uint64());
  }

  uint64(): bigint {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    while (true) {
      if (this.pos >= this.end) throw new ProtobufError('truncated varint');
      const byte = buf[this.pos++] as number;
      if (shift < 28) lo |= (byte & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (byte & 0x0f) << 28;
        hi |= (byte & 0x7f) >> 4;
      } else if (shift < 64) hi |= (byte & 0x7f) << (shift - 32);
      if ((byte & 0x80) === 0) break;
      shift += 7;
      if (shift >= 70) throw new ProtobufError('varint longer than 10 bytes');
    }
    return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  }

  /** A varint as a JS number (exact up to 2^53; used for counts). */
  uint64Number(): number {
    return Number(this.uint64());
  }

  bool(): boolean {
    return this.uint32() !== 0;
  }

  fixed64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  sfixed64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** fixed64 as a JS number (counts). */
  fixed64Number(): number {
    this.need(8);
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    return hi * 4294967296 + lo;
  }

  fixed32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  double(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Reads a length prefix and returns the end offset of the length-delimited field. */
  lenEnd(): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > this.end) throw new ProtobufError(`length ${len} runs past the end of the message`);
    return end;
  }

  string(): string {
    const end = this.lenEnd();
    // invalid UTF-8 becomes U+FFFD, as TextDecoder without `fatal` does
    const s = end === this.pos ? '' : this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return s;
  }

  bytes(): Uint8Array {
    const end = this.lenEnd();
    const b = this.buf.subarray(this.pos, end);
    this.pos = end;
    return b;
  }

  /** Skips a field of the given wire type (unknown fields are ignored, as proto3 requires). */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.uint64();
        return;
      case WIRE_I64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.lenEnd();
        return;
      case WIRE_I32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new ProtobufError(`unsupported wire type ${wireType} at byte ${this.pos}`);
    }
  }

  /** Throws unless `wireType` is the one the schema declares for this field. */
  expect(wireType: number, expected: number, field: string): void {
    if (wireType !== expected)
      throw new ProtobufError(`field ${field} has wire type ${wireType}, expected ${expected}`);
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new ProtobufError('truncated fixed-width field');
  }
}
