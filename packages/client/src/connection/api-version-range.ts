import { ApiKey } from '@samsa/protocol';

/**
 * The highest version of each API this client's code fills in and reads correctly. Negotiation
 * with a broker picks min(this, broker's max) and checks it is not below either minimum, so the
 * codec's range alone never decides: a version is listed here only when the code using it
 * handles every field that version changes.
 */
export const CLIENT_MAX_VERSIONS: Readonly<Record<number, number>> = {
  [ApiKey.Produce]: 11,
  [ApiKey.Fetch]: 12,
  [ApiKey.ListOffsets]: 9,
  [ApiKey.Metadata]: 12,
  [ApiKey.OffsetCommit]: 9,
  [ApiKey.OffsetFetch]: 9,
  [ApiKey.FindCoordinator]: 6,
  [ApiKey.JoinGroup]: 9,
  [ApiKey.Heartbeat]: 4,
  [ApiKey.LeaveGroup]: 5,
  [ApiKey.SyncGroup]: 5,
  [ApiKey.DescribeGroups]: 5,
  [ApiKey.ListGroups]: 5,
  [ApiKey.ApiVersions]: 3,
  [ApiKey.CreateTopics]: 7,
  [ApiKey.DeleteTopics]: 6,
  [ApiKey.DeleteRecords]: 2,
  [ApiKey.InitProducerId]: 5,
  [ApiKey.OffsetForLeaderEpoch]: 4,
  [ApiKey.AddPartitionsToTxn]: 3,
  [ApiKey.AddOffsetsToTxn]: 4,
  [ApiKey.EndTxn]: 5,
  [ApiKey.TxnOffsetCommit]: 4,
  [ApiKey.DescribeConfigs]: 4,
  [ApiKey.AlterConfigs]: 2,
  [ApiKey.DescribeLogDirs]: 4,
  [ApiKey.CreatePartitions]: 3,
  [ApiKey.DeleteGroups]: 2,
  [ApiKey.IncrementalAlterConfigs]: 1,
  [ApiKey.OffsetDelete]: 0,
  [ApiKey.DescribeCluster]: 1,
  [ApiKey.DescribeProducers]: 0,
  [ApiKey.DescribeTransactions]: 0,
  [ApiKey.ListTransactions]: 1,
  [ApiKey.WriteTxnMarkers]: 1,
  [ApiKey.SaslHandshake]: 1,
  [ApiKey.SaslAuthenticate]: 2,
};

/** Versions below these are not used even if a broker offers them (Kafka 4 dropped them too). */
export const CLIENT_MIN_VERSIONS: Readonly<Record<number, number>> = {
  [ApiKey.Produce]: 3,
  [ApiKey.Fetch]: 4,
  [ApiKey.ListOffsets]: 1,
  [ApiKey.OffsetCommit]: 2,
  [ApiKey.JoinGroup]: 1,
  // v0 sends the tokens raw on the socket, without SaslAuthenticate (Kafka before 1.0).
  [ApiKey.SaslHandshake]: 1,
};

/** An inclusive range of versions of one API. */
export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

/** What a codec declares: the versions the protocol package can encode for an API. */
interface VersionedApi {
  readonly apiKey: number;
  readonly request: { readonly minVersion: number; readonly maxVersion: number };
}

/** The versions of an API this client sends: its codec's range, narrowed by the two tables above. */
export function clientVersionRange(api: VersionedApi): VersionRange {
  return {
    min: Math.max(CLIENT_MIN_VERSIONS[api.apiKey] ?? 0, api.request.minVersion),
    max: Math.min(CLIENT_MAX_VERSIONS[api.apiKey] ?? api.request.maxVersion, api.request.maxVersion),
  };
}

/**
 * The version used with a broker offering `broker`: the highest in both ranges. When the ranges do
 * not meet, which side is ahead, in the words of Java's NodeApiVersions (`kafka-broker-api-versions`
 * prints them): the broker only knows versions newer than this client's ("node too new") or only
 * older ones ("node too old").
 */
export function usableVersion(client: VersionRange, broker: VersionRange): number | 'node too new' | 'node too old' {
  if (client.max < broker.min) return 'node too new';
  if (broker.max < client.min) return 'node too old';
  return Math.min(client.max, broker.max);
}
