/**
 * Who owns a Produce request's frame, and when it goes back to the pool.
 *
 * The records of a Produce request are views of its frame, a buffer from the broker's pool. These
 * tests give the broker a pool that scribbles over every buffer returned to it (as reuse by the
 * next request would) and check that the logs still hold exactly the bytes that were sent, with
 * valid CRCs — also when the append happens after an `await`, and when several requests overlap
 * on one connection.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ApiKey,
  apiCodec,
  buildRecordBatch,
  decodeResponse,
  encodeRequest,
  FrameDecoder,
  iterateRecordBatches,
  type ProduceRequest,
  type ProduceResponse,
} from '@samsa/protocol';
import { LogManager, logConfig, SystemTime } from '@samsa/storage';
import type { BrokerServices } from '../../src/broker-services.js';
import { silentLogger } from '../../src/create-logger.js';
import { definePipelinedHandler, type PipelinedHandler } from '../../src/handlers/handler.js';
import { HandlerRegistry } from '../../src/handlers/handler-registry.js';
import { produceHandler } from '../../src/handlers/produce.js';
import { BufferPool } from '../../src/memory/buffer-pool.js';
import { ConnectionLimits } from '../../src/network/connection-limits.js';
import { RequestDispatcher } from '../../src/network/request-dispatcher.js';
import { SocketServer } from '../../src/network/socket-server.js';
import { ReplicaManager } from '../../src/replica/replica-manager.js';
import { testConnection } from '../support/test-connection.js';

const TOPIC = 'owned';
const PRODUCE = apiCodec(ApiKey.Produce);
if (PRODUCE === undefined) throw new Error('no Produce codec');

/** A pool that overwrites each buffer released to it, as the next request reusing it would. */
class ScribblingPool extends BufferPool {
  releases = 0;
  override release(buf: Uint8Array): void {
    if (this.owns(buf)) {
      this.releases++;
      new Uint8Array(buf.buffer).fill(0xee);
    }
    super.release(buf);
  }
}

/** A batch large enough (~100 KiB) that its frame comes from the pool. */
function bigBatch(tag: number): Buffer {
  const value = Buffer.alloc(100 * 1024, tag);
  return buildRecordBatch({ records: [{ key: Buffer.from(`key-${tag}`), value }] });
}

function produceFrame(correlationId: number, records: Buffer, pool: BufferPool): Buffer {
  const request: Partial<ProduceRequest> = {
    acks: 1,
    timeoutMs: 5000,
    topicData: [{ name: TOPIC, partitionData: [{ index: 0, records }] }],
  };
  const wire = Buffer.concat(encodeRequest(PRODUCE as never, 9, correlationId, 'test', request));
  const frame = pool.acquire(wire.length - 4);
  wire.copy(frame, 0, 4);
  return frame;
}

/** Yields to timers, so that a stage awaiting one really goes asynchronous. */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Produce, with an `await` before the append (what an authorizer or quota check would add). Later
 * requests wait less, so that without the connection's ordering they would append first.
 */
const slowProduce = definePipelinedHandler({
  ...(produceHandler as PipelinedHandler<ProduceRequest, unknown, unknown>),
  async stage(request, ctx) {
    await sleep(25 - (ctx.correlationId % 5) * 5);
    return produceHandler.stage(request, ctx);
  },
});

