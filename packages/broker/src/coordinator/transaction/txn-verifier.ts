import { type AddPartitionsToTxnResponse, ApiKey, ErrorCode } from '@samsa/protocol';
import type { Logger } from '../../logger.js';
import { TRANSACTION_STATE_TOPIC_NAME } from '../../metadata/cluster-image.js';
import type { MetadataCache } from '../../metadata/metadata-cache.js';
import { InterBrokerClient } from '../../network/inter-broker-client.js';
import type { InterBrokerSecurity } from '../../network/inter-broker-security.js';
import type { TransactionCoordinator } from './transaction-coordinator.js';
import type { TxnTopicPartition } from './transaction-metadata.js';

export interface TxnVerifierOptions {
  readonly brokerId: number;
  readonly metadata: MetadataCache;
  readonly coordinator: TransactionCoordinator;
  readonly listenerName: string;
  /** The inter-broker listener's TLS and SASL, for the connections this opens. */
  readonly security?: InterBrokerSecurity;
  readonly requestTimeoutMs: number;
  readonly logger?: Logger;
}

/**
 * AddPartitionsToTxn v5: `verifyOnly` (v4) answered with TRANSACTION_ABORTABLE when the partition
 * is not in the transaction. Every Samsa broker serves it; which error the producer sees is decided
 * here, by the version of the producer's own request.
 */
const VERIFY_VERSION = 5;

/**
 * KIP-890 part 1 (Kafka's AddPartitionsToTxnManager): before a partition leader appends the first
 * transactional batch of a producer's transaction, it asks the transaction coordinator whether
 * the partition is part of that ongoing transaction. A batch that arrives after its transaction
 * was aborted (a late retry) would otherwise start a transaction nobody will ever end — a
 * "hanging transaction" holding the last stable offset back forever.
 *
 * The answer per partition is the coordinator's error as Kafka's AddPartitionsToTxnManager passes
 * it on: NONE; TRANSACTION_ABORTABLE when the partition is not in the transaction — or
 * INVALID_TXN_STATE when the requester predates TRANSACTION_ABORTABLE (`supportsAbortable`
 * false); INVALID_PRODUCER_EPOCH for PRODUCER_FENCED, which producers expect here;
 * COORDINATOR_NOT_AVAILABLE when the coordinator cannot be reached; anything else as the
 * coordinator answered (CONCURRENT_TRANSACTIONS, NOT_COORDINATOR, INVALID_PRODUCER_ID_MAPPING…).
 * Each request path then maps the retriable ones to errors its clients retry (see
 * `produceErrorForVerification`).
 */
export class TxnVerifier {
  private readonly clients = new Map<number, InterBrokerClient>();

  constructor(private readonly options: TxnVerifierOptions) {}

  async verify(
    transactionalId: string,
    producerId: number,
    producerEpoch: number,
    partitions: readonly TxnTopicPartition[],
    supportsAbortable: boolean,
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
    return codes.map((code) => verificationError(code, supportsAbortable));
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
      if (response.errorCode !== ErrorCode.NONE) {
        // The producer must not see the inter-broker authorization failure: the batch was not verified.
        const code =
          response.errorCode === ErrorCode.CLUSTER_AUTHORIZATION_FAILED
            ? ErrorCode.INVALID_TXN_STATE
            : response.errorCode;
        return partitions.map(() => code);
      }
      const codes = new Map<string, number>();
      for (const txn of response.resultsByTransaction)
        for (const t of txn.topicResults)
          for (const p of t.resultsByPartition) codes.set(`${t.name}:${p.partitionIndex}`, p.partitionErrorCode);
      return partitions.map((tp) => codes.get(`${tp.topic}:${tp.partition}`) ?? ErrorCode.UNKNOWN_SERVER_ERROR);
    } catch (err) {
      this.options.logger?.debug(`verifying ${transactionalId} with broker ${leader} failed: ${String(err)}`);
      return partitions.map(() => ErrorCode.NETWORK_EXCEPTION);
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
      security: this.options.security,
    });
    this.clients.set(brokerId, client);
    return client;
  }
}

/** The coordinator's answer as Kafka's AddPartitionsToTxnManager hands it to the request path. */
function verificationError(code: number, supportsAbortable: boolean): number {
  switch (code) {
    case ErrorCode.PRODUCER_FENCED:
      // Producers expect INVALID_PRODUCER_EPOCH from a partition: both are fatal to them.
      return ErrorCode.INVALID_PRODUCER_EPOCH;
    case ErrorCode.TRANSACTION_ABORTABLE:
      return supportsAbortable ? code : ErrorCode.INVALID_TXN_STATE;
    default:
      return code;
  }
}

/**
 * The verification error a Produce response carries (Kafka's ReplicaManager): errors that say the
 * coordinator could not answer become NOT_ENOUGH_REPLICAS, which every producer retries without
 * refreshing metadata; older producers would not retry the coordinator errors themselves.
 */
export function produceErrorForVerification(code: number): number {
  switch (code) {
    case ErrorCode.CONCURRENT_TRANSACTIONS:
    case ErrorCode.NETWORK_EXCEPTION:
    case ErrorCode.COORDINATOR_LOAD_IN_PROGRESS:
    case ErrorCode.COORDINATOR_NOT_AVAILABLE:
    case ErrorCode.NOT_COORDINATOR:
      return ErrorCode.NOT_ENOUGH_REPLICAS;
    default:
      return code;
  }
}
