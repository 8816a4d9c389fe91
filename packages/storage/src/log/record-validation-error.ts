import { KafkaError } from '@samsa/protocol';

/** One record at fault in a produced batch: its index in the batch, and why (KIP-467). */
export interface RecordError {
  readonly batchIndex: number;
  readonly message: string | null;
}

/**
 * A batch rejected because of some of its records (Kafka's RecordValidationException). The
 * records at fault travel to the producer in Produce v8+ `recordErrors`, so that it fails those
 * and not the others: librdkafka reports INVALID_RECORD for them and _INVALID_DIFFERENT_RECORD
 * for the rest of the batch, Java's producer splits and retries the others.
 */
export class RecordValidationError extends KafkaError {
  constructor(
    errorCode: number,
    readonly recordErrors: readonly RecordError[],
  ) {
    const shown = recordErrors
      .slice(0, 3)
      .map((e) => `RecordError(batchIndex=${e.batchIndex}, message='${e.message}')`)
      .join(', ');
    super(
      errorCode,
      `One or more records have been rejected due to ${recordErrors.length} record errors in total, and only ` +
        `showing the first three errors at most: [${shown}]`,
    );
    this.name = 'RecordValidationError';
  }
}
