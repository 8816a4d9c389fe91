/**
 * Unknown tagged fields (KIP-482) survive a decode → encode cycle: a broker or proxy that relays a
 * message written by a newer peer must not drop what it does not understand. Checked on real
 * flexible messages, at the top level and in nested structs, and on a synthetic table whose known
 * tags leave gaps (no Kafka message has an unknown tag between two known ones at one version).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MessageCodec, RawTaggedField } from '../src/codec.js';
import { ApiVersionsRequestCodec } from '../src/generated/api-versions.js';
import { FetchRequestCodec, FetchResponseCodec } from '../src/generated/fetch.js';
import { MetadataResponseCodec } from '../src/generated/metadata.js';
import { Reader } from '../src/primitives/reader.js';
import { Writer } from '../src/primitives/writer.js';
import { f, type MessageSpec } from '../src/schema/dsl.js';
import { compileMessage } from './support/compile-message.js';

type AnyCodec = MessageCodec<unknown, unknown>;

function raw(tag: number, length: number): RawTaggedField {
  return { tag, data: Buffer.alloc(length, tag % 251) };
}

function encode(codec: AnyCodec, message: unknown, v: number): Buffer {
  const w = new Writer(codec.size(message, v));
  codec.write(w, message, v);
  assert.equal(w.length, codec.size(message, v), 'size pass and write pass disagree');
  return w.toBuffer();
}

function decode(codec: AnyCodec, bytes: Buffer, v: number): unknown {
  const r = new Reader(bytes);
  const m = codec.read(r, v);
  assert.equal(r.remaining, 0, 'decoder left bytes unread');
  return m;
}

/** Every `_unknownTaggedFields` in a value, by path. */
function unknownByPath(
  value: unknown,
  path = '$',
  out = new Map<string, RawTaggedField[]>(),
): Map<string, RawTaggedField[]> {
  if (Array.isArray(value)) {
    for (const [i, e] of value.entries()) unknownByPath(e, `${path}[${i}]`, out);
  } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '_unknownTaggedFields')
        out.set(
          path,
          (v as RawTaggedField[]).map((t) => ({ tag: t.tag, data: t.data })),
        );
      else unknownByPath(v, `${path}.${k}`, out);
    }
  }
  return out;
}

/** Tags of the tagged-field section starting at `pos`, which must run to the end of `bytes`. */
function sectionTags(bytes: Buffer, pos: number): number[] {
  const r = new Reader(bytes, pos);
  const count = r.readUVarint();
  const tags: number[] = [];
  for (let i = 0; i < count; i++) {
    tags.push(r.readUVarint());
    r.skip(r.readUVarint());
  }
  assert.equal(r.remaining, 0, 'the tagged section should end the message');
  return tags;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== '_unknownTaggedFields') out[k] = strip(v);
    return out;
  }
  return value;
}

/**
 * Encodes `input`, decodes it, and checks: the unknown fields come back at the same paths with the
 * same bytes; re-encoding the decoded message is byte-identical; the top-level tagged section
 * (always the last bytes of a message) lists `expectedTopTags` in that order, sorted.
 */
function checkPreserved(codec: AnyCodec, input: Record<string, unknown>, v: number, expectedTopTags: number[]): void {
  const bytes = encode(codec, input, v);
  const decoded = decode(codec, bytes, v);
  assert.deepEqual(unknownByPath(decoded), unknownByPath(input), `${codec.name} v${v}: unknown tagged fields`);
  assert.ok(encode(codec, decoded, v).equals(bytes), `${codec.name} v${v}: re-encoding differs`);
  // Dropping the top-level unknown fields changes only the top-level section, the last bytes of
  // the message, starting with its entry count: the first differing byte is where it starts.
  const bare = encode(codec, { ...(decoded as object), _unknownTaggedFields: undefined }, v);
  let start = 0;
  while (bytes[start] === bare[start]) start++;
  const tags = sectionTags(bytes, start);
  assert.deepEqual(tags, expectedTopTags, `${codec.name} v${v}: tagged section order`);
  assert.deepEqual(
    tags,
    [...tags].sort((a, b) => a - b),
    `${codec.name} v${v}: tagged section must be sorted by tag`,
  );
  assert.deepEqual(strip(decode(codec, bare, v)), strip(decoded), 'known fields must not depend on unknown ones');
}

const partition = { partition: 0, fetchOffset: 5n, partitionMaxBytes: 1024 };

