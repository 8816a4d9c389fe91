/**
 * Every message, every version: encode → decode gives back the input (fields absent from a
 * version come back at their defaults), and re-encoding gives the same bytes. Kafka's own
 * "all message round trips" test, with property-based inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { MessageCodec } from '../src/codec.js';
import * as generated from '../src/generated/index.js';
import { Reader } from '../src/primitives/reader.js';
import { Writer } from '../src/primitives/writer.js';
import { API_SPECS, MESSAGE_SPECS, type MessageSpec, parseVersionRange } from '../src/schema/index.js';
import { SchemaArbitrary, stripUnknownTagged } from './support/schema-arbitrary.js';

const codecs = generated as unknown as Record<string, MessageCodec<unknown, unknown>>;

function roundTrip(spec: MessageSpec): void {
  const codec = codecs[`${spec.name}Codec`];
  assert.ok(codec, `no codec generated for ${spec.name}`);
  const range = parseVersionRange(spec.validVersions);
  assert.ok(range);
  const arbitrary = new SchemaArbitrary(spec);
  for (let v = range.min; v <= range.max; v++) {
    fc.assert(
      fc.property(arbitrary.message(v), (input) => {
        const size = codec.size(input, v);
        const writer = new Writer(size);
        codec.write(writer, input, v);
        assert.equal(writer.length, size, `${spec.name} v${v}: size pass and write pass disagree`);
        const bytes = writer.toBuffer();
        const reader = new Reader(bytes);
        const decoded = codec.read(reader, v);
        assert.equal(reader.remaining, 0, `${spec.name} v${v}: decoder left bytes unread`);
        assert.deepStrictEqual(stripUnknownTagged(decoded), arbitrary.expected(input, v), `${spec.name} v${v}`);
        const again = new Writer(codec.size(decoded, v));
        codec.write(again, decoded, v);
        assert.ok(again.toBuffer().equals(bytes), `${spec.name} v${v}: re-encoding differs`);
      }),
      { numRuns: 25 },
    );
  }
}

describe('message round trips', () => {
  for (const api of API_SPECS) {
    test(`${api.name} (key ${api.apiKey}) request, every version`, () => roundTrip(api.request));
    test(`${api.name} (key ${api.apiKey}) response, every version`, () => roundTrip(api.response));
  }
  for (const message of MESSAGE_SPECS) {
    test(`${message.name}, every version`, () => roundTrip(message));
  }
});
