import { addOffsetsToTxnHandler } from './add-offsets-to-txn.js';
import { addPartitionsToTxnHandler } from './add-partitions-to-txn.js';
import { alterClientQuotasHandler } from './alter-client-quotas.js';
import { alterConfigsHandler } from './alter-configs.js';
import { alterPartitionHandler } from './alter-partition.js';
import { alterPartitionReassignmentsHandler } from './alter-partition-reassignments.js';
import { alterReplicaLogDirsHandler } from './alter-replica-log-dirs.js';
import { alterUserScramCredentialsHandler } from './alter-user-scram-credentials.js';
import { apiVersionsHandler } from './api-versions.js';
import { consumerGroupDescribeHandler } from './consumer-group-describe.js';
import { consumerGroupHeartbeatHandler } from './consumer-group-heartbeat.js';
import { controlledShutdownHandler } from './controlled-shutdown.js';
import { createAclsHandler } from './create-acls.js';
import { createPartitionsHandler } from './create-partitions.js';
import { createTopicsHandler } from './create-topics.js';
import { deleteAclsHandler } from './delete-acls.js';
import { deleteGroupsHandler } from './delete-groups.js';
import { deleteRecordsHandler } from './delete-records.js';
import { deleteTopicsHandler } from './delete-topics.js';
import { describeAclsHandler } from './describe-acls.js';
import { describeClientQuotasHandler } from './describe-client-quotas.js';
import { describeClusterHandler } from './describe-cluster.js';
import { describeConfigsHandler } from './describe-configs.js';
import { describeGroupsHandler } from './describe-groups.js';
import { describeLogDirsHandler } from './describe-log-dirs.js';
import { describeProducersHandler } from './describe-producers.js';
import { describeTopicPartitionsHandler } from './describe-topic-partitions.js';
import { describeTransactionsHandler } from './describe-transactions.js';
import { describeUserScramCredentialsHandler } from './describe-user-scram-credentials.js';
import { electLeadersHandler } from './elect-leaders.js';
import { endTxnHandler } from './end-txn.js';
import { fetchHandler } from './fetch.js';
import { findCoordinatorHandler } from './find-coordinator.js';
import { HandlerRegistry } from './handler-registry.js';
import { heartbeatHandler } from './heartbeat.js';
import { incrementalAlterConfigsHandler } from './incremental-alter-configs.js';
import { initProducerIdHandler } from './init-producer-id.js';
import { joinGroupHandler } from './join-group.js';
import { leaderAndIsrHandler } from './leader-and-isr.js';
import { leaveGroupHandler } from './leave-group.js';
import { listGroupsHandler } from './list-groups.js';
import { listOffsetsHandler } from './list-offsets.js';
import { listPartitionReassignmentsHandler } from './list-partition-reassignments.js';
import { listTransactionsHandler } from './list-transactions.js';
import { metadataHandler } from './metadata.js';
import { offsetCommitHandler } from './offset-commit.js';
import { offsetDeleteHandler } from './offset-delete.js';
import { offsetFetchHandler } from './offset-fetch.js';
import { offsetForLeaderEpochHandler } from './offset-for-leader-epoch.js';
import { produceHandler } from './produce.js';
import { saslAuthenticateHandler } from './sasl-authenticate.js';
import { saslHandshakeHandler } from './sasl-handshake.js';
import { shareAcknowledgeHandler } from './share-acknowledge.js';
import { shareFetchHandler } from './share-fetch.js';
import { shareGroupDescribeHandler } from './share-group-describe.js';
import { shareGroupHeartbeatHandler } from './share-group-heartbeat.js';
import { stopReplicaHandler } from './stop-replica.js';
import { syncGroupHandler } from './sync-group.js';
import { txnOffsetCommitHandler } from './txn-offset-commit.js';
import { updateMetadataHandler } from './update-metadata.js';
import { writeTxnMarkersHandler } from './write-txn-markers.js';

/**
 * Every API this broker serves. ApiVersions reports exactly these, with their version ranges.
 * The inter-broker APIs of ZooKeeper mode (LeaderAndIsr, StopReplica, UpdateMetadata,
 * ControlledShutdown) are served only by cluster brokers, as a KRaft-era Kafka single node does not
 * advertise them either.
 */
export function createHandlerRegistry(options: { interBroker?: boolean; shareGroups?: boolean } = {}): HandlerRegistry {
  const registry = new HandlerRegistry();
  // Share groups (KIP-932) are served in part (no share coordinator: state in memory): advertised
  // only where `group.share.enable=true`, so that no client picks them up by accident.
  if (options.shareGroups === true) {
    registry
      .register(shareGroupHeartbeatHandler)
      .register(shareGroupDescribeHandler)
      .register(shareFetchHandler)
      .register(shareAcknowledgeHandler);
  }
  if (options.interBroker === true) {
    registry
      .register(leaderAndIsrHandler)
      .register(stopReplicaHandler)
      .register(updateMetadataHandler)
      .register(controlledShutdownHandler)
      .register(alterPartitionHandler);
  }
  registry
    .register(produceHandler)
    .register(fetchHandler)
    .register(listOffsetsHandler)
    .register(metadataHandler)
    .register(offsetCommitHandler)
    .register(offsetFetchHandler)
    .register(findCoordinatorHandler)
    .register(joinGroupHandler)
    .register(heartbeatHandler)
    .register(leaveGroupHandler)
    .register(syncGroupHandler)
    .register(describeGroupsHandler)
    .register(listGroupsHandler)
    .register(apiVersionsHandler(registry))
    .register(createTopicsHandler)
    .register(deleteTopicsHandler)
    .register(deleteRecordsHandler)
    .register(initProducerIdHandler)
    .register(addPartitionsToTxnHandler)
    .register(addOffsetsToTxnHandler)
    .register(endTxnHandler)
    .register(writeTxnMarkersHandler)
    .register(txnOffsetCommitHandler)
    .register(describeTransactionsHandler)
    .register(listTransactionsHandler)
    .register(offsetForLeaderEpochHandler)
    .register(describeConfigsHandler)
    .register(alterConfigsHandler)
    .register(describeAclsHandler)
    .register(createAclsHandler)
    .register(deleteAclsHandler)
    .register(describeLogDirsHandler)
    .register(alterReplicaLogDirsHandler)
    .register(createPartitionsHandler)
    .register(deleteGroupsHandler)
    .register(incrementalAlterConfigsHandler)
    .register(offsetDeleteHandler)
    .register(describeClusterHandler)
    .register(describeProducersHandler)
    .register(electLeadersHandler)
    .register(alterPartitionReassignmentsHandler)
    .register(listPartitionReassignmentsHandler)
    .register(describeTopicPartitionsHandler)
    .register(describeClientQuotasHandler)
    .register(alterClientQuotasHandler)
    .register(saslHandshakeHandler)
    .register(saslAuthenticateHandler)
    .register(describeUserScramCredentialsHandler)
    .register(alterUserScramCredentialsHandler)
    .register(consumerGroupHeartbeatHandler)
    .register(consumerGroupDescribeHandler);
  return registry;
}
