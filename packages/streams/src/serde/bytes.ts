/**
 * Kafka's `org.apache.kafka.common.utils.Bytes`: an immutable byte array with value equality, so
 * it can be a key (Java compares `byte[]` by identity). `toString()` prints as Java's does
 * (printable ASCII as is, the rest as `\xNN`).
 */
export class Bytes {
  private constructor(private readonly bytes: Uint8Array) {}

  static wrap(bytes: Uint8Array | null): Bytes | null {
    return bytes === null ? null : new Bytes(bytes);
  }

  get(): Uint8Array {
    return this.bytes;
  }

  equals(other: unknown): boolean {
    return other instanceof Bytes && Buffer.compare(this.bytes, other.bytes) === 0;
  }

  compareTo(other: Bytes): number {
    return Buffer.compare(this.bytes, other.bytes);
  }

  toString(): string {
    let out = '';
    for (const b of this.bytes) {
      out +=
        b >= 32 && b < 127 && b !== 0x5c
          ? String.fromCharCode(b)
          : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return out;
  }
}
