/**
 * Writes Kafka's primitive encodings into a Buffer allocated once, at the size computed by the
 * generated size pass (Kafka's two-pass encoding: size, then write).
 *
 * Large byte payloads (record batches read from a segment) are not copied: `writeRecords` cuts
 * the output into chunks around them, so a Fetch response goes to the socket as a list of buffers
 * and the records are written straight from where storage put them.
 */
export class Writer {
  readonly buf: Buffer;
  pos: number;
  private chunks: Buffer[] | undefined;
  private chunkStart = 0;
  /** Bytes represented by referenced chunks, which do not occupy space in `buf`. */
  private referencedBytes = 0;

  /** Payloads at least this large are referenced instead of copied. */
  static readonly REFERENCE_THRESHOLD_BYTES = 32 * 1024;

  /** Messages at least this large are written into the shared scratch buffer (`forMessage`). */
  static readonly SCRATCH_THRESHOLD_BYTES = 64 * 1024;
  /** Above this, `forMessage` allocates as the constructor does. */
  static readonly SCRATCH_MAX_BYTES = 64 * 1024 * 1024;

  /** Whether `buf` is the module's scratch buffer, which `toChunks`/`toBuffer` must copy out of. */
  private readonly scratch: boolean;

  constructor(size: number, scratch?: Buffer) {
    this.buf = scratch ?? Buffer.allocUnsafe(size);
    this.pos = 0;
    this.scratch = scratch !== undefined;
  }

  /**
   * A writer for a whole message that is finished with `toChunks()` or `toBuffer()` before the
   * next message is encoded (framing's encodeRequest/encodeResponse).
   *
   * `size` counts referenced payloads, which never land in `buf`: a 1 MB Fetch response writes
   * a few hundred bytes of its own. Allocating `size` for each would make the garbage collector
   * free a megabyte per response; instead a large message is written into one scratch buffer,
   * reused from message to message (its untouched pages cost no memory), and only the bytes
   * actually written are copied out at the end. `buf` must not be kept.
   */
  static forMessage(size: number): Writer {
    if (size < Writer.SCRATCH_THRESHOLD_BYTES || size > Writer.SCRATCH_MAX_BYTES) return new Writer(size);
    if (scratchBuffer.length < size)
      scratchBuffer = Buffer.allocUnsafeSlow(
        Math.min(Writer.SCRATCH_MAX_BYTES, Math.max(size, 2 * scratchBuffer.length)),
      );
    return new Writer(0, scratchBuffer.subarray(0, size));
  }

  writeBool(value: boolean): void {
    this.buf[this.pos++] = value ? 1 : 0;
  }

  writeInt8(value: number): void {
    this.buf.writeInt8(value, this.pos++);
  }

  writeInt16(value: number): void {
    this.buf.writeInt16BE(value, this.pos);
    this.pos += 2;
  }

  writeUint16(value: number): void {
    this.buf.writeUInt16BE(value, this.pos);
    this.pos += 2;
  }

  writeInt32(value: number): void {
    this.buf.writeInt32BE(value, this.pos);
    this.pos += 4;
  }

  writeUint32(value: number): void {
    this.buf.writeUInt32BE(value, this.pos);
    this.pos += 4;
  }

  writeInt64(value: bigint): void {
    this.buf.writeBigInt64BE(value, this.pos);
    this.pos += 8;
  }

  writeFloat64(value: number): void {
    this.buf.writeDoubleBE(value, this.pos);
    this.pos += 8;
  }

