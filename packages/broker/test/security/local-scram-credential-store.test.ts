import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createScramCredential, ErrorCode, KafkaError, parseScramCredential } from '@samsa/protocol';
import { LocalController } from '../../src/controller/local-controller.js';
import { silentLogger } from '../../src/create-logger.js';
import { type LocalMetadata, LocalMetadataStore } from '../../src/metadata/local-metadata-store.js';
import { LocalScramCredentialStore } from '../../src/security/local-scram-credential-store.js';

/** A single node's controller and file, as SingleNodeMembership wires them for SCRAM users. */
function open(dir: string, store = new LocalMetadataStore(dir)) {
  const state: LocalMetadata = store.load() ?? {
    version: 1,
    clusterId: 'c',
    topics: [],
    brokerConfigs: {},
    nextProducerIdBlockStart: 0,
  };
  // updateMetadata touches only the file and the state: the rest of the controller is not needed.
  const controller = new LocalController(
    undefined as never,
    undefined as never,
    store,
    state,
    undefined as never,
    undefined as never,
  );
  const credentials = new LocalScramCredentialStore(
    state.scramCredentials,
    (change) => controller.updateMetadata(change),
    silentLogger(),
  );
  return { state, credentials, file: store.path };
}

describe('LocalScramCredentialStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'samsa-scram-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("saves credentials in the metadata file in Kafka's text form, and a restart reads them back", async () => {
    const { credentials, file } = open(dir);
    const credential = createScramCredential('SCRAM-SHA-256', 'alice-secret', 8192);
    await credentials.alterUser('alice', () => new Map([['SCRAM-SHA-256', credential]]));
    assert.deepEqual(credentials.credential('alice', 'SCRAM-SHA-256'), credential);

    const saved = JSON.parse(readFileSync(file, 'utf8')) as LocalMetadata;
    const text = saved.scramCredentials?.alice?.['SCRAM-SHA-256'];
    assert.match(text ?? '', /^salt=[^,]+,stored_key=[^,]+,server_key=[^,]+,iterations=8192$/);
    assert.deepEqual(parseScramCredential(text as string), credential);

    const restarted = open(dir);
    assert.deepEqual(restarted.credentials.credential('alice', 'SCRAM-SHA-256'), credential);
    assert.deepEqual([...(await restarted.credentials.describeUsers(null)).keys()], ['alice']);
  });

  test('concurrent alterations of one user both survive: each starts from the file as the previous left it', async () => {
    const { credentials } = open(dir);
    const sha256 = createScramCredential('SCRAM-SHA-256', 'a', 4096);
    const sha512 = createScramCredential('SCRAM-SHA-512', 'a', 4096);
    await Promise.all([
      credentials.alterUser('alice', (current) => new Map([...current, ['SCRAM-SHA-256', sha256]])),
      credentials.alterUser('alice', (current) => new Map([...current, ['SCRAM-SHA-512', sha512]])),
    ]);
    const restarted = open(dir);
    assert.deepEqual(restarted.credentials.credential('alice', 'SCRAM-SHA-256'), sha256);
    assert.deepEqual(restarted.credentials.credential('alice', 'SCRAM-SHA-512'), sha512);
  });

  test("a refused change saves nothing; the user's other configs are kept; an emptied user is removed", async () => {
    const { credentials, state, file } = open(dir);
    await credentials.alterUser(
      'alice',
      () => new Map([['SCRAM-SHA-256', createScramCredential('SCRAM-SHA-256', 'a', 4096)]]),
    );
    await assert.rejects(
      credentials.alterUser('alice', () => {
        throw new KafkaError(ErrorCode.RESOURCE_NOT_FOUND);
      }),
      { errorCode: ErrorCode.RESOURCE_NOT_FOUND },
    );
    assert.ok(credentials.credential('alice', 'SCRAM-SHA-256'));

    // A quota set by another tool sits beside the credentials and outlives them.
    state.scramCredentials = { alice: { ...state.scramCredentials?.alice, producer_byte_rate: '1024' } };
    await credentials.alterUser('alice', () => new Map());
    assert.equal(credentials.credential('alice', 'SCRAM-SHA-256'), undefined);
    assert.deepEqual((JSON.parse(readFileSync(file, 'utf8')) as LocalMetadata).scramCredentials, {
      alice: { producer_byte_rate: '1024' },
    });
    await credentials.alterUser(
      'bob',
      () => new Map([['SCRAM-SHA-512', createScramCredential('SCRAM-SHA-512', 'b', 4096)]]),
    );
    await credentials.alterUser('bob', () => new Map());
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as LocalMetadata).scramCredentials?.bob, undefined);
  });

  test('a failed save changes neither the file nor memory', async () => {
    let failing = false;
    const store = new (class extends LocalMetadataStore {
      override save(metadata: LocalMetadata): Promise<void> {
        return failing ? Promise.reject(new Error('disk full')) : super.save(metadata);
      }
    })(dir);
    const { credentials, state } = open(dir, store);
    await credentials.alterUser(
      'alice',
      () => new Map([['SCRAM-SHA-256', createScramCredential('SCRAM-SHA-256', 'a', 4096)]]),
    );
    failing = true;
    await assert.rejects(
      credentials.alterUser(
        'bob',
        () => new Map([['SCRAM-SHA-256', createScramCredential('SCRAM-SHA-256', 'b', 4096)]]),
      ),
      /disk full/,
    );
    assert.equal(credentials.credential('bob', 'SCRAM-SHA-256'), undefined);
    assert.deepEqual(Object.keys(state.scramCredentials ?? {}), ['alice']);
    failing = false;
    await credentials.alterUser(
      'carol',
      () => new Map([['SCRAM-SHA-256', createScramCredential('SCRAM-SHA-256', 'c', 4096)]]),
    );
    assert.deepEqual([...(await open(dir).credentials.describeUsers(null)).keys()].sort(), ['alice', 'carol']);
  });
});
