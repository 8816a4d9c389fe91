export { parseJavaProperties as parseProperties } from '@samsa/protocol';
export { Broker } from './broker.js';
export type { BrokerServices } from './broker-services.js';
export { BrokerConfig } from './config/broker-config.js';
export { ConfigError } from './config/config-def.js';
export { TopicConfigResolver } from './config/topic-config.js';
export { assignReplicas, type PlacementBroker } from './controller/replica-assignment.js';
export { planPartitionAddition, planTopicCreation, validateAssignment } from './controller/topic-plans.js';
export {
  ControllerMovedError,
  KafkaController,
  type KafkaControllerOptions,
} from './controller/zk/kafka-controller.js';
export { createLogger, silentLogger } from './create-logger.js';
export type { Logger } from './logger.js';
export { unifyCollisionChars, validateTopicName } from './metadata/topic-name.js';
export { brokerConfigFromArgs, runBroker } from './run-broker.js';
export { AdminZkClient, type ZkTopicDescription } from './zk/admin-zk-client.js';
export {
  isZkError,
  KafkaZkClient,
  type KafkaZkClientOptions,
  splitConnectString,
  ZkCode,
  ZkConnectionTimeoutError,
  ZkError,
  type ZkStat,
} from './zk/kafka-zk-client.js';
export * as ZkData from './zk/zk-data.js';
