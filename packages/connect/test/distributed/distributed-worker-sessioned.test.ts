import { clusterTests } from './support/cluster-tests.js';

// connect.protocol=sessioned (Kafka's default): compatible's rebalancing, plus a session key in
// the config topic that signs the task configs workers send to the leader (KIP-507).
clusterTests('sessioned');