describe('unknown tagged fields are preserved', () => {
  test('FetchRequest v12: top level (tag 1 is ReplicaState only from v15) and nested partitions', () => {
    checkPreserved(
      FetchRequestCodec as AnyCodec,
      {
        clusterId: 'cluster',
        maxWaitMs: 500,
        minBytes: 1,
        topics: [
          {
            topic: 'orders',
            partitions: [{ ...partition, _unknownTaggedFields: [raw(0, 3), raw(9, 200)] }],
            _unknownTaggedFields: [raw(4, 0)],
          },
        ],
        _unknownTaggedFields: [raw(1, 5), raw(2, 1), raw(1000, 130)],
      },
      12,
      [0, 1, 2, 1000],
    );
  });

  test('FetchRequest v17: unknown tags after known ones, top level and in partitions (known tag 0)', () => {
    checkPreserved(
      FetchRequestCodec as AnyCodec,
      {
        replicaState: { replicaId: 3, replicaEpoch: 7n },
        topics: [
          {
            topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
            partitions: [
              {
                ...partition,
                replicaDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAg',
                _unknownTaggedFields: [raw(1, 4), raw(7, 0)],
              },
            ],
          },
        ],
        _unknownTaggedFields: [raw(2, 8), raw(5, 16), raw(16384, 1)],
      },
      17,
      [1, 2, 5, 16384],
    );
  });

  test('FetchResponse v12 and v16: nested partition data with known tags 0-2', () => {
    for (const v of [12, 16]) {
      checkPreserved(
        FetchResponseCodec as AnyCodec,
        {
          responses: [
            {
              topic: v < 13 ? 'orders' : '',
              topicId: v >= 13 ? 'AAAAAAAAAAAAAAAAAAAAAQ' : undefined,
              partitions: [
                {
                  partitionIndex: 1,
                  highWatermark: 10n,
                  divergingEpoch: { epoch: 3, endOffset: 9n },
                  records: Buffer.from('not a batch, just bytes'),
                  _unknownTaggedFields: [raw(3, 2), raw(10, 300)],
                },
              ],
              _unknownTaggedFields: [raw(0, 1)],
            },
          ],
          _unknownTaggedFields: v >= 16 ? [raw(1, 2), raw(3, 3)] : [raw(0, 2), raw(3, 3)],
        },
        v,
        v >= 16 ? [1, 3] : [0, 3],
      );
    }
  });

  test('MetadataResponse v9-v12: top level, brokers, topics and partitions', () => {
    for (let v = 9; v <= 12; v++) {
      checkPreserved(
        MetadataResponseCodec as AnyCodec,
        {
          brokers: [{ nodeId: 1, host: 'h', port: 9092, _unknownTaggedFields: [raw(0, 1)] }],
          clusterId: 'c',
          controllerId: 1,
          topics: [
            {
              name: 't',
              partitions: [{ partitionIndex: 0, leaderId: 1, _unknownTaggedFields: [raw(5, 5), raw(6, 6)] }],
              _unknownTaggedFields: [raw(2, 0)],
            },
          ],
          _unknownTaggedFields: [raw(0, 10), raw(3, 0), raw(127, 1), raw(128, 1)],
        },
        v,
        [0, 3, 127, 128],
      );
    }
  });

  test('ApiVersionsRequest v3 and v4', () => {
    for (const v of [3, 4]) {
      checkPreserved(
        ApiVersionsRequestCodec as AnyCodec,
        {
          clientSoftwareName: 'samsa',
          clientSoftwareVersion: '0.1.0',
          _unknownTaggedFields: [raw(0, 1), raw(1, 0), raw(2 ** 31, 4)],
        },
        v,
        [0, 1, 2 ** 31],
      );
    }
  });
});

/** Known tags 1 and 4 (and 6 from v2) leave gaps; the nested struct knows only tag 2. */
const GAPPY: MessageSpec = {
  name: 'GappyRequest',
  kind: 'request',
  validVersions: '0-2',
  flexibleVersions: '1+',
  fields: [
    f('Id', 'int32', '0+'),
    f('Low', 'int32', '1+', { tag: 1, taggedVersions: '1+', default: -1 }),
    f('Items', '[]Item', '0+', {
      fields: [f('Name', 'string', '0+'), f('Extra', 'int16', '1+', { tag: 2, taggedVersions: '1+' })],
    }),
    f('Mid', 'string', '1+', { tag: 4, taggedVersions: '1+', nullableVersions: '1+', default: null }),
    f('Late', 'int64', '2+', { tag: 6, taggedVersions: '2+' }),
  ],
};

describe('unknown tags between known tags (synthetic table)', () => {
  test('sections are merged in tag order, nested and top level, and survive a round trip', async () => {
    const codec = (await compileMessage(GAPPY)) as AnyCodec;
    const cases: { v: number; input: Record<string, unknown>; top: number[]; nested: number[] }[] = [
      {
        v: 1,
        input: {
          id: 7,
          low: 5,
          mid: 'm',
          items: [{ name: 'ab', extra: 3, _unknownTaggedFields: [raw(0, 1), raw(1, 2), raw(3, 3)] }],
          _unknownTaggedFields: [raw(0, 1), raw(3, 1), raw(5, 1), raw(6, 2), raw(200, 1)],
        },
        top: [0, 1, 3, 4, 5, 6, 200],
        nested: [0, 1, 2, 3],
      },
      {
        // Known fields at their defaults are not written: the unknown ones still go in order.
        v: 1,
        input: {
          id: 7,
          items: [{ name: 'ab', _unknownTaggedFields: [raw(1, 2), raw(3, 3)] }],
          _unknownTaggedFields: [raw(0, 1), raw(2, 1), raw(5, 1)],
        },
        top: [0, 2, 5],
        nested: [1, 3],
      },
      {
        v: 2,
        input: {
          id: 7,
          low: 5,
          late: 9n,
          items: [{ name: 'ab', extra: 3, _unknownTaggedFields: [raw(3, 3)] }],
          _unknownTaggedFields: [raw(0, 1), raw(2, 1), raw(5, 1), raw(7, 1)],
        },
        top: [0, 1, 2, 5, 6, 7],
        nested: [2, 3],
      },
    ];
    for (const { v, input, top, nested } of cases) {
      const bytes = encode(codec, input, v);
      // Layout: id (4), item count (1), name (1 + 2), the item's tagged section, then the top one.
      const nestedStart = 4 + 1 + 3;
      const r = new Reader(bytes, nestedStart);
      const nestedTags: number[] = [];
      for (let i = r.readUVarint(); i > 0; i--) {
        nestedTags.push(r.readUVarint());
        r.skip(r.readUVarint());
      }
      assert.deepEqual(nestedTags, nested, `v${v}: nested section`);
      assert.deepEqual(sectionTags(bytes, r.pos), top, `v${v}: top-level section`);
      const decoded = decode(codec, bytes, v);
      assert.deepEqual(unknownByPath(decoded), unknownByPath(input), `v${v}: unknown fields`);
      assert.ok(encode(codec, decoded, v).equals(bytes), `v${v}: re-encoding differs`);
    }
  });
});
