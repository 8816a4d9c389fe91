import type { RecordMetadata } from './processor-context.js';

/**
 * Where the record being processed came from: one object per input record, its methods on the
 * prototype (an object literal of three closures cost four allocations per record).
 */
export class SourceRecordMetadata implements RecordMetadata {
  constructor(
    private readonly sourceTopic: string,
    private readonly sourcePartition: number,
    private readonly sourceOffset: bigint,
  ) {}

  topic(): string {
    return this.sourceTopic;
  }

  partition(): number {
    return this.sourcePartition;
  }

  offset(): bigint {
    return this.sourceOffset;
  }
}
