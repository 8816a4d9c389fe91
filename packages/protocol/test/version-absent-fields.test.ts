/**
 * A request field set to a non-default value at a version that lacks it cannot be expressed on
 * the wire. Kafka's generated code throws UnsupportedVersionException instead of dropping it, so
 * a client never silently loses a setting; ignorable fields are the exception and are dropped.
 * This covers plain, struct and tagged fields.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MessageCodec } from '../src/codec.js';
import { UnsupportedVersionError } from '../src/errors/kafka-error.js';
import {
  FetchRequestCodec,
  type FetchRequestInput,
  ProduceRequestCodec,
  type ProduceRequestInput,
  UpdateMetadataRequestCodec,
  type UpdateMetadataRequestInput,
} from '../src/generated/index.js';
import { Reader } from '../src/primitives/reader.js';
import { Writer } from '../src/primitives/writer.js';

function encode<T, I>(codec: MessageCodec<T, I>, input: I, version: number): Buffer {
  const writer = new Writer(codec.size(input, version));
  codec.write(writer, input, version);
  return writer.toBuffer();
}

function decode<T, I>(codec: MessageCodec<T, I>, bytes: Buffer, version: number): T {
  return codec.read(new Reader(bytes), version);
}

const fetch = (extra: Partial<FetchRequestInput>): FetchRequestInput => ({ maxWaitMs: 500, minBytes: 1, ...extra });

describe('request fields a version cannot carry', () => {
  test('a plain field: ProduceRequest.transactionalId at v2 (3+) is refused, null is the default and passes', () => {
    const input: ProduceRequestInput = { transactionalId: 'tx', acks: 1, timeoutMs: 1000 };
    assert.throws(() => encode(ProduceRequestCodec, input, 2), UnsupportedVersionError);
    assert.throws(
      () => encode(ProduceRequestCodec, input, 2),
      /ProduceRequest\.transactionalId cannot be written at version 2/,
    );
    encode(ProduceRequestCodec, { ...input, transactionalId: null }, 2);
    const v3 = decode(ProduceRequestCodec, encode(ProduceRequestCodec, input, 3), 3);
    assert.equal(v3.transactionalId, 'tx');
  });

  test('a tagged struct field: FetchRequest.replicaState below v15 is refused unless it is the default', () => {
    const state = { replicaId: 2, replicaEpoch: 7n };
    assert.throws(
      () => encode(FetchRequestCodec, fetch({ replicaState: state }), 14),
      /FetchRequest\.replicaState cannot be written at version 14/,
    );
    assert.throws(
      () => encode(FetchRequestCodec, fetch({ replicaState: { replicaId: 2 } }), 4),
      UnsupportedVersionError,
    );
    // The default struct (every field at its default) is not a value, at any version.
    encode(FetchRequestCodec, fetch({ replicaState: { replicaId: -1, replicaEpoch: -1n } }), 14);
    encode(FetchRequestCodec, fetch({ replicaState: {} }), 4);
    const v15 = decode(FetchRequestCodec, encode(FetchRequestCodec, fetch({ replicaState: state }), 15), 15);
    assert.deepEqual({ replicaId: v15.replicaState.replicaId, replicaEpoch: v15.replicaState.replicaEpoch }, state);
  });

  test('a tagged primitive field: UpdateMetadataRequest.type below v8 is refused', () => {
    const input: UpdateMetadataRequestInput = { controllerId: 1, controllerEpoch: 1, type: 2 };
    assert.throws(
      () => encode(UpdateMetadataRequestCodec, input, 7),
      /UpdateMetadataRequest\.type cannot be written at version 7/,
    );
    const v8 = decode(UpdateMetadataRequestCodec, encode(UpdateMetadataRequestCodec, input, 8), 8);
    assert.equal(v8.type, 2);
  });

  test('an ignorable tagged field (FetchRequest.clusterId, 12+) is dropped below its versions', () => {
    const bytes = encode(FetchRequestCodec, fetch({ clusterId: 'cluster-a' }), 11);
    assert.deepEqual(bytes, encode(FetchRequestCodec, fetch({}), 11));
    const v12 = decode(FetchRequestCodec, encode(FetchRequestCodec, fetch({ clusterId: 'cluster-a' }), 12), 12);
    assert.equal(v12.clusterId, 'cluster-a');
  });
});
