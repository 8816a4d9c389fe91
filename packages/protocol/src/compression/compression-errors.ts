import { ErrorCode } from '../errors/error-codes.js';
import { KafkaError } from '../errors/kafka-error.js';

/**
 * Decompression failures are CORRUPT_MESSAGE, as in Kafka: whether the compressed bytes are
 * malformed or would expand beyond the caller's limit, the batch cannot be used and the producer
 * (or the fetching replica) must not retry it as is.
 */
export function corruptCompressedData(codec: string, detail: string, cause?: unknown): KafkaError {
  return new KafkaError(
    ErrorCode.CORRUPT_MESSAGE,
    `${codec}: corrupt compressed data (${detail})`,
    cause === undefined ? undefined : { cause },
  );
}

/** The output would exceed `maxOutputBytes`: a zip bomb, or a batch larger than the caller accepts. */
export function decompressedSizeExceeded(codec: string, size: number | string, maxOutputBytes: number): KafkaError {
  return new KafkaError(
    ErrorCode.CORRUPT_MESSAGE,
    `${codec}: decompressed size ${size} exceeds the limit of ${maxOutputBytes} bytes`,
  );
}
