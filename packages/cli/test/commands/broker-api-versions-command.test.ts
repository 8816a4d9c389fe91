import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiKey, GENERATED_APIS } from '@samsa/protocol';
import { formatNodeApiVersions } from '../../src/commands/broker-api-versions-command.js';

test("formatNodeApiVersions: NodeApiVersions.toString(true)'s layout and usable versions", () => {
  const text = formatNodeApiVersions(
    new Map([
      [ApiKey.Produce, { min: 3, max: 13 }],
      [ApiKey.Fetch, { min: 13, max: 17 }],
      [ApiKey.OffsetDelete, { min: 0, max: 0 }],
      [999, { min: 0, max: 2 }],
    ]),
  );
  const lines = text.split('\n');
  assert.equal(lines[0], '(');
  assert.equal(lines.at(-1), ')');
  // Samsa's client sends Produce up to v11 and Fetch up to v12.
  assert.equal(lines[1], '\tProduce(0): 3 to 13 [usable: 11],');
  assert.equal(lines[2], '\tFetch(1): 13 to 17 [unusable: node too new],');
  assert.equal(lines[3], '\tListOffsets(2): UNSUPPORTED,');
  assert.ok(lines.includes('\tOffsetDelete(47): 0 [usable: 0],'));
  assert.equal(lines.at(-2), '\tUNKNOWN(999): 0 to 2');
  assert.equal(lines.length, GENERATED_APIS.length + 3);
});
