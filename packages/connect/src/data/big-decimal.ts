/**
 * An exact decimal number, as Java's `java.math.BigDecimal` (the value of Connect's Decimal
 * logical type): `unscaled × 10^-scale`, with the scale kept as written (`1.5600` has scale 4 and
 * is not equal to `1.56`, as in Java's `equals`). JS numbers cannot carry this: 0.1 + 0.2 and
 * values past 2^53 lose digits, and a Decimal column's scale is part of its schema.
 */
export class BigDecimal {
  readonly unscaled: bigint;
  /** Digits after the decimal point; negative for multiples of a power of ten (`1.5E+3`). */
  readonly scale: number;

  constructor(unscaled: bigint, scale: number) {
    if (!Number.isInteger(scale)) throw new RangeError(`Invalid scale ${scale}`);
    this.unscaled = unscaled;
    this.scale = scale;
    Object.freeze(this);
  }

  /** Java's `new BigDecimal(text)`: `-12.340`, `1E-7`, `1.5e+3`; the scale is the one written. */
  static parse(text: string): BigDecimal {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
    const intPart = m?.[2] ?? '';
    const fraction = m?.[3] ?? '';
    if (m === null || intPart + fraction === '') throw new NumberFormatError(text);
    const unscaled = BigInt(`${m[1] === '-' ? '-' : ''}${intPart}${fraction}`);
    const exponent = m[4] === undefined ? 0 : Number(m[4]);
    return new BigDecimal(unscaled, fraction.length - exponent);
  }

  /** The exact value of a JS number as its shortest decimal text (`0.1` → 0.1, scale 1). */
  static fromNumber(value: number): BigDecimal {
    if (!Number.isFinite(value)) throw new NumberFormatError(String(value));
    return BigDecimal.parse(String(value));
  }

  /**
   * Connect's encoding of a Decimal: the unscaled value as a big-endian two's-complement integer
   * in the fewest bytes (Java's `BigInteger.toByteArray()`), e.g. 156 → `00 9c`, -1 → `ff`.
   */
  toTwosComplement(): Buffer {
    let v = this.unscaled;
    const bytes: number[] = [];
    // Emit low bytes until what is left is only sign extension of the last byte written.
    for (;;) {
      const byte = Number(BigInt.asUintN(8, v));
      bytes.push(byte);
      v >>= 8n;
      if ((v === 0n && (byte & 0x80) === 0) || (v === -1n && (byte & 0x80) !== 0)) break;
    }
    return Buffer.from(bytes.reverse());
  }

  /** The inverse of `toTwosComplement` (Java's `new BigDecimal(new BigInteger(bytes), scale)`). */
  static fromTwosComplement(bytes: Uint8Array, scale: number): BigDecimal {
    if (bytes.length === 0) throw new NumberFormatError('Zero length BigInteger');
    let v = 0n;
    for (const b of bytes) v = (v << 8n) | BigInt(b);
    return new BigDecimal(BigInt.asIntN(bytes.length * 8, v), scale);
  }

  /** The same number with `scale` digits, when that needs no rounding (Java's `setScale(n)`). */
  setScale(scale: number): BigDecimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new BigDecimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    const divisor = 10n ** BigInt(this.scale - scale);
    if (this.unscaled % divisor !== 0n) throw new RangeError('Rounding necessary');
    return new BigDecimal(this.unscaled / divisor, scale);
  }

  equals(other: unknown): boolean {
    return other instanceof BigDecimal && other.unscaled === this.unscaled && other.scale === this.scale;
  }

  /** The nearest JS number (loses precision past 15–17 significant digits). */
  toNumber(): number {
    return Number(this.toString());
  }

  /**
   * Java's `BigDecimal.toString()`: plain digits while the scale is not negative and the adjusted
   * exponent is at least -6, scientific notation (`1E-7`, `1.56E+4`) otherwise. This is how
   * Jackson, hence Kafka's JsonConverter with `decimal.format=NUMERIC`, writes a decimal.
   */
  toString(): string {
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString();
    const sign = negative ? '-' : '';
    const adjusted = digits.length - 1 - this.scale;
    if (this.scale >= 0 && adjusted >= -6) return sign + placePoint(digits, this.scale);
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
  }

  /** Java's `toPlainString()`: never an exponent. */
  toPlainString(): string {
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString();
    const body = this.scale >= 0 ? placePoint(digits, this.scale) : digits + '0'.repeat(-this.scale);
    return (negative ? '-' : '') + body;
  }
}

function placePoint(digits: string, scale: number): string {
  if (scale === 0) return digits;
  const padded = digits.padStart(scale + 1, '0');
  return `${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
}

/** Java's NumberFormatException, for text that is not a decimal number. */
export class NumberFormatError extends Error {
  override readonly name = 'NumberFormatException';
  constructor(text: string) {
    super(`Not a decimal number: ${text}`);
  }
}
