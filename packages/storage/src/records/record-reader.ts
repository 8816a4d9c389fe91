import { ErrorCode, KafkaError } from '@samsa/protocol';

/**
 * A minimal reader and writer for the records *inside* an uncompressed v2 record batch — used
 * only off the hot path: control-record parsing (transaction markers), ListOffsets' in-batch
 * timestamp search, null-key checks for compacted topics and the log cleaner.
 *
 * Isolated on purpose: @samsa/protocol's record codec (record decoding/building) was being written
 * concurrently; once it lands this file can be replaced by it. Record layout (all varints zigzag):
 *   varint length · int8 attributes · varlong timestampDelta · varint offsetDelta ·
 *   varint keyLength (-1 = null) · key · varint valueLength (-1 = null) · value ·
 *   varint headerCount · headers (varint keyLen · key · varint valueLen · value)
 */
export interface RecordView {
  /** Byte position of the record (its length varint) in the buffer. */
  readonly start: number;
  /** Byte position just past the record. */
  readonly end: number;
  readonly timestampDelta: number;
  readonly offsetDelta: number;
  /** -1 for a null key. */
  readonly keyLength: number;
  readonly keyStart: number;
  /** -1 for a null value (a tombstone). */
  readonly valueLength: number;
  readonly valueStart: number;
}

function corrupt(msg: string): never {
  throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, msg);
}

/** Reads a zigzag varint (up to 64 bits, as a JS number) at pos; returns [value, nextPos]. */
export function readVarlong(buf: Buffer, pos: number, end: number): [number, number] {
  let raw = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) corrupt('varint runs past the end of the record');
    const b = buf[pos++] as number;
    raw += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) {
      // zigzag decode: (raw >>> 1) ^ -(raw & 1), with doubles
      const half = Math.floor(raw / 2);
      return [raw % 2 === 0 ? half : -half - 1, pos];
    }
    mul *= 128;
  }
  return corrupt('varint longer than 10 bytes');
}

export function writeVarlong(value: number, out: number[]): void {
  let raw = value >= 0 ? value * 2 : -value * 2 - 1;
  while (raw >= 128) {
    out.push((raw % 128) | 0x80);
    raw = Math.floor(raw / 128);
  }
  out.push(raw);
}

export function sizeOfVarlong(value: number): number {
  let raw = value >= 0 ? value * 2 : -value * 2 - 1;
  let n = 1;
  while (raw >= 128) {
    raw = Math.floor(raw / 128);
    n++;
  }
  return n;
}

/** Parses one record at `pos`; `end` bounds the records section. */
export function readRecord(buf: Buffer, pos: number, end: number): RecordView {
  const start = pos;
  let length: number;
  [length, pos] = readVarlong(buf, pos, end);
  const recordEnd = pos + length;
  if (length < 0 || recordEnd > end) corrupt(`record length ${length} exceeds the batch`);
  pos += 1; // attributes
  let timestampDelta: number;
  let offsetDelta: number;
  let keyLength: number;
  let valueLength: number;
  [timestampDelta, pos] = readVarlong(buf, pos, recordEnd);
  [offsetDelta, pos] = readVarlong(buf, pos, recordEnd);
  [keyLength, pos] = readVarlong(buf, pos, recordEnd);
  const keyStart = pos;
  if (keyLength > 0) pos += keyLength;
  [valueLength, pos] = readVarlong(buf, pos, recordEnd);
  const valueStart = pos;
  if (valueLength > 0) pos += valueLength;
  if (pos > recordEnd) corrupt('record fields exceed its length');
  return { start, end: recordEnd, timestampDelta, offsetDelta, keyLength, keyStart, valueLength, valueStart };
}

/** Every record of an uncompressed records section [pos, end). */
export function* iterateRecords(buf: Buffer, pos: number, end: number, count: number): Generator<RecordView> {
  for (let i = 0; i < count; i++) {
    if (pos >= end) corrupt(`batch declares ${count} records but holds ${i}`);
    const record = readRecord(buf, pos, end);
    yield record;
    pos = record.end;
  }
}

/** Kafka's ControlRecordType: the second int16 of a control record's key. */
export const ControlRecordType = {
  ABORT: 0,
  COMMIT: 1,
} as const;

export interface EndTxnMarker {
  /** ControlRecordType.ABORT or COMMIT (other control types, e.g. KRaft's, are reported as is). */
  readonly type: number;
  readonly coordinatorEpoch: number;
}

/**
 * Parses a control record (Kafka's `EndTransactionMarker`): key = int16 version, int16 type;
 * value = int16 version, int32 coordinatorEpoch.
 */
export function parseControlRecord(buf: Buffer, record: RecordView): EndTxnMarker {
  if (record.keyLength < 4) corrupt('control record key is shorter than 4 bytes');
  const type = buf.readInt16BE(record.keyStart + 2);
  const coordinatorEpoch = record.valueLength >= 6 ? buf.readInt32BE(record.valueStart + 2) : -1;
  return { type, coordinatorEpoch };
}
