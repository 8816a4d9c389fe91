import {
  BatchAttributes,
  BatchHeader,
  type CompressionType,
  CURRENT_MAGIC,
  compress,
  computeBatchCrc,
  type DecodedRecord,
  Reader,
  readRecord,
} from '@samsa/protocol';
import type { RecordHeader } from '../common/record-header.js';
import type { RecordMetadata } from './producer-record.js';

/**
 * Receives the outcome of the records of a batch. One sink serves many records (a `sendBatch`
 * call, a `send` promise, a callback), so completing a batch costs no promise per record.
 */
export interface DeliverySink {
  /** `index` is the record's position in the caller's request. */
  delivered(index: number, metadata: RecordMetadata): void;
  failed(index: number, error: Error): void;
}

const NO_SINK: DeliverySink = { delivered() {}, failed() {} };

/**
 * A batch's per-record bookkeeping, by record index: whom to tell, and what to tell them. The
 * accumulator hands these from one batch to the next, so the arrays are not grown anew for every
 * batch (they were the producer's largest allocation per record).
 */
export class RecordSlots {
  readonly sinks: DeliverySink[] = [];
  /** The record's position in its caller's request. */
  readonly indexes: number[] = [];
  /** Timestamp and serialized key/value sizes (-1 for null), for RecordMetadata. */
  readonly timestamps: number[] = [];
  readonly keySizes: number[] = [];
  readonly valueSizes: number[] = [];

  /** Drops the sinks of the `count` records used (they hold the callers' records). */
  clear(count: number): void {
    for (let i = 0; i < count; i++) this.sinks[i] = NO_SINK;
  }
}

/** `BigInt(i)` for offset deltas, made once each: completing a batch then makes one bigint per record, not two. */
const OFFSET_DELTAS: bigint[] = [];

function offsetDelta(i: number): bigint {
  let delta = OFFSET_DELTAS[i];
  if (delta === undefined) {
    for (let d = OFFSET_DELTAS.length; d <= i; d++) OFFSET_DELTAS.push(BigInt(d));
    delta = OFFSET_DELTAS[i] as bigint;
  }
  return delta;
}

/** Bytes of a varint (zigzag) for an int32. */
function varintSize(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  let n = 1;
  while (v >= 0x80) {
    v >>>= 7;
    n++;
  }
  return n;
}

