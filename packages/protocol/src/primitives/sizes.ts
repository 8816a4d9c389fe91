/** Sizes of Kafka's primitive encodings, used by the generated size pass. */

export function sizeOfUVarint(value: number): number {
  const v = value >>> 0;
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  return 5;
}

export function sizeOfVarint(value: number): number {
  return sizeOfUVarint(((value << 1) ^ (value >> 31)) >>> 0);
}

export function sizeOfVarlong(value: bigint): number {
  let v = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
  let size = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    size++;
  }
  return size;
}

/** Size of a varlong holding a safe-integer JS number (see `Writer.writeVarlongNumber`). */
export function sizeOfVarlongNumber(value: number): number {
  let q = Math.floor((value >= 0 ? value : -value - 1) / 64);
  let size = 1;
  while (q > 0) {
    q = Math.floor(q / 128);
    size++;
  }
  return size;
}

export function utf8Length(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

export function sizeOfString(value: string): number {
  return 2 + Buffer.byteLength(value, 'utf8');
}

export function sizeOfNullableString(value: string | null): number {
  return value === null ? 2 : 2 + Buffer.byteLength(value, 'utf8');
}

export function sizeOfCompactString(value: string): number {
  const length = Buffer.byteLength(value, 'utf8');
  return sizeOfUVarint(length + 1) + length;
}

export function sizeOfCompactNullableString(value: string | null): number {
  return value === null ? 1 : sizeOfCompactString(value);
}

export function sizeOfBytes(value: Uint8Array): number {
  return 4 + value.length;
}

export function sizeOfNullableBytes(value: Uint8Array | null): number {
  return value === null ? 4 : 4 + value.length;
}

export function sizeOfCompactBytes(value: Uint8Array): number {
  return sizeOfUVarint(value.length + 1) + value.length;
}

export function sizeOfCompactNullableBytes(value: Uint8Array | null): number {
  return value === null ? 1 : sizeOfCompactBytes(value);
}
