import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { BatchHeader, computeBatchCrc } from '@samsa/protocol';
import { writeInt64 } from '../../src/util/int64.js';
import { sizeOfVarlong, writeVarlong } from './varint.js';

export interface TestRecord {
  key?: Buffer | string | null;
  value?: Buffer | string | null;
  timestamp?: number;
  /** Offset delta override (defaults to the index in the batch). */
  offsetDelta?: number;
}

export interface BatchOptions {
  baseOffset?: number;
  partitionLeaderEpoch?: number;
  baseTimestamp?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  control?: boolean;
  logAppendTime?: boolean;
  /** Override lastOffsetDelta (defaults to the last record's offset delta). */
  lastOffsetDelta?: number;
}

function toBuf(v: Buffer | string | null | undefined): Buffer | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? Buffer.from(v) : v;
}

/** Encodes one uncompressed v2 record batch with a correct CRC. */
export function buildBatch(records: TestRecord[], opts: BatchOptions = {}): Buffer {
  const baseTimestamp = opts.baseTimestamp ?? records[0]?.timestamp ?? 1_700_000_000_000;
  const bodies: Buffer[] = [];
  let maxTimestamp = -1;
  let lastOffsetDelta = 0;
  records.forEach((r, i) => {
    const ts = r.timestamp ?? baseTimestamp;
    if (ts > maxTimestamp) maxTimestamp = ts;
    const offsetDelta = r.offsetDelta ?? i;
    lastOffsetDelta = offsetDelta;
    const key = toBuf(r.key);
    const value = r.value === undefined ? Buffer.from(`value-${i}`) : toBuf(r.value);
    const inner: number[] = [0];
    writeVarlong(ts - baseTimestamp, inner);
    writeVarlong(offsetDelta, inner);
    writeVarlong(key === null ? -1 : key.length, inner);
    const head = Buffer.from(inner);
    const mid: number[] = [];
    writeVarlong(value === null ? -1 : value.length, mid);
    const tail: number[] = [];
    writeVarlong(0, tail); // headers
    const body = Buffer.concat([
      head,
      key ?? Buffer.alloc(0),
      Buffer.from(mid),
      value ?? Buffer.alloc(0),
      Buffer.from(tail),
    ]);
    const len: number[] = [];
    writeVarlong(body.length, len);
    bodies.push(Buffer.concat([Buffer.from(len), body]));
  });
  const recordsBuf = Buffer.concat(bodies);
  const size = BatchHeader.SIZE + recordsBuf.length;
  const buf = Buffer.alloc(size);
  writeInt64(buf, opts.baseOffset ?? 0, BatchHeader.BASE_OFFSET);
  buf.writeInt32BE(size - BatchHeader.LOG_OVERHEAD, BatchHeader.BATCH_LENGTH);
  buf.writeInt32BE(opts.partitionLeaderEpoch ?? -1, BatchHeader.PARTITION_LEADER_EPOCH);
  buf.writeInt8(2, BatchHeader.MAGIC);
  let attributes = 0;
  if (opts.logAppendTime) attributes |= 0x08;
  if (opts.transactional) attributes |= 0x10;
  if (opts.control) attributes |= 0x20;
  buf.writeInt16BE(attributes, BatchHeader.ATTRIBUTES);
  buf.writeInt32BE(opts.lastOffsetDelta ?? lastOffsetDelta, BatchHeader.LAST_OFFSET_DELTA);
  writeInt64(buf, baseTimestamp, BatchHeader.BASE_TIMESTAMP);
  writeInt64(buf, records.length === 0 ? baseTimestamp : maxTimestamp, BatchHeader.MAX_TIMESTAMP);
  writeInt64(buf, opts.producerId ?? -1, BatchHeader.PRODUCER_ID);
  buf.writeInt16BE(opts.producerEpoch ?? -1, BatchHeader.PRODUCER_EPOCH);
  buf.writeInt32BE(opts.baseSequence ?? -1, BatchHeader.BASE_SEQUENCE);
  buf.writeInt32BE(records.length, BatchHeader.RECORDS_COUNT);
  recordsBuf.copy(buf, BatchHeader.SIZE);
  buf.writeUInt32BE(computeBatchCrc(buf, 0, size), BatchHeader.CRC);
  return buf;
}

/** A batch of `count` records with `valueSize`-byte values. */
export function simpleBatch(
  count: number,
  opts: BatchOptions & { valueSize?: number; timestamp?: number } = {},
): Buffer {
  const records: TestRecord[] = [];
  for (let i = 0; i < count; i++) {
    records.push({
      key: `k${i}`,
      value: Buffer.alloc(opts.valueSize ?? 10, 0x61 + (i % 26)),
      ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}),
    });
  }
  return buildBatch(records, opts);
}

/** A transaction marker (control batch): key = version 0, type; value = version 0, coordinatorEpoch. */
export function markerBatch(
  commit: boolean,
  opts: { producerId: number; producerEpoch: number; coordinatorEpoch?: number; timestamp?: number },
): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(commit ? 1 : 0, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(opts.coordinatorEpoch ?? 0, 2);
  return buildBatch([{ key, value, ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}) }], {
    producerId: opts.producerId,
    producerEpoch: opts.producerEpoch,
    transactional: true,
    control: true,
  });
}

export function tmpDir(prefix = 'samsa-storage-'): string {
  return fs.mkdtempSync(join(os.tmpdir(), prefix));
}

export function rmDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Reads the batches in a buffer: [baseOffset, lastOffset, size, leaderEpoch][]. */
export function batchesIn(buf: Buffer): { baseOffset: number; lastOffset: number; size: number; epoch: number }[] {
  const out: { baseOffset: number; lastOffset: number; size: number; epoch: number }[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const baseOffset = buf.readInt32BE(pos) * 0x100000000 + buf.readUInt32BE(pos + 4);
    const size = buf.readInt32BE(pos + 8) + 12;
    out.push({
      baseOffset,
      lastOffset: baseOffset + buf.readInt32BE(pos + BatchHeader.LAST_OFFSET_DELTA),
      size,
      epoch: buf.readInt32BE(pos + 12),
    });
    pos += size;
  }
  return out;
}

export { sizeOfVarlong };
