/**
 * A common struct reached from fields of different versions is written flexible only in the
 * message's flexible versions. AddPartitionsToTxn's responses hold their topic results both in
 * the v4+ batch and the v0-3 list; the partition results inside were once written with a tagged
 * field section in v0, which librdkafka read as a garbled error code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeMessage } from '../src/codec-helpers.js';
import { AddPartitionsToTxnApi } from '../src/generated/index.js';

const body = {
  throttleTimeMs: 0,
  resultsByTopicV3AndBelow: [{ name: 't', resultsByPartition: [{ partitionIndex: 2, partitionErrorCode: 0 }] }],
};

test('AddPartitionsToTxn v0 partition results are int32 + int16, nothing more', () => {
  const bytes = encodeMessage(AddPartitionsToTxnApi.response, body, 0);
  // throttle 4 · topics 4 · name 2+1 · partitions 4 · (partition 4 · error 2)
  assert.equal(bytes.toString('hex'), `00000000` + `00000001` + `000174` + `00000001` + `00000002` + `0000`);
});

test('AddPartitionsToTxn v3 (flexible) partition results carry their tagged field section', () => {
  const bytes = encodeMessage(AddPartitionsToTxnApi.response, body, 3);
  // throttle 4 · topics uvarint · name uvarint+1 · partitions uvarint · partition 4 · error 2 · tags ×3
  assert.equal(bytes.toString('hex'), `00000000` + `02` + `0274` + `02` + `00000002` + `0000` + `00` + `00` + `00`);
});
