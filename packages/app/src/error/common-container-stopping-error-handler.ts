import type { ConsumerRecord } from '@samsa/client';
import type { BatchDecision, CommonErrorHandler, RecordDecision } from './common-error-handler.js';

/** Thrown to stop a container: the loop ends, offsets of handled records are committed, the consumer leaves. */
export class ContainerStoppedException extends Error {
  override readonly name = 'ContainerStoppedException';
}

/**
 * Stops the container on any listener error (Spring's CommonContainerStoppingErrorHandler).
 * The failed record is not committed: whoever takes the partition over gets it again. The
 * other containers of a concurrent container keep running and inherit the partitions.
 */
export class CommonContainerStoppingErrorHandler implements CommonErrorHandler {
  async handleRecord(error: Error): Promise<RecordDecision> {
    throw new ContainerStoppedException('Stopped container', { cause: error });
  }

  async handleBatch(error: Error): Promise<BatchDecision> {
    throw new ContainerStoppedException('Stopped container', { cause: error });
  }

  deliveryAttempt(_raw: ConsumerRecord<Buffer, Buffer>, _listenerId: string): number {
    return 1;
  }
}
