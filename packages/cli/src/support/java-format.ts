/**
 * The few pieces of Java's `String.format` that Kafka's tools print with: `%-Ns` columns and
 * `%.Nf` numbers (HALF_UP rounding, as java.util.Formatter rounds).
 */

/** `%-Ns`: left-justified in at least `width` characters. */
export function left(value: string | number | bigint, width: number): string {
  return String(value).padEnd(width);
}

/** `%.Nf` with Java's HALF_UP rounding; NaN and infinities print as Java prints them. */
export function fixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const factor = 10 ** digits;
  const scaled = Math.abs(value) * factor;
  // Nudge by a relative epsilon so that values such as 1.005 round up as their decimal text does.
  const rounded = Math.floor(scaled + 0.5 + scaled * Number.EPSILON * 4) / factor;
  const text = rounded.toFixed(digits);
  return value < 0 && rounded !== 0 ? `-${text}` : text;
}

/**
 * java.text.SimpleDateFormat for the patterns Kafka's perf tools use (default
 * `yyyy-MM-dd HH:mm:ss:SSS`), in local time. Letters other than y M d H m s S are copied.
 */
export function simpleDateFormat(pattern: string, ms: number): string {
  const d = new Date(ms);
  const fields: Record<string, number> = {
    y: d.getFullYear(),
    M: d.getMonth() + 1,
    d: d.getDate(),
    H: d.getHours(),
    m: d.getMinutes(),
    s: d.getSeconds(),
    S: d.getMilliseconds(),
  };
  return pattern.replace(/y+|M+|d+|H+|m+|s+|S+/g, (run) => {
    const value = fields[run[0] as string] as number;
    return String(value).padStart(run.length, '0');
  });
}

/**
 * Java's `Double.toString` (what Jackson writes for a `double`): the shortest decimal that reads
 * back as the same double, always with a fraction (`20.0`), in computerized scientific notation
 * outside [10^-3, 10^7) (`1.2345E7`, `1.0E-4`). NaN and infinities as Java spells them.
 */
export function javaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa = '', exponent = ''] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}
