import type { ConsumerRecord } from '@samsa/client';

/** Values longer than this are cut in the listing; the full bytes are fetched by the download link. */
export const PREVIEW_BYTES = 4096;

export type Encoding = 'string' | 'json' | 'hex';

/** A consumed record as the browser shows it: key and value decoded, offsets as strings (int64). */
export interface RecordView {
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: number;
  readonly timestampType: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly valueBytes: number;
  readonly truncated: boolean;
  readonly headers: readonly { readonly key: string; readonly value: string | null }[];
}

export function decode(bytes: Buffer, encoding: Encoding): string {
  if (encoding === 'hex') return bytes.toString('hex');
  const text = bytes.toString('utf8');
  if (encoding === 'json') {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      return text; // not JSON: shown as text rather than refused, the browser marks it.
    }
  }
  return text;
}

export function recordView(record: ConsumerRecord, encoding: Encoding): RecordView {
  const value = record.value;
  const truncated = value !== null && value.length > PREVIEW_BYTES;
  return {
    partition: record.partition,
    offset: record.offset.toString(),
    timestamp: record.timestamp,
    timestampType: record.timestampType,
    key: record.key === null ? null : decode(record.key, encoding === 'json' ? 'string' : encoding),
    value:
      value === null
        ? null
        : decode(
            truncated ? value.subarray(0, PREVIEW_BYTES) : value,
            truncated && encoding === 'json' ? 'string' : encoding,
          ),
    valueBytes: value?.length ?? 0,
    truncated,
    headers: record.headers.map((h) => ({
      key: h.key,
      value: h.value === null ? null : Buffer.from(h.value).toString('utf8'),
    })),
  };
}
