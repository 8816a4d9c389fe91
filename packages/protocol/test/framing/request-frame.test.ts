import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KafkaError } from '../../src/errors/kafka-error.js';
import { apiCodec } from '../../src/framing/api-registry.js';
import { FrameDecoder } from '../../src/framing/frame-decoder.js';
import { decodeRequest, encodeRequest } from '../../src/framing/request-frame.js';
import { decodeResponse, encodeResponse, peekCorrelationId } from '../../src/framing/response-frame.js';
import { ApiKey } from '../../src/generated/index.js';
import type { MetadataRequest } from '../../src/generated/metadata.js';

const metadata = apiCodec(ApiKey.Metadata)!;
const apiVersions = apiCodec(ApiKey.ApiVersions)!;

function frameOf(chunks: Buffer[]): Buffer {
  const whole = Buffer.concat(chunks);
  assert.equal(whole.readInt32BE(0), whole.length - 4, 'size prefix');
  return whole.subarray(4);
}

/** A request frame by hand: header v1 (apiKey, version, correlationId, clientId) and a body. */
function handFrame(apiKey: number, apiVersion: number, correlationId: number, body: string): Buffer {
  const header = Buffer.alloc(10);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(apiVersion, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(-1, 8); // null client ID
  return Buffer.concat([header, Buffer.from(body, 'hex')]);
}

describe('decodeRequest', () => {
  test('round trip through encodeRequest, FrameDecoder and decodeRequest, classic and flexible', () => {
    for (const v of [1, 8, 9, 12]) {
      // AllowAutoTopicCreation exists from v4 and is not ignorable: only set it where it exists.
      const body =
        v >= 4 ? { topics: [{ name: 'orders' }], allowAutoTopicCreation: false } : { topics: [{ name: 'orders' }] };
      const chunks = encodeRequest(metadata, v, 77, 'client-1', body);
      const frames = new FrameDecoder(1 << 20).push(Buffer.concat(chunks));
      assert.equal(frames.length, 1);
      const decoded = decodeRequest(frames[0]!);
      assert.equal(decoded.kind, 'ok');
      if (decoded.kind !== 'ok') return;
      assert.deepEqual(
        [decoded.header.requestApiKey, decoded.header.requestApiVersion, decoded.header.correlationId],
        [ApiKey.Metadata, v, 77],
      );
      assert.equal(decoded.header.clientId, 'client-1');
      const request = decoded.body as MetadataRequest;
      assert.equal(request.topics?.[0]?.name, 'orders');
      assert.equal(request.allowAutoTopicCreation, v < 4, 'false where sent, the default true before v4');
    }
  });

  test('an unknown API key is an outcome carrying the correlation ID, not an exception', () => {
    const decoded = decodeRequest(handFrame(999, 0, 1234, ''));
    assert.equal(decoded.kind, 'unknown-api');
    assert.equal(decoded.header.correlationId, 1234);
  });

  test('an unsupported version is an outcome carrying the correlation ID and the API', () => {
    // Metadata is flexible from v9, so a newer version's header is v2: after the client ID comes
    // the header's tagged section (00), as Kafka derives header versions from open-ended ranges.
    const tooNew = decodeRequest(handFrame(ApiKey.Metadata, 99, 55, '00' + 'ffffffff'));
    assert.equal(tooNew.kind, 'unsupported-version');
    assert.equal(tooNew.header.correlationId, 55);
    if (tooNew.kind === 'unsupported-version') assert.equal(tooNew.api.name, 'Metadata');
    const negative = decodeRequest(handFrame(ApiKey.Produce, -1, 56, ''));
    assert.equal(negative.kind, 'unsupported-version');
    assert.equal(negative.header.correlationId, 56);
  });

  test('ApiVersions from a newer client (v127, flexible header) still yields its correlation ID and client ID', () => {
    // Header v2: apiKey, version, correlationId, clientId (classic string), empty tagged section.
    const frame = Buffer.from('0012' + '007f' + '00000009' + '0003' + '636c69' + '00' + '0a0b0c', 'hex');
    const decoded = decodeRequest(frame);
    assert.equal(decoded.kind, 'unsupported-version');
    assert.equal(decoded.header.correlationId, 9);
    assert.equal(decoded.header.clientId, 'cli');
  });

  test('ControlledShutdown v0 has no client ID in its header (decoded as Kafka\'s default, "")', () => {
    const shutdown = apiCodec(ApiKey.ControlledShutdown)!;
    const frame = frameOf(encodeRequest(shutdown, 0, 3, 'ignored', { brokerId: 5 }));
    assert.equal(frame.length, 8 + 4, 'header v0 (8 bytes) + brokerId');
    const decoded = decodeRequest(frame);
    assert.equal(decoded.kind, 'ok');
    assert.equal(decoded.header.clientId, '');
  });

  test('frames too short for a header, or cut inside the body, are ProtocolDecodeErrors', () => {
    const frame = frameOf(encodeRequest(metadata, 1, 1, null, { topics: [] }));
    assert.throws(() => decodeRequest(Buffer.alloc(7)), KafkaError);
    assert.throws(() => decodeRequest(frame.subarray(0, frame.length - 1)), KafkaError);
  });

  test('bytes after the body are ignored, as Kafka ignores them', () => {
    const frame = frameOf(encodeRequest(metadata, 1, 1, null, { topics: [] }));
    const decoded = decodeRequest(Buffer.concat([frame, Buffer.from([0, 1, 2])]));
    assert.equal(decoded.kind, 'ok');
    assert.deepEqual((decoded.body as MetadataRequest).topics, []);
  });

  test("librdkafka 2.x's Metadata v12 for all topics (a 4-byte placeholder for the compact topic count)", () => {
    // Captured from librdkafka 2.15.1 (rd_kafka_metadata(all_topics=1)): header v2 with client ID
    // "rdkafka" and no tags; body 00000000 (the count's placeholder: 0x00 = null, then three
    // zeros), 01 allowAutoTopicCreation, 00 includeTopicAuthorizedOperations, 00 no tags.
    const frame = Buffer.from('0003000c0000002a000772646b61666b6100' + '00000000' + '01' + '00' + '00', 'hex');
    const decoded = decodeRequest(frame);
    assert.equal(decoded.kind, 'ok');
    assert.equal(decoded.header.correlationId, 42);
    const body = decoded.body as MetadataRequest;
    // Read as Kafka reads it: null topics (all), and the three zeros as the following fields.
    assert.equal(body.topics, null);
    assert.equal(body.allowAutoTopicCreation, false);
    assert.equal(body.includeTopicAuthorizedOperations, false);
  });
});

describe('responses', () => {
  test('encodeResponse → decodeResponse, ApiVersions v3 with its v0 header', () => {
    const body = { errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }], throttleTimeMs: 0 };
    const frame = frameOf(encodeResponse(apiVersions, 3, 42, body));
    assert.equal(peekCorrelationId(frame), 42);
    // Header v0 is the correlation ID alone: the body's error code follows immediately.
    assert.equal(frame.readInt16BE(4), 0);
    const decoded = decodeResponse(apiVersions, 3, frame);
    assert.equal(decoded.correlationId, 42);
    assert.deepEqual((decoded.body as { apiKeys: unknown[] }).apiKeys, [{ apiKey: 18, minVersion: 0, maxVersion: 4 }]);
  });

  test('a flexible response has header v1: the correlation ID, then an empty tagged section', () => {
    const frame = frameOf(encodeResponse(metadata, 9, 43, { brokers: [], topics: [] }));
    assert.equal(frame.readInt32BE(0), 43);
    assert.equal(frame[4], 0, 'empty tagged section of response header v1');
    assert.equal(decodeResponse(metadata, 9, frame).correlationId, 43);
  });
});
