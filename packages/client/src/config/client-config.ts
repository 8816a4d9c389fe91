import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { SecurityProtocolName } from '@samsa/protocol';
import type { OAuthBearerTokenProvider } from '../security/oauthbearer-token.js';
import type { SaslMechanismName } from '../security/sasl-client.js';
import type { Deserializer, SerdeName, Serializer } from '../serdes/serdes.js';

/** Settings every client has (resolved: camelCase, defaults filled in). */
export interface CommonConfig {
  readonly bootstrapServers: readonly string[];
  readonly clientId: string;
  readonly clientRack: string;
  readonly requestTimeoutMs: number;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
  readonly reconnectBackoffMs: number;
  readonly reconnectBackoffMaxMs: number;
  readonly socketConnectionSetupTimeoutMs: number;
  readonly metadataMaxAgeMs: number;
  readonly connectionsMaxIdleMs: number;
  readonly defaultApiTimeoutMs: number;
  readonly securityProtocol: SecurityProtocolName;
  readonly sslTruststoreLocation: string | null;
  readonly sslTruststoreType?: 'PEM' | 'JKS' | 'PKCS12';
  readonly sslTruststoreCertificates: string | null;
  readonly sslTruststorePassword: string | null;
  readonly sslKeystoreLocation: string | null;
  readonly sslKeystoreType?: 'PEM' | 'PKCS12' | 'JKS';
  readonly sslKeystorePassword: string | null;
  readonly sslKeystoreKey: string | null;
  readonly sslKeystoreCertificateChain: string | null;
  readonly sslKeyPassword: string | null;
  readonly sslEndpointIdentificationAlgorithm: string;
  readonly sslEnabledProtocols: readonly string[];
  readonly sslProtocol: string;
  readonly sslCipherSuites?: readonly string[];
  readonly sslCaLocation: string | null;
  readonly sslCertificateLocation: string | null;
  readonly sslKeyLocation: string | null;
  readonly tlsOptions?: TlsConnectionOptions;
  readonly saslMechanism: SaslMechanismName;
  readonly saslJaasConfig: string | null;
  readonly saslUsername: string | null;
  readonly saslPassword: string | null;
  readonly oauthBearerTokenProvider?: OAuthBearerTokenProvider;
}

export type PartitionerName = 'default' | 'murmur2' | 'round-robin' | 'uniform-sticky';

export interface ProducerConfig extends CommonConfig {
  readonly acks: -1 | 0 | 1;
  readonly lingerMs: number;
  readonly batchSize: number;
  readonly bufferMemory: number;
  readonly maxBlockMs: number;
  readonly maxRequestSize: number;
  readonly compressionType: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  readonly compressionGzipLevel: number;
  readonly compressionZstdLevel: number;
  readonly enableIdempotence: boolean;
  readonly transactionalId: string | null;
  readonly transactionTimeoutMs: number;
  readonly retries: number;
  readonly deliveryTimeoutMs: number;
  readonly maxInFlightRequestsPerConnection: number;
  readonly keySerializer: SerdeName | Serializer<unknown>;
  readonly valueSerializer: SerdeName | Serializer<unknown>;
  readonly partitioner: PartitionerName | ((...args: never[]) => number);
  readonly partitionerClass?: PartitionerName;
  readonly partitionerIgnoreKeys: boolean;
  readonly allowAutoCreateTopics: boolean;
  readonly producerListener?: object;
}

export interface ConsumerConfig extends CommonConfig {
  readonly groupId: string | null;
  readonly groupInstanceId: string | null;
  readonly groupProtocol: 'classic' | 'consumer';
  readonly groupRemoteAssignor: string | null;
  readonly enableAutoCommit: boolean;
  readonly autoCommitIntervalMs: number;
  readonly autoOffsetReset: 'earliest' | 'latest' | 'none';
  readonly maxPollRecords: number;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxPollIntervalMs: number;
  readonly fetchMinBytes: number;
  readonly fetchMaxWaitMs: number;
  readonly fetchMaxBytes: number;
  readonly maxPartitionFetchBytes: number;
  readonly isolationLevel: 'read_uncommitted' | 'read_committed';
  readonly partitionAssignmentStrategy: readonly unknown[];
  readonly checkCrcs: boolean;
  readonly excludeInternalTopics: boolean;
  readonly allowAutoCreateTopics: boolean;
  readonly keyDeserializer: SerdeName | Deserializer<unknown>;
  readonly valueDeserializer: SerdeName | Deserializer<unknown>;
  readonly rebalanceListener?: object;
}

export type AdminConfig = CommonConfig;

/**
 * What constructors accept: Kafka's dotted names (`'linger.ms': 10`) or camelCase (`lingerMs:
 * 10`), values typed or as the strings a `.properties` file holds. Checked at run time against
 * the definitions table; the typed members below give editor completion for the camelCase form.
 */
export type ConfigInputOf<T> = { readonly [K in keyof T]?: T[K] | string } & Readonly<Record<string, unknown>>;
