import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConsoleConfigError, parseConsoleConfig } from '../../src/config/console-config.js';
import { verifyPassword } from '../../src/security/password-hash.js';

const HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const EXAMPLE = fileURLToPath(new URL('../../../../../config/console.yaml', import.meta.url));

test('a full config: clusters with client properties from the environment, users, read-only, audit, session', () => {
  const config = parseConsoleConfig(
    [
      'readOnly: true',
      'audit: { topic: my-audit }',
      'session: { idleTimeoutMinutes: 5, maxAgeMinutes: 60, secureCookie: true }',
      'clusters:',
      '  - name: prod',
      '    bootstrapServers: a:9092,b:9092',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config file's own ${env:NAME} syntax
      '    properties: { security.protocol: SASL_SSL, sasl.mechanism: PLAIN, sasl.password: "${env:PW}" }',
      '  - { name: dev, bootstrapServers: "127.0.0.1:9092", metricsPort: 9404 }',
      'users:',
      `  - { name: alice, role: admin, passwordHash: "${HASH}" }`,
    ].join('\n'),
    { PW: 'hunter2' },
  );
  assert.deepEqual(config, {
    clusters: [
      {
        name: 'prod',
        bootstrapServers: 'a:9092,b:9092',
        properties: { 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.password': 'hunter2' },
      },
      { name: 'dev', bootstrapServers: '127.0.0.1:9092', metricsPort: 9404 },
    ],
    users: [{ name: 'alice', role: 'admin', passwordHash: HASH }],
    readOnly: true,
    auditTopic: 'my-audit',
    session: { idleTimeoutMinutes: 5, maxAgeMinutes: 60, secureCookie: true },
  });
});

test('the shipped example parses and its example hashes are of the documented passwords', async () => {
  const text = readFileSync(EXAMPLE, 'utf8');
  const config = parseConsoleConfig(text, {});
  assert.deepEqual(config.clusters, [{ name: 'local', bootstrapServers: '127.0.0.1:9092', metricsPort: 9404 }]);
  assert.deepEqual(config.users, []);
  const hashes = [...text.matchAll(/passwordHash: (\S+)/g)].map((m) => m[1] as string);
  assert.equal(hashes.length, 2);
  assert.equal(await verifyPassword('viewer-pw', hashes[0] as string), true);
  assert.equal(await verifyPassword('admin-pw', hashes[1] as string), true);
});

test('a malformed config is refused with an error naming the key', () => {
  const cluster = 'clusters: [{ name: a, bootstrapServers: "h:1" }]';
  const cases: [string, string][] = [
    ['clusters: []', 'clusters'],
    ['clusters: [{ name: a }]', 'clusters[0].bootstrapServers'],
    ['clusters: [{ name: "a b", bootstrapServers: "h:1" }]', 'clusters[0].name'],
    ['clusters: [{ name: a, bootstrapServers: "h:1" }, { name: a, bootstrapServers: "h:2" }]', 'clusters[1].name'],
    ['clusters: [{ name: a, bootstrapServers: "h:1", propertys: {} }]', 'clusters[0].propertys'],
    ['clusters: [{ name: a, bootstrapServers: "h:1", metricsPort: 70000 }]', 'clusters[0].metricsPort'],
    ['clusters: [{ name: a, bootstrapServers: "h:1", metricsPort: "9404" }]', 'clusters[0].metricsPort'],
    [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config file's own ${env:NAME} syntax
      'clusters: [{ name: a, bootstrapServers: "h:1", properties: { sasl.password: "${env:NOPE}" } }]',
      'clusters[0].properties.sasl.password',
    ],
    [`${cluster}\nusers: [{ name: bob, role: root, passwordHash: "${HASH}" }]`, 'users[0].role'],
    [`${cluster}\nusers: [{ name: bob, role: viewer, passwordHash: plaintext }]`, 'users[0].passwordHash'],
    [`${cluster}\nreadOnly: "yes"`, 'readOnly'],
    [`${cluster}\nsession: { idleTimeoutMinutes: 0 }`, 'session.idleTimeoutMinutes'],
    [`${cluster}\naudit: { topic: "bad topic" }`, 'audit.topic'],
    [`${cluster}\nreadonly: true`, 'readonly'],
    ['clusters: [', '(file)'],
  ];
  for (const [text, key] of cases) {
    assert.throws(
      () => parseConsoleConfig(text, {}),
      (e: unknown) => e instanceof ConsoleConfigError && e.key === key && e.message.includes(key),
      `${key} for ${text}`,
    );
  }
});