/** Bytes of a zigzag varlong for a safe-integer JS number. */
function varlongSize(value: number): number {
  if (value >= -0x40000000 && value < 0x40000000) return varintSize(value);
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function writeVarint(buf: Buffer, pos: number, value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

function writeVarlong(buf: Buffer, pos: number, value: number): number {
  if (value >= -0x40000000 && value < 0x40000000) return writeVarint(buf, pos, value);
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  while (v >= 128) {
    buf[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

function writeInt64(buf: Buffer, pos: number, value: number): void {
  const high = Math.floor(value / 0x100000000);
  buf.writeInt32BE(high, pos);
  buf.writeUInt32BE(value - high * 0x100000000, pos + 4);
}

/**
 * The records bound for one partition, encoded as they are appended into one buffer (Kafka's
 * MemoryRecordsBuilder): 61 header bytes left blank, then v2 records with offsetDelta = index and
 * timestampDelta from the first record. `close()` compresses the record section if asked and
 * fills in the header; producer ID, epoch and sequence are stamped at drain time (`stamp`), and
 * again if a retry needs a new epoch — they lie inside the CRC, which is recomputed then.
 *
 * Not shared across partitions, not reentrant: owned by the accumulator until drained, then by
 * the sender until completed.
 */
export class ProducerBatch {
  buf: Buffer;
  pos: number = BatchHeader.SIZE;
  recordCount = 0;
  private baseTimestamp = 0;
  private maxTimestamp = -1;
  /** Per record: sink, index, timestamp, sizes (valid below `recordCount`). */
  private slots: RecordSlots | undefined;
  /** The final batch bytes once closed. */
  built: Buffer | undefined;
  attempts = 0;
  retryAtMs = 0;
  producerId = -1;
  producerEpoch = -1;
  baseSequence = -1;
  /** True while a request carrying it is in flight. */
  inFlight = false;
  /** Set when the batch may not be appended to any more. */
  closed = false;
  completed = false;
  /** Whether the buffer came from the pool and goes back there once the batch completes. */
  pooled: boolean;

  constructor(
    readonly topic: string,
    readonly partition: number,
    buffer: Buffer,
    pooled: boolean,
    readonly createdMs: number,
    slots: RecordSlots = new RecordSlots(),
  ) {
    this.buf = buffer;
    this.pooled = pooled;
    this.slots = slots;
  }

  private get records(): RecordSlots {
    if (this.slots === undefined) throw new Error(`batch of ${this.topic}-${this.partition} used after release`);
    return this.slots;
  }

  /** The batch is done with its bookkeeping (after completing or failing): the slots, cleared, for another batch. */
  releaseSlots(): RecordSlots | undefined {
    const slots = this.slots;
    this.slots = undefined;
    slots?.clear(this.recordCount);
    return slots;
  }

  /** Bytes a record takes in a batch (length prefix included), as written by `append`. */
  static recordSize(
    timestampDelta: number,
    offsetDelta: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly RecordHeader[],
  ): number {
    let body = 1 + varlongSize(timestampDelta) + varintSize(offsetDelta);
    body += key === null ? 1 : varintSize(key.length) + key.length;
    body += value === null ? 1 : varintSize(value.length) + value.length;
    body += varintSize(headers.length);
    for (let i = 0; i < headers.length; i++) {
      const h = headers[i] as RecordHeader;
      const keyBytes = Buffer.byteLength(h.key, 'utf8');
      body += varintSize(keyBytes) + keyBytes;
      body += h.value === null ? 1 : varintSize(h.value.length) + h.value.length;
    }
    return varintSize(body) + body;
  }

  /** Upper bound of a record's size in a new batch (deltas unknown yet), for memory checks. */
  static estimateSize(key: Uint8Array | null, value: Uint8Array | null, headers: readonly RecordHeader[]): number {
    return ProducerBatch.recordSize(0x7fffffff, 0x7fffffff, key, value, headers) + 10;
  }

  get sizeInBytes(): number {
    return this.pos;
  }

  /**
   * Appends a record if it fits in the buffer (a first record always fits: the batch was sized
   * for it). Returns false when full, leaving the batch unchanged.
   */
  tryAppend(
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly RecordHeader[],
    sink: DeliverySink,
    index: number,
  ): boolean {
    if (this.closed) return false;
    if (this.recordCount === 0) this.baseTimestamp = timestamp;
    const timestampDelta = timestamp - this.baseTimestamp;
    const offsetDelta = this.recordCount;
    let body = 1 + varlongSize(timestampDelta) + varintSize(offsetDelta);
    body += key === null ? 1 : varintSize(key.length) + key.length;
    body += value === null ? 1 : varintSize(value.length) + value.length;
    body += varintSize(headers.length);
    for (let i = 0; i < headers.length; i++) {
      const h = headers[i] as RecordHeader;
      const keyBytes = Buffer.byteLength(h.key, 'utf8');
      body += varintSize(keyBytes) + keyBytes;
      body += h.value === null ? 1 : varintSize(h.value.length) + h.value.length;
    }
    const size = varintSize(body) + body;
    const buf = this.buf;
    if (this.pos + size > buf.length) return false;
    let pos = writeVarint(buf, this.pos, body);
    buf[pos++] = 0;
    pos = writeVarlong(buf, pos, timestampDelta);
    pos = writeVarint(buf, pos, offsetDelta);
    if (key === null) buf[pos++] = 1;
    else {
      pos = writeVarint(buf, pos, key.length);
      buf.set(key, pos);
      pos += key.length;
    }
    if (value === null) buf[pos++] = 1;
    else {
      pos = writeVarint(buf, pos, value.length);
      buf.set(value, pos);
      pos += value.length;
    }
    pos = writeVarint(buf, pos, headers.length);
    for (let i = 0; i < headers.length; i++) {
      const h = headers[i] as RecordHeader;
      const keyBytes = Buffer.byteLength(h.key, 'utf8');
      pos = writeVarint(buf, pos, keyBytes);
      pos += buf.write(h.key, pos, 'utf8');
      if (h.value === null) buf[pos++] = 1;
      else {
        pos = writeVarint(buf, pos, h.value.length);
        buf.set(h.value, pos);
        pos += h.value.length;
      }
    }
    this.pos = pos;
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
    const slots = this.records;
    const n = this.recordCount++;
    slots.sinks[n] = sink;
    slots.indexes[n] = index;
    slots.timestamps[n] = timestamp;
    slots.keySizes[n] = key === null ? -1 : key.length;
    slots.valueSizes[n] = value === null ? -1 : value.length;
    return true;
  }

  /** Seals the batch: compresses the records if asked and writes the header (without producer fields). */
  close(codec: CompressionType, level: number | undefined, transactional: boolean): void {
    if (this.built !== undefined) return;
    this.closed = true;
    let batch: Buffer;
    if (codec === 0) batch = this.buf.subarray(0, this.pos);
    else {
      const payload = compress(
        codec,
        this.buf.subarray(BatchHeader.SIZE, this.pos),
        level === undefined ? {} : { level },
      );
      batch = Buffer.allocUnsafe(BatchHeader.SIZE + payload.length);
      payload.copy(batch, BatchHeader.SIZE);
    }
    let attributes = codec & BatchAttributes.COMPRESSION_MASK;
    if (transactional) attributes |= BatchAttributes.TRANSACTIONAL;
    writeInt64(batch, BatchHeader.BASE_OFFSET, 0);
    batch.writeInt32BE(batch.length - BatchHeader.LOG_OVERHEAD, BatchHeader.BATCH_LENGTH);
    batch.writeInt32BE(-1, BatchHeader.PARTITION_LEADER_EPOCH);
    batch.writeInt8(CURRENT_MAGIC, BatchHeader.MAGIC);
    batch.writeInt16BE(attributes, BatchHeader.ATTRIBUTES);
    batch.writeInt32BE(Math.max(this.recordCount - 1, 0), BatchHeader.LAST_OFFSET_DELTA);
    writeInt64(batch, BatchHeader.BASE_TIMESTAMP, this.baseTimestamp);
    writeInt64(batch, BatchHeader.MAX_TIMESTAMP, this.maxTimestamp);
    batch.writeInt32BE(this.recordCount, BatchHeader.RECORDS_COUNT);
    this.built = batch;
    this.stamp(-1, -1, -1);
  }

  /** Sets producer ID, epoch and base sequence (-1s when not idempotent) and the CRC over them. */
  stamp(producerId: number, producerEpoch: number, baseSequence: number): void {
    const batch = this.built as Buffer;
    this.producerId = producerId;
    this.producerEpoch = producerEpoch;
    this.baseSequence = baseSequence;
    writeInt64(batch, BatchHeader.PRODUCER_ID, producerId);
    batch.writeInt16BE(producerEpoch, BatchHeader.PRODUCER_EPOCH);
    batch.writeInt32BE(baseSequence, BatchHeader.BASE_SEQUENCE);
    batch.writeUInt32BE(computeBatchCrc(batch, 0, batch.length), BatchHeader.CRC);
  }

  /**
   * The records of this batch in two new, unsealed batches of half as many records each, for a
   * batch the broker refused as too large (Java's `ProducerBatch.split`; halving always ends at
   * batches of one record, whatever the topic's limit). Each record keeps its sink, index and
   * timestamp. The records are read from this batch's uncompressed buffer, which stays intact
   * after `close()` until the batch is deallocated.
   */
  split(): ProducerBatch[] {
    const reader = new Reader(this.buf.subarray(BatchHeader.SIZE, this.pos));
    const records: DecodedRecord[] = [];
    for (let i = 0; i < this.recordCount; i++) records.push(readRecord(reader, 0, this.baseTimestamp));
    const slots = this.records;
    const half = Math.ceil(this.recordCount / 2);
    const parts: ProducerBatch[] = [];
    for (const [from, to] of [
      [0, half],
      [half, this.recordCount],
    ] as const) {
      const first = records[from] as DecodedRecord;
      let bytes = BatchHeader.SIZE;
      for (let i = from; i < to; i++) {
        const r = records[i] as DecodedRecord;
        bytes += ProducerBatch.recordSize(r.timestamp - first.timestamp, i - from, r.key, r.value, r.headers);
      }
      const part = new ProducerBatch(this.topic, this.partition, Buffer.allocUnsafe(bytes), false, this.createdMs);
      for (let i = from; i < to; i++) {
        const r = records[i] as DecodedRecord;
        const sink = slots.sinks[i] as DeliverySink;
        if (!part.tryAppend(r.timestamp, r.key, r.value, r.headers, sink, slots.indexes[i] as number)) {
          throw new Error(`split of ${this.topic}-${this.partition}: record ${i} does not fit its sized batch`);
        }
      }
      parts.push(part);
    }
    return parts;
  }

  /**
   * Reports every record delivered: offsets from `baseOffset`, timestamps as appended or the
   * log-append time. A batch already settled, or released (a split batch, whose records its parts
   * carry), reports nothing.
   */
  complete(baseOffset: bigint, logAppendTimeMs: number): void {
    if (this.completed || this.slots === undefined) return;
    this.completed = true;
    const known = baseOffset >= 0n;
    const slots = this.records;
    for (let i = 0; i < this.recordCount; i++) {
      const metadata: RecordMetadata = {
        topic: this.topic,
        partition: this.partition,
        offset: known ? baseOffset + offsetDelta(i) : -1n,
        timestamp: logAppendTimeMs >= 0 ? logAppendTimeMs : (slots.timestamps[i] as number),
        serializedKeySize: slots.keySizes[i] as number,
        serializedValueSize: slots.valueSizes[i] as number,
      };
      (slots.sinks[i] as DeliverySink).delivered(slots.indexes[i] as number, metadata);
    }
  }

  fail(error: Error): void {
    if (this.completed || this.slots === undefined) return;
    this.completed = true;
    const slots = this.records;
    for (let i = 0; i < this.recordCount; i++)
      (slots.sinks[i] as DeliverySink).failed(slots.indexes[i] as number, error);
  }
}
