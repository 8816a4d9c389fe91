import { type AddPartitionsToTxnResponse, ApiKey, ErrorCode } from '@samsa/protocol';
import type { Logger } from '../../logger.js';
import { TRANSACTION_STATE_TOPIC_NAME } from '../../metadata/cluster-image.js';
import type { MetadataCache } from '../../metadata/metadata-cache.js';
import { InterBrokerClient } from '../../network/inter-broker-client.js';
import type { TransactionCoordinator } from './transaction-coordinator.js';
import type { TxnTopicPartition } from './transaction-metadata.js';

export interface TxnVerifierOptions {
  readonly brokerId: number;
  readonly metadata: MetadataCache;
  readonly coordinator: TransactionCoordinator;
  readonly listenerName: string;
  readonly requestTimeoutMs: number;
  readonly logger?: Logger;
}

/** AddPartitionsToTxn v4: the first version with `verifyOnly`. */
const VERIFY_VERSION = 4;

/**
 * KIP-890 part 1 (Kafka's AddPartitionsToTxnManager): before a partition leader appends the first
 * transactional batch of a producer's transaction, it asks the transaction coordinator whether
 * the partition is part of that ongoing transaction. A batch that arrives after its transaction
 * was aborted (a late retry) would otherwise start a transaction nobody will ever end — a
 * "hanging transaction" holding the last stable offset back forever.
 *
 * The answer per partition is a Produce error code: NONE; INVALID_TXN_STATE when the coordinator
 * does not know the partition in the transaction; INVALID_PRODUCER_EPOCH when the producer was
 * fenced; NOT_ENOUGH_REPLICAS (retriable, as Kafka maps it) when the coordinator cannot be asked.
 */
export class TxnVerifier {
  private readonly clients = new Map<number, InterBrokerClient>();

  constructor(private readonly options: TxnVerifierOptions) {}

  async verify(
    transactionalId: string,
    producerId: number,
    producerEpoch: number,
    partitions: readonly TxnTopicPartition[],
  ): Promise<number[]> {
    const { coordinator, metadata, brokerId } = this.options;
    const leader = metadata.image.partition(
      TRANSACTION_STATE_TOPIC_NAME,
      coordinator.partitionFor(transactionalId),
    )?.leader;
    let codes: number[];
    if (leader === brokerId) {
      codes = partitions.map((tp) => coordinator.verifyPartition(transactionalId, producerId, producerEpoch, tp));
    } else if (leader === undefined || leader < 0) {
      codes = partitions.map(() => ErrorCode.COORDINATOR_NOT_AVAILABLE);
    } else {
      codes = await this.verifyRemotely(leader, transactionalId, producerId, producerEpoch, partitions);
    }
    return codes.map(toProduceError);
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private async verifyRemotely(
    leader: number,
    transactionalId: string,
    producerId: number,
    producerEpoch: number,
    partitions: readonly TxnTopicPartition[],
  ): Promise<number[]> {
    const client = this.client(leader);
    if (client === undefined) return partitions.map(() => ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const topics = new Map<string, number[]>();
    for (const tp of partitions) topics.set(tp.topic, [...(topics.get(tp.topic) ?? []), tp.partition]);
    try {
      const response = await client.send<AddPartitionsToTxnResponse>(ApiKey.AddPartitionsToTxn, VERIFY_VERSION, {
        transactions: [
          {
            transactionalId,
            producerId: BigInt(producerId),
            producerEpoch,
            verifyOnly: true,
            topics: [...topics].map(([name, ids]) => ({ name, partitions: ids })),
          },
        ],
      });
      const codes = new Map<string, number>();
      for (const txn of response.resultsByTransaction)
        for (const t of txn.topicResults)
          for (const p of t.resultsByPartition) codes.set(`${t.name}:${p.partitionIndex}`, p.partitionErrorCode);
      return partitions.map(
        (tp) => codes.get(`${tp.topic}:${tp.partition}`) ?? (response.errorCode || ErrorCode.UNKNOWN_SERVER_ERROR),
      );
    } catch (err) {
      this.options.logger?.debug(`verifying ${transactionalId} with broker ${leader} failed: ${String(err)}`);
      return partitions.map(() => ErrorCode.COORDINATOR_NOT_AVAILABLE);
    }
  }

  private client(brokerId: number): InterBrokerClient | undefined {
    const existing = this.clients.get(brokerId);
    if (existing !== undefined) return existing;
    const endpoint = this.options.metadata.image.brokers
      .get(brokerId)
      ?.endpoints.find((e) => e.listenerName === this.options.listenerName);
    if (endpoint === undefined) return undefined;
    const client = new InterBrokerClient({
      host: endpoint.host,
      port: endpoint.port,
      clientId: `broker-${this.options.brokerId}-txn-verifier`,
      requestTimeoutMs: this.options.requestTimeoutMs,
    });
    this.clients.set(brokerId, client);
    return client;
  }
}

/** The coordinator's answer as the producer should see it (Kafka's AddPartitionsToTxnManager mapping). */
function toProduceError(code: number): number {
  switch (code) {
    case ErrorCode.NONE:
    case ErrorCode.INVALID_TXN_STATE:
      return code;
    case ErrorCode.PRODUCER_FENCED:
    case ErrorCode.INVALID_PRODUCER_ID_MAPPING:
    case ErrorCode.INVALID_PRODUCER_EPOCH:
      return ErrorCode.INVALID_PRODUCER_EPOCH;
    default:
      // Coordinator moving, loading or unreachable: the producer retries.
      return ErrorCode.NOT_ENOUGH_REPLICAS;
  }
}
