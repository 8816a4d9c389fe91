import type { Controller } from '../controller/controller.js';
import { PRODUCER_ID_BLOCK_SIZE } from '../controller/local-controller.js';

/** Share of a block handed out before the next one is reserved (Kafka's 90%). */
const PREFETCH_AT = 0.9;

/**
 * Hands out producer IDs for InitProducerId. IDs come from blocks the controller reserves
 * durably, so an ID is never reused after a restart (Kafka's ProducerIdManager). A block is
 * reserved at startup and the next one once 90% of the current is used, as Kafka does: an
 * InitProducerId is then answered from memory even while ZooKeeper is unreachable.
 */
export class ProducerIdManager {
  private next = 0;
  private end = 0;
  /** The start of the next block: reserved, or being reserved. */
  private nextBlock: Promise<number> | undefined;

  constructor(
    private readonly controller: Controller,
    private readonly onPrefetchError: (err: unknown) => void = () => {},
  ) {}

  /** Starts reserving the next block unless one is already reserved or on its way. */
  prefetch(): void {
    if (this.nextBlock !== undefined) return;
    const block = this.controller.allocateProducerIds(PRODUCER_ID_BLOCK_SIZE);
    this.nextBlock = block;
    block.catch((err: unknown) => {
      if (this.nextBlock === block) this.nextBlock = undefined;
      this.onPrefetchError(err);
    });
  }

  async generateProducerId(): Promise<number> {
    while (this.next >= this.end) {
      this.prefetch();
      const block = this.nextBlock as Promise<number>;
      const start = await block;
      // Several callers may wait for one block: the first to wake takes it.
      if (this.nextBlock === block) {
        this.nextBlock = undefined;
        this.next = start;
        this.end = start + PRODUCER_ID_BLOCK_SIZE;
      }
    }
    const id = this.next++;
    const used = this.next - (this.end - PRODUCER_ID_BLOCK_SIZE);
    if (used >= PRODUCER_ID_BLOCK_SIZE * PREFETCH_AT) this.prefetch();
    return id;
  }
}
