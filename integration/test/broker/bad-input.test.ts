/**
 * Hostile and broken input on the wire. Each case must close (or answer) that connection as
 * Kafka does, while the broker keeps serving other clients and its memory stays bounded.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ApiVersionsApi, decodeResponse, ErrorCode, encodeRequest, MetadataApi } from '@samsa/protocol';
import { BrokerProcess } from '@samsa/testkit';

interface Exchange {
  /** Bytes the broker sent back before closing (or before the timeout). */
  readonly received: Buffer;
  readonly closed: boolean;
}

/** Sends bytes on a fresh connection; collects the reply until the broker closes or `waitMs` passes. */
function exchange(port: number, bytes: Buffer | Buffer[], waitMs = 1500): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket: Socket = connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ received: Buffer.concat(chunks), closed: false });
    }, waitMs);
    socket.on('connect', () => {
      for (const b of Array.isArray(bytes) ? bytes : [bytes]) socket.write(b);
    });
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received: Buffer.concat(chunks), closed: true });
    });
    socket.on('error', reject);
  });
}

function frame(body: Buffer, declaredSize = body.length): Buffer {
  const head = Buffer.alloc(4);
  head.writeInt32BE(declaredSize);
  return Buffer.concat([head, body]);
}

/** A request header v1 for `apiKey`/`version`, followed by `body`. */
function request(apiKey: number, version: number, body: Buffer): Buffer {
  const header = Buffer.alloc(10);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(version, 2);
  header.writeInt32BE(42, 4);
  header.writeInt16BE(-1, 8); // null client id
  return frame(Buffer.concat([header, body]));
}

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return kb * 1024;
}

describe('bad input on the wire', () => {
  let broker: BrokerProcess;
  before(async () => {
    broker = await BrokerProcess.start();
  });
  after(async () => {
    await broker?.close();
  });

  /** A well-formed Metadata request still works: the broker survived. */
  async function stillServing(): Promise<void> {
    const [req] = [Buffer.concat(encodeRequest(MetadataApi, 1, 7, 'probe', { topics: null }))];
    const reply = await exchange(broker.port, req as Buffer, 300);
    assert.ok(reply.received.length > 8, 'no Metadata response: the broker stopped serving');
    const body = decodeResponse(MetadataApi, 1, reply.received.subarray(4)).body as { brokers: unknown[] };
    assert.equal(body.brokers.length, 1);
  }

  test('a declared frame size of 2^31-1 closes the connection without allocating it', async () => {
    const before = rssBytes(broker.child.pid as number);
    const reply = await exchange(broker.port, frame(Buffer.alloc(16), 0x7fffffff));
    assert.equal(reply.closed, true);
    assert.equal(reply.received.length, 0);
    assert.ok(rssBytes(broker.child.pid as number) - before < 64 * 1024 * 1024, 'RSS grew by the declared size');
    await stillServing();
  });

  test('a negative frame size closes the connection', async () => {
    const reply = await exchange(broker.port, frame(Buffer.alloc(8), -5));
    assert.equal(reply.closed, true);
    await stillServing();
  });

  test('a TLS ClientHello on the plaintext port closes the connection', async () => {
    // The first bytes of a TLS 1.2 ClientHello record read as a frame size of 0x16030100…
    const hello = Buffer.from('160301020001000200030300000000000000000000000000000000000000000000000000', 'hex');
    const reply = await exchange(broker.port, hello);
    assert.equal(reply.closed, true);
    assert.equal(reply.received.length, 0);
    await stillServing();
  });

  test('garbage bytes in a well-sized frame close the connection', async () => {
    const garbage = Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 37 + 11) & 0xff));
    garbage.writeInt16BE(3, 0); // Metadata…
    garbage.writeInt16BE(9, 2); // …v9, flexible, so the garbage is read as compact lengths
    const reply = await exchange(broker.port, frame(garbage));
    assert.equal(reply.closed, true);
    await stillServing();
  });

  test('an array count far beyond the frame closes the connection, memory bounded', async () => {
    const before = rssBytes(broker.child.pid as number);
    const body = Buffer.alloc(8);
    body.writeInt32BE(0x7fffffff, 0); // Metadata v1 topics: 2^31-1 entries in an 8-byte body
    const reply = await exchange(broker.port, request(3, 1, body));
    assert.equal(reply.closed, true);
    assert.ok(rssBytes(broker.child.pid as number) - before < 64 * 1024 * 1024);
    await stillServing();
  });

  test('an unknown API key closes the connection', async () => {
    const reply = await exchange(broker.port, request(9999, 0, Buffer.alloc(0)));
    assert.equal(reply.closed, true);
    assert.equal(reply.received.length, 0);
    await stillServing();
  });

  test('ApiVersions at an unsupported version gets a v0 UNSUPPORTED_VERSION answer with the supported list', async () => {
    const reply = await exchange(broker.port, request(18, 99, Buffer.alloc(0)), 500);
    assert.ok(reply.received.length > 8);
    const { correlationId, body } = decodeResponse(ApiVersionsApi, 0, reply.received.subarray(4));
    assert.equal(correlationId, 42);
    const decoded = body as {
      errorCode: number;
      apiKeys: { apiKey: number; minVersion: number; maxVersion: number }[];
    };
    assert.equal(decoded.errorCode, ErrorCode.UNSUPPORTED_VERSION);
    const apiVersions = decoded.apiKeys.find((k) => k.apiKey === 18);
    assert.deepEqual(apiVersions, { apiKey: 18, minVersion: 0, maxVersion: 4 });
    assert.ok(decoded.apiKeys.some((k) => k.apiKey === 0 && k.minVersion === 0));
  });

  test('another API at an unsupported version closes the connection', async () => {
    const reply = await exchange(broker.port, request(3, 99, Buffer.alloc(0)));
    assert.equal(reply.closed, true);
    await stillServing();
  });

  test('many hostile connections at once leave the broker serving', async () => {
    const before = rssBytes(broker.child.pid as number);
    const attempts = [];
    for (let i = 0; i < 50; i++) {
      attempts.push(exchange(broker.port, frame(Buffer.alloc(4), 0x7ffffff0 - i), 500));
      attempts.push(exchange(broker.port, request(3, 1, Buffer.from([0x7f, 0xff, 0xff, 0xff])), 500));
    }
    const results = await Promise.all(attempts);
    assert.ok(results.every((r) => r.closed));
    assert.ok(rssBytes(broker.child.pid as number) - before < 64 * 1024 * 1024);
    await stillServing();
  });
});
