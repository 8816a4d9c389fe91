import type { Log } from '@samsa/storage';

/** `by_duration:` ISO-8601 durations as `share.auto.offset.reset` takes them (days, hours, minutes, seconds). */
const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

export function durationMs(iso: string): number | undefined {
  const match = DURATION.exec(iso);
  if (match === null) return undefined;
  const [, days, hours, minutes, seconds] = match;
  return (
    ((Number(days ?? 0) * 24 + Number(hours ?? 0)) * 60 + Number(minutes ?? 0)) * 60_000 +
    Math.round(Number(seconds ?? 0) * 1000)
  );
}

/**
 * Where a new share partition starts (KIP-932's `share.auto.offset.reset`, KIP-1106's
 * by_duration): `earliest` at the log start, `latest` (the default) at the high watermark,
 * `by_duration:<d>` at the first record at or after now - d (the high watermark when none is).
 */
export function autoOffsetResetStart(reset: string, log: Log, highWatermark: number, nowMs: number): number {
  const strategy = reset.toLowerCase();
  if (strategy === 'earliest') return log.logStartOffset;
  if (strategy.startsWith('by_duration:')) {
    const ms = durationMs(reset.slice('by_duration:'.length));
    if (ms !== undefined) {
      const found = log.fetchOffsetByTimestamp(nowMs - ms);
      if (found !== undefined && found.offset < highWatermark) return found.offset;
    }
  }
  return highWatermark;
}
