import { rawSnappyCompress, rawSnappyDecompress } from './raw-snappy.js';
import { isXerialSnappy, xerialSnappyCompress, xerialSnappyDecompress } from './xerial-snappy.js';

/**
 * Kafka's snappy codec has two framings in the wild: Java clients and brokers write snappy-java's
 * xerial stream format, librdkafka and KafkaJS write a raw snappy block. Readers accept both,
 * telling them apart by the xerial magic, as librdkafka and snappy-java do.
 */
export type SnappyFraming = 'xerial' | 'raw';

/** Writes xerial framing by default: every client can read it, including older Java ones. */
export function snappyCompress(input: Buffer, framing: SnappyFraming = 'xerial'): Buffer {
  return framing === 'xerial' ? xerialSnappyCompress(input) : rawSnappyCompress(input);
}

export function snappyDecompress(input: Buffer, maxOutputBytes: number): Buffer {
  return isXerialSnappy(input)
    ? xerialSnappyDecompress(input, maxOutputBytes)
    : rawSnappyDecompress(input, maxOutputBytes);
}
