/**
 * Spring Boot's `Duration` and `DataSize` property syntax, as `DurationStyle.detect` and
 * `DataSize.parse` read it, converted to the numbers Kafka's settings hold (milliseconds, bytes).
 * Malformed text throws a plain Error; the binder names the property.
 */

export type DurationUnit = 'ns' | 'us' | 'ms' | 's' | 'm' | 'h' | 'd';

const MS_PER_UNIT: Readonly<Record<DurationUnit, number>> = {
  ns: 1e-6,
  us: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** `DurationStyle.SIMPLE`: an integer and an optional unit suffix (any case). */
const SIMPLE = /^([+-]?\d+)([a-zA-Z]{0,2})$/;
/** `DurationStyle.ISO8601` detection; the value then goes through `java.time.Duration.parse`. */
const ISO_DETECT = /^[+-]?[pP].*$/;
/** `java.time.Duration.parse`: days, hours, minutes and (fractional) seconds, each signed. */
const ISO = /^([-+]?)P(?:([-+]?\d+)D)?(T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?)(\d+)(?:[.,](\d{0,9}))?S)?)?$/i;

/**
 * Milliseconds of a Spring duration: `5000` (in `defaultUnit`, milliseconds unless the property
 * says otherwise, as `@DurationUnit` does), `5s`, `500ms`, `1m`, `PT5S`, `P1DT2H`. Sub-millisecond
 * parts are dropped, as `Duration.toMillis()` does.
 */
export function parseSpringDuration(text: string, defaultUnit: DurationUnit = 'ms'): number {
  const value = text.trim();
  const simple = SIMPLE.exec(value);
  if (simple !== null) {
    const suffix = (simple[2] as string).toLowerCase();
    const unit = suffix === '' ? defaultUnit : suffix;
    if (!Object.hasOwn(MS_PER_UNIT, unit)) throw new Error(`'${text}' is not a valid simple duration`);
    return Math.floor(Number(simple[1]) * MS_PER_UNIT[unit as DurationUnit]);
  }
  if (ISO_DETECT.test(value)) {
    const m = ISO.exec(value);
    // Java needs at least one section, and a 'T' must be followed by at least one time section.
    const valid = m !== null && (m[2] !== undefined || m[3] !== undefined) && m[3]?.toUpperCase() !== 'T';
    if (!valid) throw new Error(`'${text}' is not a valid ISO-8601 duration`);
    const n = (s: string | undefined) => (s === undefined ? 0 : Number(s));
    const fraction = m[8] === undefined || m[8] === '' ? 0 : Number(`0.${m[8]}`);
    const secondsSign = m[6] === '-' ? -1 : 1;
    const seconds = m[7] === undefined ? 0 : secondsSign * (n(m[7]) + fraction);
    const total = n(m[2]) * 86_400_000 + n(m[4]) * 3_600_000 + n(m[5]) * 60_000 + seconds * 1000;
    return Math.floor((m[1] === '-' ? -1 : 1) * total);
  }
  throw new Error(`'${text}' is not a valid duration`);
}

const BYTES_PER_UNIT: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
};

/**
 * Bytes of a Spring `DataSize`: `16384` (bytes), `16KB`, `32MB`. Whitespace anywhere is ignored
 * and the suffix is case-sensitive, as in Spring (`16kb` is refused there too).
 */
export function parseSpringDataSize(text: string): number {
  const m = /^([+-]?\d+)([a-zA-Z]{0,2})$/.exec(text.replace(/\s/g, ''));
  if (m === null) throw new Error(`'${text}' is not a valid data size`);
  const unit = m[2] === '' ? 'B' : (m[2] as string);
  const factor = BYTES_PER_UNIT[unit];
  if (factor === undefined) throw new Error(`Unknown data unit suffix '${unit}' in '${text}'`);
  const bytes = Number(m[1]) * factor;
  if (!Number.isSafeInteger(bytes)) throw new Error(`'${text}' is too large`);
  return bytes;
}
