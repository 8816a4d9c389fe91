/**
 * The SCRAM primitives against RFC 7677's SCRAM-SHA-256 example (section 3), Kafka's text form of
 * a stored credential, and RFC 5802's saslname escaping.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  constantTimeEqual,
  createScramCredential,
  decodeSaslName,
  encodeSaslName,
  formatScramCredential,
  isScramMechanism,
  parseScramAttributes,
  parseScramCredential,
  scramClientKey,
  scramHash,
  scramHmac,
  scramMechanismOfType,
  scramSaltedPassword,
  scramServerKey,
  xorBytes,
} from '../../src/sasl/scram.js';

// RFC 7677 section 3.
const SALT = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
const AUTH_MESSAGE =
  'n=user,r=rOprNGfwEbeRWgbNEkqO,' +
  'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,' +
  'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
const CLIENT_PROOF = 'dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
const SERVER_SIGNATURE = '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';

describe('SCRAM primitives: RFC 7677 SCRAM-SHA-256 example', () => {
  const salted = scramSaltedPassword('SCRAM-SHA-256', 'pencil', SALT, 4096);
  const clientKey = scramClientKey('SCRAM-SHA-256', salted);
  const storedKey = scramHash('SCRAM-SHA-256', clientKey);
  const serverKey = scramServerKey('SCRAM-SHA-256', salted);

  test('ClientKey XOR HMAC(StoredKey, AuthMessage) is the client proof of the example', () => {
    const clientSignature = scramHmac('SCRAM-SHA-256', storedKey, AUTH_MESSAGE);
    assert.equal(xorBytes(clientKey, clientSignature).toString('base64'), CLIENT_PROOF);
  });

  test('HMAC(ServerKey, AuthMessage) is the server signature of the example', () => {
    assert.equal(scramHmac('SCRAM-SHA-256', serverKey, AUTH_MESSAGE).toString('base64'), SERVER_SIGNATURE);
  });

  test('the stored credential holds the same keys, and a server can verify the proof with it alone', () => {
    const credential = createScramCredential('SCRAM-SHA-256', 'pencil', 4096, SALT);
    assert.deepEqual(credential.storedKey, storedKey);
    assert.deepEqual(credential.serverKey, serverKey);
    const clientSignature = scramHmac('SCRAM-SHA-256', credential.storedKey, AUTH_MESSAGE);
    const recoveredClientKey = xorBytes(Buffer.from(CLIENT_PROOF, 'base64'), clientSignature);
    assert.ok(constantTimeEqual(scramHash('SCRAM-SHA-256', recoveredClientKey), credential.storedKey));
  });

  test('another password gives another proof', () => {
    const other = scramClientKey('SCRAM-SHA-256', scramSaltedPassword('SCRAM-SHA-256', 'pencil2', SALT, 4096));
    const signature = scramHmac('SCRAM-SHA-256', scramHash('SCRAM-SHA-256', other), AUTH_MESSAGE);
    assert.notEqual(xorBytes(other, signature).toString('base64'), CLIENT_PROOF);
  });

  test('SCRAM-SHA-512 keys are 64 bytes', () => {
    const credential = createScramCredential('SCRAM-SHA-512', 'pencil', 4096, SALT);
    assert.equal(credential.storedKey.length, 64);
    assert.equal(credential.serverKey.length, 64);
  });

  test('xor of buffers of different lengths is refused; constantTimeEqual of different lengths is false', () => {
    assert.throws(() => xorBytes(Buffer.alloc(2), Buffer.alloc(3)));
    assert.equal(constantTimeEqual(Buffer.alloc(2), Buffer.alloc(3)), false);
  });
});

describe('SCRAM mechanisms', () => {
  test("Kafka's numeric types: 1 is SCRAM-SHA-256, 2 is SCRAM-SHA-512", () => {
    assert.equal(scramMechanismOfType(1), 'SCRAM-SHA-256');
    assert.equal(scramMechanismOfType(2), 'SCRAM-SHA-512');
    assert.equal(scramMechanismOfType(0), undefined);
    assert.equal(scramMechanismOfType(3), undefined);
  });

  test('isScramMechanism knows only the two mechanisms (not inherited property names)', () => {
    assert.equal(isScramMechanism('SCRAM-SHA-256'), true);
    assert.equal(isScramMechanism('SCRAM-SHA-512'), true);
    assert.equal(isScramMechanism('PLAIN'), false);
    assert.equal(isScramMechanism('scram-sha-256'), false);
    assert.equal(isScramMechanism('toString'), false);
  });
});

describe("SCRAM credential text (ZooKeeper's /config/users/<user>)", () => {
  test('format then parse gives back the credential', () => {
    const credential = createScramCredential('SCRAM-SHA-512', 'secret', 8192);
    const text = formatScramCredential(credential);
    assert.match(text, /^salt=[^,]+,stored_key=[^,]+,server_key=[^,]+,iterations=8192$/);
    assert.deepEqual(parseScramCredential(text), credential);
  });

  test("Kafka's form with the fields in another order parses", () => {
    const credential = createScramCredential('SCRAM-SHA-256', 'secret', 4096, SALT);
    const text = [
      'iterations=4096',
      `server_key=${credential.serverKey.toString('base64')}`,
      `salt=${SALT.toString('base64')}`,
      `stored_key=${credential.storedKey.toString('base64')}`,
    ].join(',');
    assert.deepEqual(parseScramCredential(text), credential);
  });

  test('malformed credentials are refused', () => {
    const good = formatScramCredential(createScramCredential('SCRAM-SHA-256', 'secret', 4096, SALT));
    const without = (field: string) =>
      good
        .split(',')
        .filter((p) => !p.startsWith(`${field}=`))
        .join(',');
    for (const text of [
      '',
      'garbage',
      without('salt'),
      without('stored_key'),
      without('server_key'),
      without('iterations'),
      good.replace('iterations=4096', 'iterations=many'),
      good.replace('iterations=4096', 'iterations='),
      good.replace('iterations=4096', 'iterations=40.5'),
    ]) {
      assert.throws(() => parseScramCredential(text), /invalid SCRAM credential/, text);
    }
  });
});

describe('SCRAM attributes and saslname', () => {
  test('attribute values may contain "="; a part without x= form makes the message malformed', () => {
    assert.deepEqual(
      parseScramAttributes('r=abc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'),
      new Map([
        ['r', 'abc'],
        ['s', 'W22ZaJ0SNY7soEsUEjb6gQ=='],
        ['i', '4096'],
      ]),
    );
    assert.equal(parseScramAttributes('r=abc,junk'), undefined);
    assert.equal(parseScramAttributes('=abc'), undefined);
    assert.equal(parseScramAttributes(''), undefined);
  });

  test("Kafka's extensions (tokenauth=true) are attributes with longer names", () => {
    assert.equal(parseScramAttributes('n=user,r=abc,tokenauth=true')?.get('tokenauth'), 'true');
  });

  test('"=" and "," are escaped as =3D and =2C', () => {
    assert.equal(encodeSaslName('plain'), 'plain');
    assert.equal(encodeSaslName('a=b,c'), 'a=3Db=2Cc');
    assert.equal(decodeSaslName('a=3Db=2Cc'), 'a=b,c');
    // An escaped escape is not unescaped twice.
    assert.equal(encodeSaslName('=2C'), '=3D2C');
    assert.equal(decodeSaslName('=3D2C'), '=2C');
  });

  test('an "=" that does not start an escape is refused', () => {
    for (const text of ['a=b', '=', '=3', '=2c', 'x=41']) assert.equal(decodeSaslName(text), undefined, text);
  });

  test('decode(encode(name)) is the name, for names made of the special characters', () => {
    const alphabet = ['=', ',', '3', 'D', '2', 'C', 'a'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let i = 0; i < 2000; i++) {
      let name = '';
      for (let n = next() % 8; n > 0; n--) name += alphabet[next() % alphabet.length];
      const encoded = encodeSaslName(name);
      assert.ok(!encoded.includes(','), encoded);
      assert.equal(decodeSaslName(encoded), name);
    }
  });
});
