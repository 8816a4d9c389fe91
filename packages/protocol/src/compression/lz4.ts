import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import { corruptCompressedData } from './compression-errors.js';
import { scanLz4Frames } from './lz4-frame-scan.js';

/**
 * Kafka's lz4 codec for message format v2: the standard LZ4 frame format (the v0 format's broken
 * header checksum is long gone). lz4-napi writes independent blocks without checksums, which
 * Java's KafkaLZ4BlockInputStream and librdkafka both read.
 */
export function lz4Compress(input: Buffer): Buffer {
  return compressFrameSync(input);
}

/**
 * Scans the frames first (structure, truncation and the output limit, see `scanLz4Frames`), then
 * lets the native decoder inflate each frame, which also verifies the checksums.
 */
export function lz4Decompress(input: Buffer, maxOutputBytes: number): Buffer {
  const frames = scanLz4Frames(input, maxOutputBytes);
  const outputs: Buffer[] = [];
  for (const frame of frames) {
    let output: Buffer;
    try {
      output = decompressFrameSync(input.subarray(frame.start, frame.end));
    } catch (error) {
      throw corruptCompressedData('lz4', (error as Error).message, error);
    }
    if (frame.exact ? output.length !== frame.maxOutputBytes : output.length > frame.maxOutputBytes) {
      throw corruptCompressedData('lz4', `frame inflated to ${output.length} bytes, expected ${frame.maxOutputBytes}`);
    }
    outputs.push(output);
  }
  return outputs.length === 1 ? (outputs[0] as Buffer) : Buffer.concat(outputs);
}
