import { UsageError } from '../../support/command-errors.js';

/** One partition's new offset, for display, export and OffsetCommit. */
export interface OffsetToReset {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/**
 * Kafka's `Utils.getDateTime` for `--to-datetime`: `YYYY-MM-DDTHH:mm:SS.sss` with an optional
 * zone (`Z`, `+hh:mm`, `-hhmm`); without a zone the local time zone applies.
 */
export function parseDateTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (m === null) {
    throw new UsageError(
      `Unparseable date: "${text}". Expected the format 'YYYY-MM-DDTHH:mm:SS.sss' (optionally with a time zone)`,
    );
  }
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = Number((frac ?? '0').padEnd(3, '0'));
  if (zone === undefined)
    return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms).getTime();
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** `--by-duration`: Java's `Duration.parse` subset Kafka documents (`PnDTnHnMnS`), in milliseconds. */
export function parseDuration(text: string): number {
  const m = /^([-+]?)P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text.trim());
  if (m === null || text.trim().toUpperCase() === 'P' || text.trim().toUpperCase().endsWith('T')) {
    throw new UsageError(`Text cannot be parsed to a Duration: ${text}`);
  }
  const [, sign, d, h, mi, s] = m;
  const ms =
    ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(mi ?? 0)) * 60_000 + Math.round(Number(s ?? 0) * 1000);
  return sign === '-' ? -ms : ms;
}

/**
 * A reset plan file (`--from-file`), as `--export` writes it: `topic,partition,offset` lines for
 * one group, or `group,topic,partition,offset` lines.
 */
export function parseResetPlan(csv: string, singleGroup: string | undefined): OffsetToReset[] {
  const out: OffsetToReset[] = [];
  for (const raw of csv.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const cells = line.split(',');
    let group: string | undefined;
    let rest: string[];
    if (cells.length === 3 && singleGroup !== undefined) {
      group = singleGroup;
      rest = cells;
    } else if (cells.length === 4) {
      group = cells[0] as string;
      rest = cells.slice(1);
    } else throw new UsageError(`Invalid line in the reset plan: '${line}'`);
    const [topic, partition, offset] = rest as [string, string, string];
    if (!/^\d+$/.test(partition) || !/^-?\d+$/.test(offset))
      throw new UsageError(`Invalid line in the reset plan: '${line}'`);
    out.push({ group, topic, partition: Number(partition), offset: BigInt(offset) });
  }
  return out;
}

/** `--export`: Kafka's CSV (no header), one line per partition. */
export function exportCsv(offsets: readonly OffsetToReset[], singleGroup: boolean): string {
  return offsets
    .map((o) =>
      singleGroup ? `${o.topic},${o.partition},${o.offset}\n` : `${o.group},${o.topic},${o.partition},${o.offset}\n`,
    )
    .join('');
}

/** The `--reset-offsets` table (`%-30s %-30s %-10s %-15s`, each row starting a new line). */
export function formatResetTable(offsets: readonly OffsetToReset[]): string {
  const row = (a: string, b: string, c: string, d: string) =>
    `\n${a.padEnd(30)} ${b.padEnd(30)} ${c.padEnd(10)} ${d.padEnd(15)}`;
  let out = offsets.length > 0 ? row('GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET') : '';
  for (const o of offsets) out += row(o.group, o.topic, String(o.partition), String(o.offset));
  return `${out}\n`;
}
