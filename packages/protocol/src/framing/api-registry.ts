import type { ApiCodec } from '../codec.js';
import { GENERATED_APIS } from '../generated/index.js';

/** Codecs by API key; `undefined` for keys Samsa has no table for. */
const byKey: (ApiCodec | undefined)[] = [];
for (const api of GENERATED_APIS) byKey[api.apiKey] = api as unknown as ApiCodec;

export function apiCodec(apiKey: number): ApiCodec | undefined {
  return byKey[apiKey];
}

export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  LeaderAndIsr: 4,
  StopReplica: 5,
  UpdateMetadata: 6,
  ControlledShutdown: 7,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  DeleteRecords: 21,
  InitProducerId: 22,
  OffsetForLeaderEpoch: 23,
  AddPartitionsToTxn: 24,
  AddOffsetsToTxn: 25,
  EndTxn: 26,
  WriteTxnMarkers: 27,
  TxnOffsetCommit: 28,
  DescribeAcls: 29,
  CreateAcls: 30,
  DeleteAcls: 31,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  AlterReplicaLogDirs: 34,
  DescribeLogDirs: 35,
  SaslAuthenticate: 36,
  CreatePartitions: 37,
  CreateDelegationToken: 38,
  RenewDelegationToken: 39,
  ExpireDelegationToken: 40,
  DescribeDelegationToken: 41,
  DeleteGroups: 42,
  ElectLeaders: 43,
  IncrementalAlterConfigs: 44,
  AlterPartitionReassignments: 45,
  ListPartitionReassignments: 46,
  OffsetDelete: 47,
  DescribeClientQuotas: 48,
  AlterClientQuotas: 49,
  DescribeUserScramCredentials: 50,
  AlterUserScramCredentials: 51,
  DescribeQuorum: 55,
  AlterPartition: 56,
  UpdateFeatures: 57,
  Envelope: 58,
  DescribeCluster: 60,
  DescribeProducers: 61,
  UnregisterBroker: 64,
  DescribeTransactions: 65,
  ListTransactions: 66,
  AllocateProducerIds: 67,
  ConsumerGroupHeartbeat: 68,
  ConsumerGroupDescribe: 69,
  GetTelemetrySubscriptions: 71,
  PushTelemetry: 72,
  ListClientMetricsResources: 74,
  DescribeTopicPartitions: 75,
} as const;
export type ApiKey = (typeof ApiKey)[keyof typeof ApiKey];

/** Kafka's name for an API key, e.g. `Produce`; `Unknown(99)` for keys without a table. */
export function apiName(apiKey: number): string {
  return byKey[apiKey]?.name ?? `Unknown(${apiKey})`;
}

/**
 * Request header version for an API version: 2 for flexible versions, 1 otherwise, and 0 for
 * ControlledShutdown v0, the one request that predates client IDs.
 */
export function requestHeaderVersion(apiKey: number, apiVersion: number): number {
  const api = byKey[apiKey];
  if (api === undefined) return 1;
  if (apiVersion >= api.request.firstFlexibleVersion) return 2;
  if (apiKey === ApiKey.ControlledShutdown && apiVersion === 0) return 0;
  return 1;
}

/**
 * Response header version: 1 for flexible versions, 0 otherwise — except ApiVersions, whose
 * response header is always v0 so that a client that does not yet know the broker's versions
 * can always parse it (KIP-511).
 */
export function responseHeaderVersion(apiKey: number, apiVersion: number): number {
  if (apiKey === ApiKey.ApiVersions) return 0;
  const api = byKey[apiKey];
  if (api === undefined) return 0;
  return apiVersion >= api.response.firstFlexibleVersion ? 1 : 0;
}
