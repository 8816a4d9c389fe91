import { ErrorCode } from '../errors/error-codes.js';
import { ProtocolDecodeError } from '../errors/kafka-error.js';

/**
 * A bounds-checked cursor over a Buffer, with Kafka's primitive encodings.
 *
 * Every length or count read from the wire is checked against the bytes remaining *before*
 * anything is allocated, so a 20-byte frame can never make us allocate gigabytes (the class of
 * bug behind CVE-2022-34917). Arrays additionally draw from an element budget that starts at the
 * frame size, which bounds arrays of zero-width elements. Byte fields are zero-copy views into the
 * frame: callers that keep them beyond the frame's lifetime must copy.
 *
 * Errors are `ProtocolDecodeError`s carrying `errorCode`: INVALID_REQUEST for request frames,
 * CORRUPT_MESSAGE when the reader walks the records of a batch.
 */
export class Reader {
  readonly buf: Buffer;
  pos: number;
  end: number;
  readonly errorCode: number;
  private elementBudget: number;

  constructor(buf: Buffer, pos = 0, end = buf.length, errorCode: number = ErrorCode.INVALID_REQUEST) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.errorCode = errorCode;
    this.elementBudget = end - pos + 64;
  }

  /** The error to throw for malformed input, with this reader's error code. */
  fail(message: string): ProtocolDecodeError {
    return new ProtocolDecodeError(message, this.errorCode);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(bytes: number, what: string): void {
    if (bytes > this.end - this.pos) {
      throw this.fail(`${what}: needs ${bytes} bytes but only ${this.end - this.pos} remain`);
    }
  }

  skip(bytes: number): void {
    this.need(bytes, 'skip');
    this.pos += bytes;
  }

  readBool(): boolean {
    this.need(1, 'bool');
    return this.buf[this.pos++] !== 0;
  }

  readInt8(): number {
    this.need(1, 'int8');
    return this.buf.readInt8(this.pos++);
  }

  readInt16(): number {
    this.need(2, 'int16');
    const value = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return value;
  }

  readUint16(): number {
    this.need(2, 'uint16');
    const value = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return value;
  }

  readInt32(): number {
    this.need(4, 'int32');
    const value = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return value;
  }

  readUint32(): number {
    this.need(4, 'uint32');
    const value = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return value;
  }

  readInt64(): bigint {
    this.need(8, 'int64');
    const value = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return value;
  }

  readFloat64(): number {
    this.need(8, 'float64');
    const value = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return value;
  }

  /** Unsigned LEB128 varint of at most 32 bits (Kafka's `unsigned_varint`). */
  readUVarint(): number {
    const buf = this.buf;
    let pos = this.pos;
    let value = 0;
    let shift = 0;
    for (;;) {
      if (pos >= this.end) throw this.fail('unsigned varint: truncated');
      const byte = buf[pos++] as number;
      if (shift === 28) {
        if (byte > 0x0f) throw this.fail('unsigned varint: more than 32 bits');
        value += byte * 0x10000000;
        break;
      }
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
      shift += 7;
    }
    this.pos = pos;
    return value >>> 0;
  }

  /** Zig-zag signed varint of at most 32 bits (Kafka's `varint`). */
  readVarint(): number {
    const raw = this.readUVarint();
    return (raw >>> 1) ^ -(raw & 1);
  }

  /**
   * Kafka's `varlong` as a JS number, for record timestamps and offsets (see the 2^53 note in
   * `record-batch-header.ts`). Exact for every value within ±(2^53 - 1); anything beyond is
   * rejected, never rounded. One-byte values, the common case for deltas, take a fast path.
   */
  readVarlongNumber(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.end) throw this.fail('varlong: truncated');
    let byte = buf[pos++] as number;
    if (byte < 0x80) {
      this.pos = pos;
      return (byte >>> 1) ^ -(byte & 1);
    }
    // The zig-zag value in two exact parts: bits 0-27 in `low`, bits 28-63 in `high`.
    let low = byte & 0x7f;
    let high = 0;
    for (let i = 1; ; i++) {
      if (i === 10) throw this.fail('varlong: more than 64 bits');
      if (pos >= this.end) throw this.fail('varlong: truncated');
      byte = buf[pos++] as number;
      if (i < 4) low |= (byte & 0x7f) << (7 * i);
      else high += (byte & 0x7f) * 2 ** (7 * (i - 4));
      if (byte < 0x80) break;
    }
    const magnitude = high * 0x8000000 + (low >>> 1);
    const value = (low & 1) === 0 ? magnitude : -magnitude - 1;
    if (!Number.isSafeInteger(value)) throw this.fail('varlong: beyond the 2^53 range of JS numbers');
    this.pos = pos;
    return value;
  }

  /** Zig-zag signed varint of at most 64 bits (Kafka's `varlong`). */
  readVarlong(): bigint {
    const buf = this.buf;
    let pos = this.pos;
    let value = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= this.end) throw this.fail('varlong: truncated');
      const byte = buf[pos++] as number;
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) break;
      shift += 7n;
      if (shift > 63n) throw this.fail('varlong: more than 64 bits');
    }
    this.pos = pos;
    return BigInt.asIntN(64, (value >> 1n) ^ -(value & 1n));
  }

  private utf8(length: number, what: string): string {
    this.need(length, what);
    const value = this.buf.toString('utf8', this.pos, this.pos + length);
    this.pos += length;
    return value;
  }

  private view(length: number, what: string): Buffer {
    this.need(length, what);
    const value = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return value;
  }

  readString(): string {
    const length = this.readInt16();
    if (length < 0) throw this.fail('string: null where a value is required');
    return this.utf8(length, 'string');
  }

  readNullableString(): string | null {
    const length = this.readInt16();
    if (length < 0) return null;
    return this.utf8(length, 'string');
  }

  readCompactString(): string {
    const length = this.readUVarint() - 1;
    if (length < 0) throw this.fail('compact string: null where a value is required');
    return this.utf8(length, 'compact string');
  }

  readCompactNullableString(): string | null {
    const length = this.readUVarint() - 1;
    if (length < 0) return null;
    return this.utf8(length, 'compact string');
  }

  readBytes(): Buffer {
    const length = this.readInt32();
    if (length < 0) throw this.fail('bytes: null where a value is required');
    return this.view(length, 'bytes');
  }

  readNullableBytes(): Buffer | null {
    const length = this.readInt32();
    if (length < 0) return null;
    return this.view(length, 'bytes');
  }

  readCompactBytes(): Buffer {
    const length = this.readUVarint() - 1;
    if (length < 0) throw this.fail('compact bytes: null where a value is required');
    return this.view(length, 'compact bytes');
  }

  readCompactNullableBytes(): Buffer | null {
    const length = this.readUVarint() - 1;
    if (length < 0) return null;
    return this.view(length, 'compact bytes');
  }

  readRaw(length: number): Buffer {
    return this.view(length, 'raw bytes');
  }

  /** Kafka's UUID, rendered as Kafka prints it: 22 characters of URL-safe base64. */
  readUuid(): string {
    this.need(16, 'uuid');
    const value = this.buf.toString('base64url', this.pos, this.pos + 16);
    this.pos += 16;
    return value;
  }

  private checkCount(count: number, what: string): number {
    // Every element of every array we decode takes at least one byte, except structs whose
    // fields are all absent in this version; the budget bounds those too.
    if (count > this.end - this.pos && count > this.elementBudget) {
      throw this.fail(`${what}: ${count} elements cannot fit in ${this.end - this.pos} bytes`);
    }
    this.elementBudget -= count;
    if (this.elementBudget < 0) throw this.fail(`${what}: element budget exhausted`);
    return count;
  }

  /** Classic array length: int32, -1 for null. */
  readArrayLength(): number {
    const count = this.readInt32();
    if (count < 0) return -1;
    return this.checkCount(count, 'array');
  }

  /** Compact array length: unsigned varint N+1, 0 for null. */
  readCompactArrayLength(): number {
    const count = this.readUVarint() - 1;
    if (count < 0) return -1;
    return this.checkCount(count, 'compact array');
  }

  /** Number of entries of a tagged-field section; each entry needs at least two bytes. */
  readTaggedFieldCount(): number {
    const count = this.readUVarint();
    if (count * 2 > this.end - this.pos) {
      throw this.fail(`tagged fields: ${count} entries cannot fit in ${this.end - this.pos} bytes`);
    }
    return count;
  }
}
