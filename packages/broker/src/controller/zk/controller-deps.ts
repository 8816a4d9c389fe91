import type { Logger } from '../../logger.js';
import type { KafkaZkClient } from '../../zk/kafka-zk-client.js';
import type { ControllerContext } from './controller-context.js';
import type { ControllerRequestSender } from './controller-request-sender.js';
import type { PartitionStateStore } from './partition-state-store.js';

/** What the controller's parts (topic deletion, reassignment) share with the controller. */
export interface ControllerDeps {
  readonly ctx: ControllerContext;
  readonly zk: KafkaZkClient;
  readonly store: PartitionStateStore;
  readonly send: ControllerRequestSender;
  readonly logger: Logger;
  /** `[Controller id=N]`, Kafka's log prefix. */
  readonly logPrefix: string;
  /** Queues work on the controller's event queue (for answers that arrive later). */
  readonly trigger: (name: string, work: () => Promise<void>) => void;
}
