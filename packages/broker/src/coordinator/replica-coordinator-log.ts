import {
  buildRecordBatch,
  ControlRecordType,
  decodeControlRecordKey,
  decodeEndTransactionMarker,
  ErrorCode,
  isControl,
  isTransactional,
  iterateRecordBatches,
  KafkaError,
  RecordBatchIterator,
} from '@samsa/protocol';
import type { ReplicaManager } from '../replica/replica-manager.js';
import type {
  CoordinatorLogEntry,
  CoordinatorPartitionLog,
  CoordinatorRecord,
  TransactionalProducer,
} from './coordinator-log.js';

/** How much of an internal topic is read per step while a coordinator loads a partition. */
const LOAD_BUFFER_BYTES = 5 * 1024 * 1024;

/**
 * The log of an internal topic (`__consumer_offsets`) as a coordinator sees it, on top of the
 * replica manager. Appends are one uncompressed batch per operation, written with acks=all and
 * the topic's `min.insync.replicas`, and resolve once durable per the topic's flush settings and
 * on every in-sync replica — a commit is answered only when any new leader will have it.
 *
 * A transactional append (TxnOffsetCommit) is a transactional batch of the producer's id and
 * epoch with base sequence 0, as Kafka's group coordinator writes it. The 'coordinator' origin
 * makes the log check the epoch (a fenced producer gets INVALID_PRODUCER_EPOCH) but not the
 * sequence: a producer's offset commits are not a numbered stream.
 *
 * Loading reads the whole log, up to its end rather than its high watermark, as Kafka's loader
 * does: a replica that just became leader may not have heard the last high watermark yet, but
 * every record acknowledged by its predecessor is in its log (it was in the ISR). Records of
 * open or aborted transactions are read too: the coordinator keeps them pending until their
 * marker, which it reads as well.
 */
export class ReplicaCoordinatorLog implements CoordinatorPartitionLog {
  constructor(
    private readonly topic: string,
    private readonly replicaManager: ReplicaManager,
    /** How long an append may wait for the in-sync replicas (offsets.commit.timeout.ms). */
    private readonly replicationTimeoutMs = 5000,
  ) {}

  async append(
    partition: number,
    records: readonly CoordinatorRecord[],
    transactional?: TransactionalProducer,
  ): Promise<void> {
    if (records.length === 0) return;
    const target = this.replicaManager.getPartition(this.topic, partition);
    if (target === undefined || !target.isLeader) {
      throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `not the leader of ${this.topic}-${partition}`);
    }
    const batch = buildRecordBatch({
      records: records.map((r) => ({ key: r.key, value: r.value })),
      ...(transactional === undefined
        ? {}
        : {
            producerId: transactional.producerId,
            producerEpoch: transactional.producerEpoch,
            baseSequence: 0,
            isTransactional: true,
          }),
    });
    const info = target.appendRecordsToLeader(batch, 'coordinator', -1);
    await target.awaitDurable(info.lastOffset);
    const errorCode = await target.awaitReplication(info.lastOffset, this.replicationTimeoutMs);
    if (errorCode !== ErrorCode.NONE) throw new KafkaError(errorCode, `append to ${target.name} not replicated`);
  }

  async *readAll(partition: number): AsyncIterable<CoordinatorLogEntry> {
    const source = this.replicaManager.getPartition(this.topic, partition);
    if (source === undefined) {
      throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `${this.topic}-${partition} is not hosted here`);
    }
    let offset = source.log.logStartOffset;
    const end = source.log.logEndOffset;
    while (offset < end) {
      // Read from the partition's log as it is now: a move between log dirs may replace it.
      const data = await source.log.read(offset, { maxBytes: LOAD_BUFFER_BYTES, maxOffset: end, minOneMessage: true });
      if (data.records.length === 0) break;
      let next = offset;
      for (const span of iterateRecordBatches(data.records, { verifyCrc: false })) {
        const { header } = span;
        next = Math.max(next, header.baseOffset + header.lastOffsetDelta + 1);
        const control = isControl(header.attributes);
        const transactional = isTransactional(header.attributes);
        for (const record of new RecordBatchIterator(span.bytes, 0, { verifyCrc: false })) {
          if (record.offset < offset) continue;
          if (control) {
            const type = decodeControlRecordKey(record.key).type;
            if (type !== ControlRecordType.COMMIT && type !== ControlRecordType.ABORT) continue;
            yield {
              type: 'marker',
              offset: record.offset,
              producerId: header.producerId,
              producerEpoch: header.producerEpoch,
              result: type === ControlRecordType.COMMIT ? 'COMMIT' : 'ABORT',
              coordinatorEpoch: decodeEndTransactionMarker(record).coordinatorEpoch,
            };
            continue;
          }
          if (record.key === null) continue;
          yield {
            type: 'record',
            offset: record.offset,
            key: record.key,
            value: record.value,
            producerId: header.producerId,
            producerEpoch: header.producerEpoch,
            transactional,
          };
        }
      }
      if (next <= offset) break;
      offset = next;
    }
  }
}
