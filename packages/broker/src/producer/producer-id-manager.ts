import type { Controller } from '../controller/controller.js';
import { PRODUCER_ID_BLOCK_SIZE } from '../controller/local-controller.js';

/**
 * Hands out producer IDs for InitProducerId. IDs come from blocks the controller reserves
 * durably, so an ID is never reused after a restart (Kafka's ProducerIdManager).
 */
export class ProducerIdManager {
  private next = 0;
  private end = 0;
  private pending: Promise<void> | undefined;

  constructor(private readonly controller: Controller) {}

  async generateProducerId(): Promise<number> {
    while (this.next >= this.end) {
      this.pending ??= this.controller.allocateProducerIds(PRODUCER_ID_BLOCK_SIZE).then(
        (start) => {
          this.next = start;
          this.end = start + PRODUCER_ID_BLOCK_SIZE;
          this.pending = undefined;
        },
        (err: unknown) => {
          this.pending = undefined;
          throw err;
        },
      );
      await this.pending;
    }
    return this.next++;
  }
}
