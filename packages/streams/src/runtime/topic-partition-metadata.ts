/** Java's RecordQueue.UNKNOWN: no partition time known. */
export const UNKNOWN_PARTITION_TIME = -1;

/** The version Java writes: partition time, then the processors' metadata. */
const LATEST_MAGIC_BYTE = 2;

export interface TopicPartitionMetadata {
  /** The highest timestamp processed from the partition (UNKNOWN_PARTITION_TIME if none). */
  readonly partitionTime: number;
  /** Values processors keep across restarts by key (Java's ProcessorMetadata), e.g. a window store's last emission. */
  readonly processorMetadata: ReadonlyMap<string, number>;
}

/**
 * Java's `TopicPartitionMetadata.encode`: what Kafka Streams puts in the metadata string of each
 * input partition's committed offset, base64 of magic byte 2, the partition time (int64), then
 * the processor metadata as an int32 count and, per entry, an int32 key length, the UTF-8 key
 * and an int64 value (`ProcessorMetadata.serialize`; nothing at all when empty). A Java
 * application taking over the group reads it, and the other way round.
 */
export function encodeTopicPartitionMetadata(
  partitionTime: number,
  processorMetadata: ReadonlyMap<string, number>,
): string {
  const keys = [...processorMetadata.keys()].map((key) => Buffer.from(key, 'utf8'));
  const metadataBytes = keys.length === 0 ? 0 : 4 + keys.reduce((n, k) => n + 4 + k.length + 8, 0);
  const out = Buffer.alloc(1 + 8 + metadataBytes);
  out.writeInt8(LATEST_MAGIC_BYTE, 0);
  out.writeBigInt64BE(BigInt(partitionTime), 1);
  if (keys.length > 0) {
    let pos = out.writeInt32BE(keys.length, 9);
    const values = [...processorMetadata.values()];
    keys.forEach((key, i) => {
      pos = out.writeInt32BE(key.length, pos);
      pos += key.copy(out, pos);
      pos = out.writeBigInt64BE(BigInt(values[i] as number), pos);
    });
  }
  return out.toString('base64');
}

/**
 * Java's `TopicPartitionMetadata.decode`: version 1 (partition time only) and 2. Anything else,
 * or bytes that do not parse, give an unknown partition time and no processor metadata, as Java
 * does (it logs a warning and goes on).
 */
export function decodeTopicPartitionMetadata(encoded: string | null): TopicPartitionMetadata {
  const unknown = { partitionTime: UNKNOWN_PARTITION_TIME, processorMetadata: new Map<string, number>() };
  if (encoded === null || encoded === '') return unknown;
  try {
    const bytes = Buffer.from(encoded, 'base64');
    const version = bytes.readInt8(0);
    if (version !== 1 && version !== LATEST_MAGIC_BYTE) {
      console.warn(`[samsa-streams] unsupported offset metadata version ${version} (supported: up to 2)`);
      return unknown;
    }
    const partitionTime = Number(bytes.readBigInt64BE(1));
    const processorMetadata = new Map<string, number>();
    if (version === LATEST_MAGIC_BYTE && bytes.length > 9) {
      const count = bytes.readInt32BE(9);
      let pos = 13;
      for (let i = 0; i < count; i++) {
        const keyLength = bytes.readInt32BE(pos);
        pos += 4;
        if (keyLength < 0 || pos + keyLength + 8 > bytes.length) throw new RangeError('metadata entry out of bounds');
        const key = bytes.toString('utf8', pos, pos + keyLength);
        pos += keyLength;
        processorMetadata.set(key, Number(bytes.readBigInt64BE(pos)));
        pos += 8;
      }
    }
    return { partitionTime, processorMetadata };
  } catch {
    console.warn('[samsa-streams] unsupported offset metadata found');
    return unknown;
  }
}