describe('produce frame ownership', () => {
  let dir: string;
  let logManager: LogManager;
  let replicaManager: ReplicaManager;
  let pool: ScribblingPool;
  const info = testConnection();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'samsa-frame-ownership-'));
    logManager = new LogManager({ logDirs: [dir], defaultConfig: logConfig(), time: SystemTime });
    await logManager.startup(() => logConfig());
    pool = new ScribblingPool();
    replicaManager = new ReplicaManager({ brokerId: 0, logManager, bufferPool: pool, logger: silentLogger() });
    await replicaManager.applyRegistration(
      TOPIC,
      'AAAAAAAAAAAAAAAAAAAAAA',
      { partition: 0, replicas: [0], isr: [0], leader: 0, leaderEpoch: 0, partitionEpoch: 0 },
      logConfig(),
    );
  });

  after(async () => {
    await logManager.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  function dispatcher(handler: PipelinedHandler<never, unknown, unknown>): RequestDispatcher {
    const services = { replicaManager } as unknown as BrokerServices;
    return new RequestDispatcher(new HandlerRegistry().register(handler), services, pool, silentLogger());
  }

  /** Every batch of the log from `from`, as stored. */
  async function storedBatches(from: number): Promise<Buffer[]> {
    const log = replicaManager.getPartition(TOPIC, 0)?.log;
    assert.ok(log);
    const data = await log.read(from, { maxBytes: 64 * 1024 * 1024, maxOffset: log.logEndOffset, minOneMessage: true });
    return [...iterateRecordBatches(data.records, { verifyCrc: true })].map((span) => Buffer.from(span.bytes));
  }

  /** A stored batch equals the sent one apart from the fields the broker assigns. */
  function assertSameRecords(stored: Buffer, sent: Buffer): void {
    assert.equal(stored.length, sent.length);
    // baseOffset (0-7) and partitionLeaderEpoch (12-15) are patched by the broker; the CRC covers
    // everything from the attributes (byte 21) on, and iterateRecordBatches verified it.
    assert.ok(stored.subarray(16).equals(sent.subarray(16)), 'stored bytes differ from the bytes sent');
  }

  test('the frame goes back to the pool exactly once, after the append, and the log keeps the bytes', async () => {
    const d = dispatcher(produceHandler as never);
    const sent = bigBatch(1);
    const frame = produceFrame(1, sent, pool);
    const releasesBefore = pool.releases;
    const start = replicaManager.getPartition(TOPIC, 0)?.log.logEndOffset ?? 0;
    const handling = d.handle(frame, info);
    // Whatever the caller does with the frame after handing it over cannot reach the log.
    frame.fill(0xaa);
    await handling.ordered;
    await handling.response;
    await sleep(0);
    assert.equal(pool.releases - releasesBefore, 1, 'released exactly once');
    const [stored] = await storedBatches(start);
    assert.ok(stored);
    assertSameRecords(stored, sent);
  });

  test('with an await before the append, the frame is held until the append and the data is intact', async () => {
    const d = dispatcher(slowProduce as never);
    const sent = bigBatch(2);
    const frame = produceFrame(2, sent, pool);
    const releasesBefore = pool.releases;
    const start = replicaManager.getPartition(TOPIC, 0)?.log.logEndOffset ?? 0;
    const handling = d.handle(frame, info);
    await sleep(5);
    assert.equal(pool.releases, releasesBefore, 'released before the append');
    const response = await handling.response;
    assert.ok(Array.isArray(response));
    const [stored] = await storedBatches(start);
    assert.ok(stored);
    assertSameRecords(stored, sent);
    assert.equal(pool.releases - releasesBefore, 1);
  });

  test('pipelined requests on one connection append in request order even when each stage awaits', async () => {
    const server = new SocketServer(
      [{ listenerName: 'PLAINTEXT', host: '127.0.0.1', port: 0, securityProtocol: 'PLAINTEXT' }],
      100 * 1024 * 1024,
      dispatcher(slowProduce as never),
      pool,
      silentLogger(),
      new ConnectionLimits({
        maxConnections: 100,
        maxConnectionsPerIp: 100,
        perIpOverrides: new Map(),
        maxCreationRatePerSec: 2147483647,
      }),
    );
    await server.start();
    const socket: Socket = connect(server.boundPort('PLAINTEXT'), '127.0.0.1');
    try {
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      const start = replicaManager.getPartition(TOPIC, 0)?.log.logEndOffset ?? 0;
      const sent = [10, 11, 12, 13, 14].map((tag) => bigBatch(tag));
      const responses = collectResponses(socket, sent.length);
      // All five written back to back, before any response: the broker sees them pipelined.
      sent.forEach((records, i) => {
        socket.write(Buffer.concat(encodeRequest(PRODUCE as never, 9, 100 + i, 'test', produceBody(records))));
      });
      const received = await responses;
      assert.deepEqual(
        received.map((r) => r.correlationId),
        [100, 101, 102, 103, 104],
      );
      const offsets = received.map((r) => Number(r.body.responses[0]?.partitionResponses[0]?.baseOffset));
      assert.deepEqual(
        offsets,
        [0, 1, 2, 3, 4].map((i) => start + i),
        'offsets follow request order',
      );
      const stored = await storedBatches(start);
      assert.equal(stored.length, sent.length);
      for (const [i, batch] of stored.entries()) assertSameRecords(batch, sent[i] as Buffer);
    } finally {
      socket.destroy();
      await server.shutdown();
    }
  });
});

function produceBody(records: Buffer): Partial<ProduceRequest> {
  return { acks: 1, timeoutMs: 5000, topicData: [{ name: TOPIC, partitionData: [{ index: 0, records }] }] };
}

function collectResponses(socket: Socket, count: number): Promise<{ correlationId: number; body: ProduceResponse }[]> {
  const decoder = new FrameDecoder(64 * 1024 * 1024);
  const out: { correlationId: number; body: ProduceResponse }[] = [];
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        const { correlationId, body } = decodeResponse(PRODUCE as never, 9, frame);
        out.push({ correlationId, body: body as ProduceResponse });
        if (out.length === count) resolve(out);
      }
    });
  });
}
