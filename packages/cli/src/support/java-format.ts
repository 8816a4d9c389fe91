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
