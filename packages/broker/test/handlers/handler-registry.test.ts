import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiKey } from '@samsa/protocol';
import { defineHandler } from '../../src/handlers/handler.js';
import { HandlerRegistry } from '../../src/handlers/handler-registry.js';
import { createHandlerRegistry } from '../../src/handlers/index.js';

describe('HandlerRegistry', () => {
  test("refuses a handler whose versions reach outside its codec's", () => {
    const tooNew = defineHandler({ apiKey: ApiKey.Heartbeat, minVersion: 0, maxVersion: 99, handle: () => ({}) });
    assert.throws(
      () => new HandlerRegistry().register(tooNew),
      /Heartbeat handler serves versions 0-99, outside its codec's 0-4/,
    );
    const inverted = defineHandler({ apiKey: ApiKey.Heartbeat, minVersion: 3, maxVersion: 1, handle: () => ({}) });
    assert.throws(() => new HandlerRegistry().register(inverted), /outside its codec's/);
  });

  test('refuses a handler for a version without a top-level error code unless it has errorResponse', () => {
    const bare = defineHandler({ apiKey: ApiKey.Metadata, minVersion: 0, maxVersion: 12, handle: () => ({}) });
    assert.throws(() => new HandlerRegistry().register(bare), /Metadata v0 responses have no top-level error code/);
    const answered = defineHandler({
      apiKey: ApiKey.Metadata,
      minVersion: 0,
      maxVersion: 12,
      handle: () => ({}),
      errorResponse: () => ({}),
    });
    assert.doesNotThrow(() => new HandlerRegistry().register(answered));
    // Fetch v7+ carries a top-level error code: no errorResponse needed there.
    const fetch = defineHandler({ apiKey: ApiKey.Fetch, minVersion: 7, maxVersion: 17, handle: () => ({}) });
    assert.doesNotThrow(() => new HandlerRegistry().register(fetch));
  });

  test('refuses the same API twice', () => {
    const h = defineHandler({ apiKey: ApiKey.Heartbeat, minVersion: 0, maxVersion: 4, handle: () => ({}) });
    assert.throws(() => new HandlerRegistry().register(h).register(h), /registered twice/);
  });

  test("the broker's registry: only Produce is pipelined, and every handler passes the checks", () => {
    const registry = createHandlerRegistry();
    const pipelined = registry.apiVersions().filter((v) => registry.isPipelined(v.apiKey));
    assert.deepEqual(
      pipelined.map((v) => v.apiKey),
      [ApiKey.Produce],
    );
  });
});
