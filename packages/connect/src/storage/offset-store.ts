export type SourcePartition = Readonly<Record<string, unknown>>;
export type SourceOffset = Readonly<Record<string, unknown>>;

/**
 * Where source tasks' offsets live: a file in standalone mode (FileOffsetStore), the offset
 * topic in distributed mode (KafkaOffsetBackingStore). Keys are (connector, source partition).
 */
export interface OffsetStore {
  get(connector: string, partition: SourcePartition): Record<string, unknown> | null;
  set(connector: string, partition: SourcePartition, offset: SourceOffset): void;
  /** Waits until every offset written so far is readable (the offset topic read to its end). */
  refresh?(): Promise<void>;
}
