export type SourcePartition = Readonly<Record<string, unknown>>;
export type SourceOffset = Readonly<Record<string, unknown>>;

/**
 * Where source tasks' offsets live: a file in standalone mode (FileOffsetStore), the offset
 * topic in distributed mode (KafkaOffsetBackingStore). Keys are (connector, source partition).
 */
export interface OffsetStore {
  get(connector: string, partition: SourcePartition): Record<string, unknown> | null;
  /** A null offset forgets the partition (a tombstone in the offset topic). */
  set(connector: string, partition: SourcePartition, offset: SourceOffset | null): void;
  /** Waits until every offset written so far is readable (the offset topic read to its end). */
  refresh?(): Promise<void>;
  /** Every partition the connector has an offset for (KIP-875's `GET …/offsets`). */
  connectorOffsets(connector: string): { partition: SourcePartition; offset: SourceOffset }[];
}

/** The connector's entries among `[key, offset]` pairs keyed by the JSON of `[connector, partition]`. */
export function offsetsOf(
  connector: string,
  entries: Iterable<readonly [string, SourceOffset | null | undefined]>,
): { partition: SourcePartition; offset: SourceOffset }[] {
  const out: { partition: SourcePartition; offset: SourceOffset }[] = [];
  for (const [key, offset] of entries) {
    if (offset === null || offset === undefined) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(key);
    } catch {
      continue; // not a key a worker wrote
    }
    if (!Array.isArray(parsed) || parsed[0] !== connector || typeof parsed[1] !== 'object' || parsed[1] === null)
      continue;
    out.push({ partition: parsed[1] as SourcePartition, offset: { ...offset } });
  }
  return out;
}
