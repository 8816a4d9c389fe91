/**
 * The inter-broker client's held responses: a replica fetch's frame comes from the broker's pool
 * and goes back to it when the fetcher releases the response, so the next fetch reuses it instead
 * of allocating a fresh megabyte. A response not held (`send`) is never given back.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  ApiKey,
  apiCodec,
  decodeRequest,
  encodeResponse,
  type FetchResponse,
  FrameDecoder,
  ZERO_UUID,
} from '@samsa/protocol';
import { BufferPool } from '../../src/memory/buffer-pool.js';
import { InterBrokerClient } from '../../src/network/inter-broker-client.js';

const FETCH = apiCodec(ApiKey.Fetch);
if (FETCH === undefined) throw new Error('no Fetch codec');
const FETCH_VERSION = 12;
const RECORDS_BYTES = 100 * 1024;

/** A leader that answers every Fetch with the same 100 KiB of "records" (bytes 0..255 repeated). */
function startLeader(): Promise<Server> {
  const records = Buffer.alloc(RECORDS_BYTES);
  for (let i = 0; i < records.length; i++) records[i] = i % 256;
  const server = createServer((socket) => {
    const decoder = new FrameDecoder(1024 * 1024);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        const decoded = decodeRequest(frame);
        if (decoded.kind !== 'ok') throw new Error('undecodable request');
        const body = {
          responses: [
            {
              topic: 't',
              topicId: ZERO_UUID,
              partitions: [
                {
                  partitionIndex: 0,
                  errorCode: 0,
                  highWatermark: 1n,
                  lastStableOffset: 1n,
                  logStartOffset: 0n,
                  abortedTransactions: null,
                  records,
                },
              ],
            },
          ],
        };
        for (const buf of encodeResponse(FETCH as never, FETCH_VERSION, decoded.header.correlationId, body))
          socket.write(buf);
      }
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const request = {
  replicaId: 1,
  maxWaitMs: 0,
  minBytes: 1,
  maxBytes: 1024 * 1024,
  isolationLevel: 0,
  sessionId: 0,
  sessionEpoch: -1,
  topics: [],
  forgottenTopicsData: [],
  rackId: '',
};

function recordsOf(body: FetchResponse): Buffer {
  const records = body.responses[0]?.partitions[0]?.records;
  assert.ok(records instanceof Buffer);
  return records;
}

describe('InterBrokerClient held responses', () => {
  let leader: Server;
  let pool: BufferPool;
  let client: InterBrokerClient;

  before(async () => {
    leader = await startLeader();
    const port = (leader.address() as { port: number }).port;
    pool = new BufferPool();
    client = new InterBrokerClient({ host: '127.0.0.1', port, clientId: 'test', requestTimeoutMs: 5000, pool });
  });

  after(async () => {
    client.close();
    await new Promise((resolve) => leader.close(resolve));
  });

  test('a released frame goes back to the pool once, and the next fetch reuses it', async () => {
    const first = await client.sendHolding<FetchResponse>(ApiKey.Fetch, FETCH_VERSION, request);
    const records = recordsOf(first.body);
    assert.equal(records.length, RECORDS_BYTES);
    assert.equal(records[RECORDS_BYTES - 1], (RECORDS_BYTES - 1) % 256);
    assert.ok(pool.owns(records), 'the frame was assembled in a pool buffer');
    assert.equal(pool.pooledBytes, 0);

    first.release();
    first.release();
    assert.equal(pool.pooledBytes, 128 * 1024, 'released once, into the 128 KiB class');

    const second = await client.sendHolding<FetchResponse>(ApiKey.Fetch, FETCH_VERSION, request);
    assert.equal(recordsOf(second.body).buffer, records.buffer, 'the same ArrayBuffer, reused');
    assert.equal(pool.pooledBytes, 0);
    assert.deepEqual(recordsOf(second.body), recordsOf(first.body));
    second.release();
  });

  test('a response that is not held is never given back', async () => {
    const before = pool.pooledBytes;
    const body = await client.send<FetchResponse>(ApiKey.Fetch, FETCH_VERSION, request);
    assert.equal(recordsOf(body).length, RECORDS_BYTES);
    // It took the pooled buffer (the pool hands out what it has) and keeps it.
    assert.equal(pool.pooledBytes, before - 128 * 1024);
  });
});
