/**
 * Golden bytes: request frames captured from real clients (kcat/librdkafka, kafka-python,
 * KafkaJS, @platformatic/kafka — see fixtures/golden/README.md) must decode, and re-encoding the
 * decoded header and body must give back the client's bytes exactly. This checks our codecs
 * against encodings nobody here wrote, in classic and flexible versions alike.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { requestHeaderVersion } from '../src/framing/api-registry.js';
import { decodeRequest } from '../src/framing/request-frame.js';
import { RequestHeaderCodec } from '../src/generated/request-header.js';
import { Writer } from '../src/primitives/writer.js';
import { decodeRecordBatch } from '../src/records/record-batch-iterator.js';

interface GoldenFrame {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly api: string;
  readonly hex: string;
}

const here = dirname(fileURLToPath(import.meta.url));
// Compiled tests run from dist/test; the fixtures stay in the source tree.
const fixtures = join(here, '..', '..', 'test', 'fixtures', 'golden');

const files = readdirSync(fixtures).filter((f) => f.endsWith('.jsonl'));

describe('golden request frames from real clients', () => {
  test('fixtures cover the APIs the issue names, in a classic and a flexible version', () => {
    const seen = new Map<string, Set<'classic' | 'flexible'>>();
    for (const file of files) {
      for (const line of readFileSync(join(fixtures, file), 'utf8').trim().split('\n')) {
        const frame = JSON.parse(line) as GoldenFrame;
        const decoded = decodeRequest(Buffer.from(frame.hex, 'hex'));
        assert.equal(decoded.kind, 'ok');
        if (decoded.kind !== 'ok') continue;
        const kind = frame.apiVersion >= decoded.api.request.firstFlexibleVersion ? 'flexible' : 'classic';
        let kinds = seen.get(frame.api);
        if (kinds === undefined) seen.set(frame.api, (kinds = new Set()));
        kinds.add(kind);
      }
    }
    for (const api of [
      'Produce',
      'Fetch',
      'Metadata',
      'ApiVersions',
      'JoinGroup',
      'SyncGroup',
      'OffsetCommit',
      'ListOffsets',
      'CreateTopics',
      'InitProducerId',
    ]) {
      assert.deepEqual([...(seen.get(api) ?? [])].sort(), ['classic', 'flexible'], `${api} coverage`);
    }
  });

  for (const file of files) {
    const client = file.replace(/\.jsonl$/, '');
    const frames = readFileSync(join(fixtures, file), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as GoldenFrame);
    for (const frame of frames) {
      test(`${client}: ${frame.api} v${frame.apiVersion} decodes and re-encodes byte for byte`, () => {
        const bytes = Buffer.from(frame.hex, 'hex');
        const decoded = decodeRequest(bytes);
        assert.equal(decoded.kind, 'ok', `${frame.api} v${frame.apiVersion} was not decoded`);
        if (decoded.kind !== 'ok') return;
        assert.equal(decoded.header.requestApiKey, frame.apiKey);
        assert.equal(decoded.header.requestApiVersion, frame.apiVersion);
        const headerVersion = requestHeaderVersion(frame.apiKey, frame.apiVersion);
        const headerSize = RequestHeaderCodec.size(decoded.header, headerVersion);
        const bodySize = decoded.api.request.size(decoded.body, frame.apiVersion);
        const writer = new Writer(headerSize + bodySize);
        RequestHeaderCodec.write(writer, decoded.header, headerVersion);
        decoded.api.request.write(writer, decoded.body, frame.apiVersion);
        const reencoded = writer.toBuffer();
        assert.equal(reencoded.toString('hex'), frame.hex);
        if (frame.api === 'Produce') {
          // The clients' own record batches (compressed by their codecs) decode too.
          const body = decoded.body as { topicData: { partitionData: { records: Buffer | null }[] }[] };
          const batches = body.topicData.flatMap((t) => t.partitionData.map((p) => p.records));
          assert.ok(batches.length > 0);
          for (const records of batches) {
            assert.ok(records !== null);
            const batch = decodeRecordBatch(records);
            assert.ok(batch.records.length > 0);
            for (const r of batch.records) assert.match(r.key?.toString() ?? '', /^k\d?$/);
          }
        }
      });
    }
  }
});
