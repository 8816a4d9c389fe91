import { addOffsetsToTxn } from './apis/add-offsets-to-txn.js';
import { addPartitionsToTxn } from './apis/add-partitions-to-txn.js';
import { addRaftVoter } from './apis/add-raft-voter.js';
import { allocateProducerIds } from './apis/allocate-producer-ids.js';
import { alterClientQuotas } from './apis/alter-client-quotas.js';
import { alterConfigs } from './apis/alter-configs.js';
import { alterPartition } from './apis/alter-partition.js';
import { alterPartitionReassignments } from './apis/alter-partition-reassignments.js';
import { alterReplicaLogDirs } from './apis/alter-replica-log-dirs.js';
import { alterUserScramCredentials } from './apis/alter-user-scram-credentials.js';
import { apiVersions } from './apis/api-versions.js';
import { consumerGroupDescribe } from './apis/consumer-group-describe.js';
import { consumerGroupHeartbeat } from './apis/consumer-group-heartbeat.js';
import { controlledShutdown } from './apis/controlled-shutdown.js';
import { createAcls } from './apis/create-acls.js';
import { createDelegationToken } from './apis/create-delegation-token.js';
import { createPartitions } from './apis/create-partitions.js';
import { createTopics } from './apis/create-topics.js';
import { deleteAcls } from './apis/delete-acls.js';
import { deleteGroups } from './apis/delete-groups.js';
import { deleteRecords } from './apis/delete-records.js';
import { deleteShareGroupState } from './apis/delete-share-group-state.js';
import { deleteTopics } from './apis/delete-topics.js';
import { describeAcls } from './apis/describe-acls.js';
import { describeClientQuotas } from './apis/describe-client-quotas.js';
import { describeCluster } from './apis/describe-cluster.js';
import { describeConfigs } from './apis/describe-configs.js';
import { describeDelegationToken } from './apis/describe-delegation-token.js';
import { describeGroups } from './apis/describe-groups.js';
import { describeLogDirs } from './apis/describe-log-dirs.js';
import { describeProducers } from './apis/describe-producers.js';
import { describeQuorum } from './apis/describe-quorum.js';
import { describeTopicPartitions } from './apis/describe-topic-partitions.js';
import { describeTransactions } from './apis/describe-transactions.js';
import { describeUserScramCredentials } from './apis/describe-user-scram-credentials.js';
import { electLeaders } from './apis/elect-leaders.js';
import { endTxn } from './apis/end-txn.js';
import { envelope } from './apis/envelope.js';
import { expireDelegationToken } from './apis/expire-delegation-token.js';
import { fetch } from './apis/fetch.js';
import { findCoordinator } from './apis/find-coordinator.js';
import { getTelemetrySubscriptions } from './apis/get-telemetry-subscriptions.js';
import { heartbeat } from './apis/heartbeat.js';
import { incrementalAlterConfigs } from './apis/incremental-alter-configs.js';
import { initProducerId } from './apis/init-producer-id.js';
import { initializeShareGroupState } from './apis/initialize-share-group-state.js';
import { joinGroup } from './apis/join-group.js';
import { leaderAndIsr } from './apis/leader-and-isr.js';
import { leaveGroup } from './apis/leave-group.js';
import { listClientMetricsResources } from './apis/list-client-metrics-resources.js';
import { listGroups } from './apis/list-groups.js';
import { listOffsets } from './apis/list-offsets.js';
import { listPartitionReassignments } from './apis/list-partition-reassignments.js';
import { listTransactions } from './apis/list-transactions.js';
import { metadata } from './apis/metadata.js';
import { offsetCommit } from './apis/offset-commit.js';
import { offsetDelete } from './apis/offset-delete.js';
import { offsetFetch } from './apis/offset-fetch.js';
import { offsetForLeaderEpoch } from './apis/offset-for-leader-epoch.js';
import { produce } from './apis/produce.js';
import { pushTelemetry } from './apis/push-telemetry.js';
import { readShareGroupState } from './apis/read-share-group-state.js';
import { readShareGroupStateSummary } from './apis/read-share-group-state-summary.js';
import { removeRaftVoter } from './apis/remove-raft-voter.js';
import { renewDelegationToken } from './apis/renew-delegation-token.js';
import { saslAuthenticate } from './apis/sasl-authenticate.js';
import { saslHandshake } from './apis/sasl-handshake.js';
import { shareAcknowledge } from './apis/share-acknowledge.js';
import { shareFetch } from './apis/share-fetch.js';
import { shareGroupDescribe } from './apis/share-group-describe.js';
import { shareGroupHeartbeat } from './apis/share-group-heartbeat.js';
import { stopReplica } from './apis/stop-replica.js';
import { syncGroup } from './apis/sync-group.js';
import { txnOffsetCommit } from './apis/txn-offset-commit.js';
import { unregisterBroker } from './apis/unregister-broker.js';
import { updateFeatures } from './apis/update-features.js';
import { updateMetadata } from './apis/update-metadata.js';
import { writeShareGroupState } from './apis/write-share-group-state.js';
import { writeTxnMarkers } from './apis/write-txn-markers.js';
import type { ApiSpec, MessageSpec } from './dsl.js';
import {
  consumerGroupCurrentMemberAssignmentKey,
  consumerGroupCurrentMemberAssignmentValue,
  consumerGroupMemberMetadataKey,
  consumerGroupMemberMetadataValue,
  consumerGroupMetadataKey,
  consumerGroupMetadataValue,
  consumerGroupPartitionMetadataKey,
  consumerGroupPartitionMetadataValue,
  consumerGroupTargetAssignmentMemberKey,
  consumerGroupTargetAssignmentMemberValue,
  consumerGroupTargetAssignmentMetadataKey,
  consumerGroupTargetAssignmentMetadataValue,
} from './messages/consumer-group-records.js';
import { consumerProtocolAssignment } from './messages/consumer-protocol-assignment.js';
import { consumerProtocolSubscription } from './messages/consumer-protocol-subscription.js';
import { groupMetadataKey } from './messages/group-metadata-key.js';
import { groupMetadataValue } from './messages/group-metadata-value.js';
import { offsetCommitKey } from './messages/offset-commit-key.js';
import { offsetCommitValue } from './messages/offset-commit-value.js';
import { requestHeader } from './messages/request-header.js';
import { responseHeader } from './messages/response-header.js';
import { transactionLogKey } from './messages/transaction-log-key.js';
import { transactionLogValue } from './messages/transaction-log-value.js';

