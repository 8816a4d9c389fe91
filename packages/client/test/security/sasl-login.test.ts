import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommonConfig } from '../../src/config/client-config.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { ConfigError } from '../../src/errors/client-errors.js';
import { Producer } from '../../src/producer/producer.js';
import { clientSecurityOf } from '../../src/security/client-security.js';
import { plainToken } from '../../src/security/plain-sasl-client.js';
import type { SaslLogin } from '../../src/security/sasl-login.js';

function loginOf(settings: Record<string, unknown>): SaslLogin {
  const config = resolveConfig('producer', {
    'bootstrap.servers': 'localhost:9092',
    'security.protocol': 'SASL_PLAINTEXT',
    ...settings,
  }) as unknown as CommonConfig;
  const login = clientSecurityOf(config)?.sasl;
  assert.ok(login !== undefined);
  return login;
}

/** A ConfigError naming `key`, whose message matches `pattern`. */
const configError = (key: string, pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof ConfigError, String(error));
  assert.equal(error.key, key);
  assert.match(error.message, pattern);
  return true;
};

const PLAIN_JAAS =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="alice-secret";';

describe('saslLoginOf (sasl.jaas.config, sasl.username/password, token provider)', () => {
  it("reads Java's PlainLoginModule JAAS line; PLAIN is the default mechanism, as in Java", async () => {
    const login = loginOf({ 'sasl.jaas.config': PLAIN_JAAS });
    assert.equal(login.mechanism, 'PLAIN');
    assert.equal(login.principalName, 'alice');
    assert.deepEqual(await login.newClient().initialResponse(), plainToken('alice', 'alice-secret'));
  });

  it('reads ScramLoginModule, bare values, escaped quotes, and line breaks between options', async () => {
    const login = loginOf({
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.jaas.config':
        'org.apache.kafka.common.security.scram.ScramLoginModule required\n  username=bob\n  password="p\\"w;d";',
    });
    assert.equal(login.mechanism, 'SCRAM-SHA-512');
    assert.equal(login.principalName, 'bob');
    assert.match((await login.newClient().initialResponse()).toString(), /^n,,n=bob,r=/);
  });

  it("takes librdkafka's sasl.username and sasl.password", async () => {
    const login = loginOf({ 'sasl.mechanism': 'SCRAM-SHA-256', 'sasl.username': 'carol', 'sasl.password': 's' });
    assert.equal(login.principalName, 'carol');
    const plain = loginOf({ 'sasl.username': 'carol', 'sasl.password': 's' });
    assert.deepEqual(await plain.newClient().initialResponse(), plainToken('carol', 's'));
  });

  it('builds unsecured OAUTHBEARER tokens from OAuthBearerLoginModule options', async () => {
    const login = loginOf({
      'sasl.mechanism': 'OAUTHBEARER',
      'sasl.jaas.config':
        'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="alice";',
    });
    assert.equal(login.principalName, 'alice');
    const token = (await login.newClient().initialResponse()).toString();
    const [gs2, auth, ...rest] = token.split('\x01');
    assert.equal(gs2, 'n,,');
    assert.match(auth ?? '', /^auth=Bearer eyJhbGciOiJub25lIn0\.[A-Za-z0-9_-]+\.$/);
    assert.deepEqual(rest, ['', '']);
  });

  it('prefers a programmatic token provider (camelCase only)', async () => {
    const login = loginOf({
      'sasl.mechanism': 'OAUTHBEARER',
      oauthBearerTokenProvider: async () => ({ value: 'abc' }),
    });
    assert.equal((await login.newClient().initialResponse()).toString(), 'n,,\x01auth=Bearer abc\x01\x01');
  });

  it('fails at construction, naming the key, for malformed or incomplete JAAS', () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [
        { 'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="a"' },
        'sasl.jaas.config',
        /missing ";"/,
      ],
      [{ 'sasl.jaas.config': 'PlainLoginModule username="a" password="b";' }, 'sasl.jaas.config', /control flag/],
      [
        { 'sasl.jaas.config': 'PlainLoginModule required username="a password="b";' },
        'sasl.jaas.config',
        /key=value|unterminated|missing/,
      ],
      [
        { 'sasl.jaas.config': 'PlainLoginModule required username="a";' },
        'sasl.jaas.config',
        /username="..." and password/,
      ],
      [{ 'sasl.jaas.config': `${PLAIN_JAAS} ${PLAIN_JAAS}` }, 'sasl.jaas.config', /2 login modules/],
      [
        { 'sasl.jaas.config': 'com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true;' },
        'sasl.jaas.config',
        /needs org\.apache\.kafka\.common\.security\.plain\.PlainLoginModule/,
      ],
      [{}, 'sasl.jaas.config', /needs credentials/],
      [{ 'sasl.username': 'a' }, 'sasl.password', /required/],
      [{ 'sasl.jaas.config': PLAIN_JAAS, 'sasl.username': 'a' }, 'sasl.username', /either/],
      [{ 'sasl.mechanism': 'GSSAPI' }, 'sasl.mechanism', /PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER/],
      [{ 'sasl.mechanism': 'OAUTHBEARER' }, 'sasl.jaas.config', /token/],
      [
        { 'sasl.mechanism': 'OAUTHBEARER', 'sasl.jaas.config': PLAIN_JAAS },
        'sasl.jaas.config',
        /OAuthBearerLoginModule/,
      ],
      [
        {
          'sasl.mechanism': 'OAUTHBEARER',
          'sasl.jaas.config': 'OAuthBearerLoginModule required unsecuredLoginStringClaim_name="x";',
        },
        'sasl.jaas.config',
        /principal/,
      ],
    ];
    for (const [settings, key, pattern] of cases) {
      assert.throws(() => loginOf(settings), configError(key, pattern), JSON.stringify(settings));
    }
  });

  it('never puts the password in an error message', () => {
    try {
      loginOf({ 'sasl.jaas.config': 'PlainLoginModule required password="hunter2"' });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.doesNotMatch(error.message, /hunter2/);
    }
  });

  it('checks SASL settings in the client constructor, and ignores them for PLAINTEXT', () => {
    assert.throws(
      () => new Producer({ 'bootstrap.servers': 'localhost:9092', 'security.protocol': 'SASL_SSL' }),
      configError('sasl.jaas.config', /needs credentials/),
    );
    const config = resolveConfig('producer', {
      'bootstrap.servers': 'localhost:9092',
      'sasl.jaas.config': 'not parsed for PLAINTEXT',
    }) as unknown as CommonConfig;
    assert.equal(clientSecurityOf(config), undefined);
  });
});
