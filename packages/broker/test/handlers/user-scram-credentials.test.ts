import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  type AlterUserScramCredentialsResponse,
  ApiKey,
  apiCodec,
  createScramCredential,
  type DescribeUserScramCredentialsResponse,
  decodeResponse,
  ErrorCode,
  encodeRequest,
  SCRAM_MECHANISMS,
  scramSaltedPassword,
} from '@samsa/protocol';
import type { BrokerServices } from '../../src/broker-services.js';
import { silentLogger } from '../../src/create-logger.js';
import { createHandlerRegistry } from '../../src/handlers/index.js';
import { BufferPool } from '../../src/memory/buffer-pool.js';
import { RequestDispatcher } from '../../src/network/request-dispatcher.js';
import { InMemoryScramCredentialStore } from '../../src/security/scram-credential-store.js';
import { testConnection } from '../support/test-connection.js';

const info = testConnection();

/** Sends one request through the dispatcher, bytes in and bytes out, as a client would. */
async function roundTrip<T>(services: Partial<BrokerServices>, apiKey: number, body: unknown): Promise<T> {
  const api = apiCodec(apiKey);
  assert.ok(api);
  const dispatcher = new RequestDispatcher(
    createHandlerRegistry(),
    // Descriptors, not a spread: a test's services may be getters that throw when used.
    Object.defineProperties({ logger: silentLogger() }, Object.getOwnPropertyDescriptors(services)) as BrokerServices,
    new BufferPool(),
    silentLogger(),
  );
  const frame = Buffer.concat(encodeRequest(api, 0, 3, 'test', body)).subarray(4);
  const result = await dispatcher.handle(frame, info).response;
  assert.ok(Array.isArray(result), 'a response, not a closed connection');
  return decodeResponse(api, 0, Buffer.concat(result).subarray(4)).body as T;
}

describe('Describe/AlterUserScramCredentials handlers', () => {
  test('are registered at version 0, so ApiVersions advertises them', () => {
    const versions = createHandlerRegistry().apiVersions();
    for (const apiKey of [ApiKey.DescribeUserScramCredentials, ApiKey.AlterUserScramCredentials]) {
      assert.deepEqual(
        versions.find((v) => v.apiKey === apiKey),
        { apiKey, minVersion: 0, maxVersion: 0 },
      );
    }
  });

  test('alter then describe over the wire', async () => {
    const scramCredentials = new InMemoryScramCredentialStore();
    const salt = randomBytes(24);
    const altered = await roundTrip<AlterUserScramCredentialsResponse>(
      { scramCredentials },
      ApiKey.AlterUserScramCredentials,
      {
        deletions: [{ name: 'bob', mechanism: SCRAM_MECHANISMS['SCRAM-SHA-256'].type }],
        upsertions: [
          {
            name: 'alice',
            mechanism: SCRAM_MECHANISMS['SCRAM-SHA-256'].type,
            iterations: 8192,
            salt,
            saltedPassword: scramSaltedPassword('SCRAM-SHA-256', 'alice-secret', salt, 8192),
          },
        ],
      },
    );
    assert.deepEqual(
      altered.results.map((r) => [r.user, r.errorCode]),
      [
        ['bob', ErrorCode.RESOURCE_NOT_FOUND],
        ['alice', ErrorCode.NONE],
      ],
    );
    assert.deepEqual(
      scramCredentials.credential('alice', 'SCRAM-SHA-256'),
      createScramCredential('SCRAM-SHA-256', 'alice-secret', 8192, salt),
    );
    const described = await roundTrip<DescribeUserScramCredentialsResponse>(
      { scramCredentials },
      ApiKey.DescribeUserScramCredentials,
      { users: null },
    );
    assert.equal(described.errorCode, ErrorCode.NONE);
    assert.deepEqual(
      described.results.map((r) => [r.user, r.errorCode, r.credentialInfos.map((c) => [c.mechanism, c.iterations])]),
      [['alice', ErrorCode.NONE, [[SCRAM_MECHANISMS['SCRAM-SHA-256'].type, 8192]]]],
    );
  });

  test('a failed Alter answers the error on every user named, once each, sorted (no top-level error code)', async () => {
    // Store failures are per user (see scram-credential-admin.test.ts); only the handler itself
    // failing reaches errorResponse.
    const services = {
      get scramCredentials(): never {
        throw new Error('broker not started');
      },
    } as unknown as Partial<BrokerServices>;
    const response = await roundTrip<AlterUserScramCredentialsResponse>(services, ApiKey.AlterUserScramCredentials, {
      deletions: [{ name: 'zed', mechanism: 1 }],
      upsertions: [
        { name: 'bob', mechanism: 1, iterations: 4096, salt: Buffer.alloc(1), saltedPassword: Buffer.alloc(32) },
        { name: 'zed', mechanism: 2, iterations: 4096, salt: Buffer.alloc(1), saltedPassword: Buffer.alloc(64) },
      ],
    });
    assert.deepEqual(
      response.results.map((r) => [r.user, r.errorCode]),
      [
        ['bob', ErrorCode.UNKNOWN_SERVER_ERROR],
        ['zed', ErrorCode.UNKNOWN_SERVER_ERROR],
      ],
    );
  });
});
