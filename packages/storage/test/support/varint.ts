/** Zigzag varints for the test batch builder (Kafka's record format). */
export function writeVarlong(value: number, out: number[]): void {
  let raw = value >= 0 ? value * 2 : -value * 2 - 1;
  while (raw >= 128) {
    out.push((raw % 128) | 0x80);
    raw = Math.floor(raw / 128);
  }
  out.push(raw);
}

export function sizeOfVarlong(value: number): number {
  let raw = value >= 0 ? value * 2 : -value * 2 - 1;
  let n = 1;
  while (raw >= 128) {
    raw = Math.floor(raw / 128);
    n++;
  }
  return n;
}