/** Every API served by brokers (Kafka's `broker`/`zkBroker` listeners), in API-key order. */
export const API_SPECS: readonly ApiSpec[] = [
  produce,
  fetch,
  listOffsets,
  metadata,
  leaderAndIsr,
  stopReplica,
  updateMetadata,
  controlledShutdown,
  offsetCommit,
  offsetFetch,
  findCoordinator,
  joinGroup,
  heartbeat,
  leaveGroup,
  syncGroup,
  describeGroups,
  listGroups,
  saslHandshake,
  apiVersions,
  createTopics,
  deleteTopics,
  deleteRecords,
  initProducerId,
  offsetForLeaderEpoch,
  addPartitionsToTxn,
  addOffsetsToTxn,
  endTxn,
  writeTxnMarkers,
  txnOffsetCommit,
  describeAcls,
  createAcls,
  deleteAcls,
  describeConfigs,
  alterConfigs,
  alterReplicaLogDirs,
  describeLogDirs,
  saslAuthenticate,
  createPartitions,
  createDelegationToken,
  renewDelegationToken,
  expireDelegationToken,
  describeDelegationToken,
  deleteGroups,
  electLeaders,
  incrementalAlterConfigs,
  alterPartitionReassignments,
  listPartitionReassignments,
  offsetDelete,
  describeClientQuotas,
  alterClientQuotas,
  describeUserScramCredentials,
  alterUserScramCredentials,
  describeQuorum,
  alterPartition,
  updateFeatures,
  envelope,
  describeCluster,
  describeProducers,
  unregisterBroker,
  describeTransactions,
  listTransactions,
  allocateProducerIds,
  consumerGroupHeartbeat,
  consumerGroupDescribe,
  getTelemetrySubscriptions,
  pushTelemetry,
  listClientMetricsResources,
  describeTopicPartitions,
  shareGroupHeartbeat,
  shareGroupDescribe,
  shareFetch,
  shareAcknowledge,
  addRaftVoter,
  removeRaftVoter,
  initializeShareGroupState,
  readShareGroupState,
  writeShareGroupState,
  deleteShareGroupState,
  readShareGroupStateSummary,
];

/** Headers and the data records (internal topics, consumer protocol) that are not APIs. */
export const MESSAGE_SPECS: readonly MessageSpec[] = [
  requestHeader,
  responseHeader,
  offsetCommitKey,
  offsetCommitValue,
  groupMetadataKey,
  groupMetadataValue,
  transactionLogKey,
  transactionLogValue,
  consumerProtocolSubscription,
  consumerProtocolAssignment,
  consumerGroupMetadataKey,
  consumerGroupMetadataValue,
  consumerGroupPartitionMetadataKey,
  consumerGroupPartitionMetadataValue,
  consumerGroupMemberMetadataKey,
  consumerGroupMemberMetadataValue,
  consumerGroupTargetAssignmentMetadataKey,
  consumerGroupTargetAssignmentMetadataValue,
  consumerGroupTargetAssignmentMemberKey,
  consumerGroupTargetAssignmentMemberValue,
  consumerGroupCurrentMemberAssignmentKey,
  consumerGroupCurrentMemberAssignmentValue,
];

export * from './dsl.js';
