import { ApiKey, ErrorCode, type WriteTxnMarkersResponse } from '@samsa/protocol';
import type { Logger } from '../../logger.js';
import type { MetadataCache } from '../../metadata/metadata-cache.js';
import { InterBrokerClient } from '../../network/inter-broker-client.js';
import type { InterBrokerSecurity } from '../../network/inter-broker-security.js';
import { partitionKey, type TxnTopicPartition } from './transaction-metadata.js';
import type { TxnMarker, TxnMarkerAppender } from './txn-marker-appender.js';
import type { TxnMarkerRequest, TxnMarkerWriter } from './txn-marker-writer.js';

export interface TxnMarkerChannelOptions {
  readonly brokerId: number;
  readonly metadata: MetadataCache;
  readonly appender: TxnMarkerAppender;
  readonly listenerName: string;
  /** The inter-broker listener's TLS and SASL, for the connections this opens. */
  readonly security?: InterBrokerSecurity;
  readonly requestTimeoutMs: number;
  readonly retryBackoffMs: number;
  readonly logger?: Logger;
}

/** WriteTxnMarkers v1: the flexible version every Kafka ≥ 2.4 broker serves. */
const WRITE_TXN_MARKERS_VERSION = 1;

/**
 * Kafka's TransactionMarkerChannelManager: gets a transaction's markers onto each of its
 * partitions' leaders. Partitions this broker leads are appended here directly; the others go
 * in a WriteTxnMarkers request to their leader. Partitions that fail (leader moving, ISR too
 * small, broker down) are retried after `retryBackoffMs` with fresh metadata until they succeed,
 * the partition disappears (deleted topic: nothing left to mark), or the coordinator stops
 * wanting it.
 */
export class TxnMarkerChannel implements TxnMarkerWriter {
  private readonly clients = new Map<number, InterBrokerClient>();
  private closed = false;

  constructor(private readonly options: TxnMarkerChannelOptions) {}

  async write(request: TxnMarkerRequest, stillWanted: () => boolean): Promise<boolean> {
    const marker: TxnMarker = request;
    let remaining = request.partitions;
    for (;;) {
      if (this.closed || !stillWanted()) return false;
      const image = this.options.metadata.image;
      const byLeader = new Map<number, TxnTopicPartition[]>();
      const unavailable: TxnTopicPartition[] = [];
      for (const tp of remaining) {
        const registration = image.partition(tp.topic, tp.partition);
        // Gone from the metadata: the topic was deleted with its undecided records.
        if (registration === undefined) continue;
        if (registration.leader < 0) {
          unavailable.push(tp);
          continue;
        }
        const list = byLeader.get(registration.leader) ?? [];
        list.push(tp);
        byLeader.set(registration.leader, list);
      }
      const failed = (
        await Promise.all([...byLeader].map(([leader, partitions]) => this.writeTo(leader, marker, partitions)))
      ).flat();
      remaining = [...unavailable, ...failed];
      if (remaining.length === 0) return true;
      this.options.logger?.debug(
        `retrying the ${request.result} markers of ${request.transactionalId} for ${remaining.map((tp) => `${tp.topic}-${tp.partition}`).join(',')}`,
      );
      await new Promise((resolve) => setTimeout(resolve, this.options.retryBackoffMs));
    }
  }

  close(): void {
    this.closed = true;
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  /** Writes the marker to partitions led by `leader`; returns the partitions to retry. */
  private async writeTo(
    leader: number,
    marker: TxnMarker,
    partitions: TxnTopicPartition[],
  ): Promise<TxnTopicPartition[]> {
    if (leader === this.options.brokerId) {
      const codes = await Promise.all(
        partitions.map((tp) => this.options.appender.append(marker, tp.topic, tp.partition)),
      );
      return partitions.filter((tp, i) => !isDone(codes[i] as number, tp, this.options.logger));
    }
    const client = this.client(leader);
    if (client === undefined) return partitions;
    const topics = new Map<string, number[]>();
    for (const tp of partitions) topics.set(tp.topic, [...(topics.get(tp.topic) ?? []), tp.partition]);
    let response: WriteTxnMarkersResponse;
    try {
      response = await client.send<WriteTxnMarkersResponse>(ApiKey.WriteTxnMarkers, WRITE_TXN_MARKERS_VERSION, {
        markers: [
          {
            producerId: BigInt(marker.producerId),
            producerEpoch: marker.producerEpoch,
            transactionResult: marker.result === 'COMMIT',
            topics: [...topics].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
            coordinatorEpoch: marker.coordinatorEpoch,
          },
        ],
      });
    } catch (err) {
      this.options.logger?.debug(`WriteTxnMarkers to broker ${leader} failed: ${String(err)}`);
      return partitions;
    }
    const codes = new Map<string, number>();
    for (const m of response.markers)
      for (const t of m.topics)
        for (const p of t.partitions)
          codes.set(partitionKey({ topic: t.name, partition: p.partitionIndex }), p.errorCode);
    return partitions.filter(
      (tp) => !isDone(codes.get(partitionKey(tp)) ?? ErrorCode.UNKNOWN_SERVER_ERROR, tp, this.options.logger),
    );
  }

  private client(brokerId: number): InterBrokerClient | undefined {
    const existing = this.clients.get(brokerId);
    if (existing !== undefined) return existing;
    const broker = this.options.metadata.image.brokers.get(brokerId);
    const endpoint = broker?.endpoints.find((e) => e.listenerName === this.options.listenerName);
    if (endpoint === undefined) return undefined;
    const client = new InterBrokerClient({
      host: endpoint.host,
      port: endpoint.port,
      clientId: `broker-${this.options.brokerId}-txn-marker-sender`,
      requestTimeoutMs: this.options.requestTimeoutMs,
      security: this.options.security,
    });
    this.clients.set(brokerId, client);
    return client;
  }
}

/**
 * Whether a partition's answer ends its marker: written, or the partition no longer exists. A
 * fenced coordinator epoch or producer epoch means a newer coordinator or producer took over;
 * Kafka logs and drops those too.
 */
function isDone(errorCode: number, tp: TxnTopicPartition, logger: Logger | undefined): boolean {
  switch (errorCode) {
    case ErrorCode.NONE:
      return true;
    case ErrorCode.TRANSACTION_COORDINATOR_FENCED:
    case ErrorCode.INVALID_PRODUCER_EPOCH:
    case ErrorCode.PRODUCER_FENCED:
      logger?.warn(`transaction marker for ${tp.topic}-${tp.partition} refused with error ${errorCode}; dropped`);
      return true;
    default:
      return false;
  }
}
