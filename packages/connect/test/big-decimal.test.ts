import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BigDecimal } from '../src/data/big-decimal.js';

// Expected strings are Java's BigDecimal.toString()/toPlainString() results, and expected bytes
// Java's BigInteger.toByteArray() (minimal big-endian two's complement).

test('BigDecimal.parse keeps the scale as written', () => {
  assert.deepEqual(BigDecimal.parse('1.56'), new BigDecimal(156n, 2));
  assert.deepEqual(BigDecimal.parse('1.5600'), new BigDecimal(15600n, 4));
  assert.deepEqual(BigDecimal.parse('-0.001'), new BigDecimal(-1n, 3));
  assert.deepEqual(BigDecimal.parse('1E-7'), new BigDecimal(1n, 7));
  assert.deepEqual(BigDecimal.parse('1.5e+3'), new BigDecimal(15n, -2));
  assert.deepEqual(BigDecimal.parse('1.23456789123456789'), new BigDecimal(123456789123456789n, 17));
  assert.equal(BigDecimal.parse('1.56').equals(BigDecimal.parse('1.560')), false);
  assert.throws(() => BigDecimal.parse('1.2.3'), /Not a decimal number/);
  assert.throws(() => BigDecimal.parse(''), /Not a decimal number/);
});

test('BigDecimal.toString is Java’s: plain unless the scale is negative or the exponent below -6', () => {
  assert.equal(new BigDecimal(156n, 2).toString(), '1.56');
  assert.equal(new BigDecimal(15600n, 4).toString(), '1.5600');
  assert.equal(new BigDecimal(-5n, 3).toString(), '-0.005');
  assert.equal(new BigDecimal(1n, 6).toString(), '0.000001');
  assert.equal(new BigDecimal(1n, 7).toString(), '1E-7');
  assert.equal(new BigDecimal(123n, 10).toString(), '1.23E-8');
  assert.equal(new BigDecimal(156n, -2).toString(), '1.56E+4');
  assert.equal(new BigDecimal(1n, -3).toString(), '1E+3');
  assert.equal(new BigDecimal(0n, 2).toString(), '0.00');
  assert.equal(new BigDecimal(42n, 0).toString(), '42');
  assert.equal(new BigDecimal(156n, -2).toPlainString(), '15600');
  assert.equal(new BigDecimal(1n, 7).toPlainString(), '0.0000001');
});

test('BigDecimal two’s-complement bytes are BigInteger.toByteArray()', () => {
  const hex = (n: bigint) => new BigDecimal(n, 0).toTwosComplement().toString('hex');
  assert.equal(hex(0n), '00');
  assert.equal(hex(1n), '01');
  assert.equal(hex(127n), '7f');
  assert.equal(hex(128n), '0080');
  assert.equal(hex(156n), '009c');
  assert.equal(hex(255n), '00ff');
  assert.equal(hex(256n), '0100');
  assert.equal(hex(-1n), 'ff');
  assert.equal(hex(-128n), '80');
  assert.equal(hex(-129n), 'ff7f');
  assert.equal(hex(-156n), 'ff64');
  assert.equal(hex(2n ** 63n), '008000000000000000');
  for (const n of [0n, 1n, -1n, 156n, -156n, 2n ** 100n + 7n, -(2n ** 100n), 123456789123456789n]) {
    const back = BigDecimal.fromTwosComplement(new BigDecimal(n, 3).toTwosComplement(), 3);
    assert.deepEqual(back, new BigDecimal(n, 3));
  }
});

test('BigDecimal.setScale rescales exactly or refuses to round', () => {
  assert.deepEqual(new BigDecimal(156n, 2).setScale(4), new BigDecimal(15600n, 4));
  assert.deepEqual(new BigDecimal(15600n, 4).setScale(2), new BigDecimal(156n, 2));
  assert.throws(() => new BigDecimal(156n, 2).setScale(1), /Rounding necessary/);
  assert.equal(BigDecimal.fromNumber(0.1).toString(), '0.1');
  assert.equal(new BigDecimal(156n, 2).toNumber(), 1.56);
});
