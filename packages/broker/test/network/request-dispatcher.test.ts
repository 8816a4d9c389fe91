import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ApiKey,
  apiCodec,
  buildRecordBatch,
  decodeResponse,
  ErrorCode,
  encodeRequest,
  KafkaError,
  type MetadataResponse,
} from '@samsa/protocol';
import type { BrokerServices } from '../../src/broker-services.js';
import { silentLogger } from '../../src/create-logger.js';
import { HandlerRegistry } from '../../src/handlers/handler-registry.js';
import { metadataHandler } from '../../src/handlers/metadata.js';
import { produceHandler } from '../../src/handlers/produce.js';
import { BufferPool } from '../../src/memory/buffer-pool.js';
import { RequestDispatcher } from '../../src/network/request-dispatcher.js';
import { testConnection } from '../support/test-connection.js';

const info = testConnection();

function frameOf(apiKey: number, version: number, body: unknown): Buffer {
  const api = apiCodec(apiKey);
  assert.ok(api);
  return Buffer.concat(encodeRequest(api, version, 7, 'test', body)).subarray(4);
}

function dispatcher(services: Partial<BrokerServices>): RequestDispatcher {
  const registry = new HandlerRegistry().register(metadataHandler).register(produceHandler);
  return new RequestDispatcher(registry, services as BrokerServices, new BufferPool(), silentLogger());
}

describe('RequestDispatcher', () => {
  test('a failed request whose response has no top-level error code gets the error on every topic', async () => {
    const failing = {
      config: { bool: () => false },
      metadata: {
        get image(): never {
          throw new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, 'disk gone');
        },
      },
    } as unknown as Partial<BrokerServices>;
    for (const version of [1, 12]) {
      const frame = frameOf(ApiKey.Metadata, version, {
        topics: [{ name: 'a' }, { name: 'b' }],
        ...(version >= 4 ? { allowAutoTopicCreation: false } : {}),
      });
      const result = await dispatcher(failing).handle(frame, info).response;
      assert.ok(Array.isArray(result), `v${version}: the connection stays open`);
      const api = apiCodec(ApiKey.Metadata);
      assert.ok(api);
      const { correlationId, body } = decodeResponse(api, version, Buffer.concat(result).subarray(4));
      assert.equal(correlationId, 7);
      const topics = (body as MetadataResponse).topics;
      assert.deepEqual(
        topics.map((t) => [t.name, t.errorCode]),
        [
          ['a', ErrorCode.KAFKA_STORAGE_ERROR],
          ['b', ErrorCode.KAFKA_STORAGE_ERROR],
        ],
      );
    }
  });

  test('a failed acks=0 produce closes the connection, the only way to tell such a producer', async () => {
    const failingAppends = {
      replicaManager: {
        appendRecords: () => ({
          results: [
            {
              errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER,
              errorMessage: 'not the leader',
              baseOffset: -1,
              logAppendTimeMs: -1,
              logStartOffset: -1,
            },
          ],
          waits: [],
        }),
        awaitAppends: async (pending: { results: unknown[] }) => pending.results,
      },
    } as unknown as Partial<BrokerServices>;
    const records = buildRecordBatch({ records: [{ key: null, value: Buffer.from('v') }] });
    const body = { acks: 0, timeoutMs: 1000, topicData: [{ name: 't', partitionData: [{ index: 0, records }] }] };
    const handling = dispatcher(failingAppends).handle(frameOf(ApiKey.Produce, 9, body), info);
    assert.equal(await handling.response, 'close');
    const ok = dispatcher({
      replicaManager: {
        ...failingAppends.replicaManager,
        appendRecords: () => ({
          results: [{ errorCode: 0, errorMessage: null, baseOffset: 0, logAppendTimeMs: -1, logStartOffset: 0 }],
          waits: [],
        }),
      },
    } as unknown as Partial<BrokerServices>);
    assert.equal(await ok.handle(frameOf(ApiKey.Produce, 9, body), info).response, undefined, 'no response to acks=0');
  });
});