  writeUVarint(value: number): void {
    const buf = this.buf;
    let v = value >>> 0;
    while (v >= 0x80) {
      buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[this.pos++] = v;
  }

  writeVarint(value: number): void {
    this.writeUVarint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  writeVarlong(value: bigint): void {
    let v = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
    const buf = this.buf;
    while (v >= 0x80n) {
      buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    buf[this.pos++] = Number(v);
  }

  /**
   * A varlong from a safe-integer JS number. The zig-zag value 2q + sign can pass 2^53, so it is
   * never formed: the first group takes six bits of q and the sign, the rest seven bits each.
   */
  writeVarlongNumber(value: number): void {
    const buf = this.buf;
    let q = value >= 0 ? value : -value - 1;
    let group = (q % 64) * 2 + (value < 0 ? 1 : 0);
    q = Math.floor(q / 64);
    while (q > 0) {
      buf[this.pos++] = group | 0x80;
      group = q % 128;
      q = Math.floor(q / 128);
    }
    buf[this.pos++] = group;
  }

  writeString(value: string): void {
    const length = this.buf.write(value, this.pos + 2, 'utf8');
    this.buf.writeInt16BE(length, this.pos);
    this.pos += 2 + length;
  }

  writeNullableString(value: string | null): void {
    if (value === null) this.writeInt16(-1);
    else this.writeString(value);
  }

  writeCompactString(value: string): void {
    this.writeUVarint(Buffer.byteLength(value, 'utf8') + 1);
    this.pos += this.buf.write(value, this.pos, 'utf8');
  }

  writeCompactNullableString(value: string | null): void {
    if (value === null) this.writeUVarint(0);
    else this.writeCompactString(value);
  }

  writeRaw(value: Uint8Array): void {
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  writeBytes(value: Uint8Array): void {
    this.writeInt32(value.length);
    this.writeRaw(value);
  }

  writeNullableBytes(value: Uint8Array | null): void {
    if (value === null) this.writeInt32(-1);
    else this.writeBytes(value);
  }

  writeCompactBytes(value: Uint8Array): void {
    this.writeUVarint(value.length + 1);
    this.writeRaw(value);
  }

  writeCompactNullableBytes(value: Uint8Array | null): void {
    if (value === null) this.writeUVarint(0);
    else this.writeCompactBytes(value);
  }

  /** Record-batch payloads: like bytes, but large payloads are referenced, not copied. */
  writeRecordsPayload(value: Uint8Array): void {
    if (value.length < Writer.REFERENCE_THRESHOLD_BYTES) {
      this.writeRaw(value);
      return;
    }
    this.chunks ??= [];
    if (this.pos > this.chunkStart) this.chunks.push(this.buf.subarray(this.chunkStart, this.pos));
    this.chunks.push(Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.length));
    this.referencedBytes += value.length;
    this.chunkStart = this.pos;
  }

  writeUuid(value: string): void {
    if (value.length !== 22 || this.buf.write(value, this.pos, 16, 'base64url') !== 16) {
      throw new TypeError(`not a Kafka UUID (22 characters of base64url): ${JSON.stringify(value)}`);
    }
    this.pos += 16;
  }

  /** Bytes written so far, including referenced payloads. */
  get length(): number {
    return this.pos + this.referencedBytes;
  }

  /** The encoded message as one Buffer (copying referenced payloads if there were any). */
  toBuffer(): Buffer {
    if (this.chunks === undefined) {
      if (this.scratch) return Buffer.from(this.buf.subarray(0, this.pos));
      return this.pos === this.buf.length ? this.buf : this.buf.subarray(0, this.pos);
    }
    return Buffer.concat(this.toChunks());
  }

  /** The encoded message as buffers to write in order, without copying referenced payloads. */
  toChunks(): Buffer[] {
    if (this.chunks === undefined) return [this.toBuffer()];
    const chunks = this.chunks.slice();
    if (this.pos > this.chunkStart) chunks.push(this.buf.subarray(this.chunkStart, this.pos));
    if (!this.scratch) return chunks;
    // The message's own bytes lie in order in buf[0, pos): one copy out of the scratch buffer,
    // and each own chunk becomes the same range of the copy.
    const own = Buffer.from(this.buf.subarray(0, this.pos));
    const base = this.buf.byteOffset;
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i] as Buffer;
      if (c.buffer === this.buf.buffer) {
        const start = c.byteOffset - base;
        chunks[i] = own.subarray(start, start + c.length);
      }
    }
    return chunks;
  }
}

/** The shared buffer of `Writer.forMessage` (single-threaded: one message is encoded at a time). */
let scratchBuffer: Buffer = Buffer.allocUnsafeSlow(0);
