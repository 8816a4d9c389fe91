/**
 * A database timestamp with the sub-millisecond part JavaScript's Date drops: `ms` since the
 * epoch (UTC) and `nanos`, the nanoseconds within the second (0–999 999 999), as Java's
 * `java.sql.Timestamp#getNanos`. Timestamp-mode offsets keep both, so a PostgreSQL column with
 * microseconds is resumed exactly rather than re-read or skipped.
 */
export interface SqlTimestamp {
  readonly ms: number;
  readonly nanos: number;
}

export function timestampFromMs(ms: number): SqlTimestamp {
  return { ms, nanos: (((ms % 1000) + 1000) % 1000) * 1_000_000 };
}

export function compareTimestamps(a: SqlTimestamp, b: SqlTimestamp): number {
  const secondsA = Math.floor(a.ms / 1000);
  const secondsB = Math.floor(b.ms / 1000);
  return secondsA !== secondsB ? secondsA - secondsB : a.nanos - b.nanos;
}

/**
 * Parses `YYYY-MM-DD HH:MM:SS[.fffffffff][+HH[:MM]|Z]` (PostgreSQL's text output, ISO-8601 and
 * SQLite's `datetime()` text); without an offset the time is UTC.
 */
export function parseSqlTimestamp(text: string): SqlTimestamp | null {
  const m =
    /^(\d{4,})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/.exec(
      text.trim(),
    );
  if (m === null) return null;
  const fraction = (m[7] ?? '').padEnd(9, '0');
  let ms = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
  );
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
    ms -= sign * offsetMinutes * 60_000;
  }
  const nanos = Number(fraction);
  return { ms: ms + Math.floor(nanos / 1_000_000), nanos };
}

/** `YYYY-MM-DD HH:MM:SS.fffffffff` in UTC, for binding to a PostgreSQL timestamp parameter. */
export function formatSqlTimestamp(ts: SqlTimestamp): string {
  const seconds = new Date(Math.floor(ts.ms / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  // PostgreSQL keeps microseconds; digits beyond are rounded by the server, never lost silently here.
  return `${seconds}.${String(ts.nanos).padStart(9, '0')}`;
}
