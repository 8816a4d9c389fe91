import type { ProcessorContext } from './processor-context.js';
import type { Record } from './record.js';

/**
 * Kafka Streams' `Processor<KIn, VIn, KOut, VOut>` (the `processor.api` one). `init` is called
 * once the task owns its state stores, `process` for each record in offset order, `close` when the
 * task is closed (shutdown or rebalance). Not reentrant: a task calls one method at a time.
 */
export interface Processor<KIn, VIn, KOut = never, VOut = never> {
  init?(context: ProcessorContext<KOut, VOut>): void;
  process(record: Record<KIn, VIn>): void;
  close?(): void;
}

/** Kafka's `ProcessorSupplier`: a new processor for each task (processors hold per-task state). */
export type ProcessorSupplier<KIn, VIn, KOut = never, VOut = never> = () => Processor<KIn, VIn, KOut, VOut>;
