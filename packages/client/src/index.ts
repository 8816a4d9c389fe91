export { ErrorCode, KafkaError } from '@samsa/protocol';
export type { AclBinding, AclBindingDescription, AclBindingFilter, DeletedAcls } from './admin/acls.js';
export { Admin } from './admin/admin.js';
export * from './admin/admin-types.js';
export type {
  ClientQuotaAlteration,
  ClientQuotaAlterationResult,
  ClientQuotaEntity,
  ClientQuotaEntityType,
  ClientQuotaEntry,
  ClientQuotaFilter,
  ClientQuotaFilterComponent,
  ClientQuotaOp,
} from './admin/client-quotas.js';
export * from './admin/transaction-types.js';
export {
  DEFAULT_SCRAM_ITERATIONS,
  type ScramCredentialInfo,
  type UserScramCredentialAlteration,
  type UserScramCredentialAlterationResult,
  type UserScramCredentialDeletion,
  type UserScramCredentialsDescription,
  type UserScramCredentialUpsertion,
} from './admin/user-scram-credentials.js';
export type { RecordHeader } from './common/record-header.js';
export { compareTopicPartitions, type TopicPartition } from './common/topic-partition.js';
export type {
  AdminConfig,
  CommonConfig,
  ConfigInputOf,
  ConsumerConfig,
  PartitionerName,
  ProducerConfig,
} from './config/client-config.js';
export { CONFIG_DEFINITIONS, type ConfigDefinition, camelCaseOf } from './config/config-definitions.js';
export { type PropertiesRole, parseClientProperties, parseProperties } from './config/parse-client-properties.js';
export { type ConfigInput, resolveConfig } from './config/resolve-config.js';
export { clientVersionRange, usableVersion, type VersionRange } from './connection/api-version-range.js';
export { Connection, type ConnectionOptions } from './connection/connection.js';
export { ConnectionPool } from './connection/connection-pool.js';
export {
  type ConnectionEvent,
  connectionChannel,
  type RebalanceEvent,
  type RequestEvent,
  rebalanceChannel,
  requestChannel,
} from './connection/diagnostics.js';
export { CooperativeStickyAssignor } from './consumer/assignors/cooperative-sticky-assignor.js';
export type {
  MemberAssignment,
  MemberSubscription,
  PartitionAssignor,
  RebalanceProtocol,
} from './consumer/assignors/partition-assignor.js';
export { RangeAssignor } from './consumer/assignors/range-assignor.js';
export { RoundRobinAssignor } from './consumer/assignors/round-robin-assignor.js';
export { StickyAssignor } from './consumer/assignors/sticky-assignor.js';
export {
  type CommitOffset,
  Consumer,
  type ConsumerOptions,
  type OffsetInput,
  type PollOptions,
} from './consumer/consumer.js';
export type { CommittedOffset } from './consumer/consumer-coordinator.js';
export type { ConsumerRecord } from './consumer/consumer-record.js';
export type { EachBatchPayload, EachMessagePayload, RunOptions } from './consumer/consumer-runner.js';
export type { RebalanceListener } from './consumer/rebalance-listener.js';
export {
  ClientError,
  ClientErrorCode,
  ConfigError,
  isAuthenticationError,
  KafkaConnectionError,
  RequestTimeoutError,
  SaslAuthenticationError,
  SslAuthenticationError,
} from './errors/client-errors.js';
export {
  GroupMember,
  type GroupMemberMetadata,
  type GroupMemberOptions,
  type GroupMemberProtocol,
  type GroupProtocol,
} from './group/group-member.js';
export { type BrokerInfo, Cluster, type PartitionInfo, type TopicInfo } from './metadata/cluster.js';
export { type ListedOffset, type OffsetQuery, OffsetSpec } from './metadata/list-offsets.js';
export {
  ExactlyOnceProcessor,
  type ExactlyOnceProcessorOptions,
  type ProcessorMetrics,
  type TransformResult,
} from './processing/exactly-once-processor.js';
export type { ProcessorConsumer, ProcessorProducer } from './processing/processor-clients.js';
export {
  type ProcessorAbortEvent,
  type ProcessorCloseEvent,
  type ProcessorCommitEvent,
  type ProcessorEvent,
  type ProcessorRebalanceEvent,
  processorChannel,
} from './processing/processor-diagnostics.js';
export { murmur2, murmur2Partition, toPositive } from './producer/murmur2.js';
export {
  DefaultPartitioner,
  type Partitioner,
  type PartitionerFunction,
  type PartitionerInput,
  RoundRobinPartitioner,
} from './producer/partitioners.js';
export { Producer, type ProducerListener, type ProducerMetrics, type ProducerOptions } from './producer/producer.js';
export type {
  DeliveryCallback,
  HeadersInput,
  ProducerRecord,
  RecordMetadata,
} from './producer/producer-record.js';
export type { ConsumerGroupMetadata, OffsetToCommit, TransactionState } from './producer/transaction-manager.js';
export type { OAuthBearerToken, OAuthBearerTokenProvider } from './security/oauthbearer-token.js';
export { SASL_MECHANISMS, type SaslMechanismName } from './security/sasl-client.js';
export {
  bufferDeserializer,
  bufferSerializer,
  type Deserializer,
  jsonDeserializer,
  jsonSerializer,
  type SerdeName,
  Serdes,
  type Serializer,
  stringDeserializer,
  stringSerializer,
} from './serdes/serdes.js';
