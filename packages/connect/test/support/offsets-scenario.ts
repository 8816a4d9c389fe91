import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { waitFor } from './worker-process.js';

// KIP-875's offsets REST API on a FileStreamSource → topic → FileStreamSink pipeline, the same
// steps against a standalone worker and a distributed cluster. Every step waits for the exact
// sink file it implies, so a record delivered twice or missed fails the test.

export interface OffsetsScenarioTarget {
  /** The directory for the source and sink files. */
  readonly dir: () => string;
  /** A worker's base URL for reads, and one for writes (a non-leader in distributed mode). */
  readonly readUrl: () => string;
  readonly writeUrl: () => string;
  /** A topic name unique to the run. */
  readonly topic: string;
}

interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: replies are JSON checked field by field, as a curl script sees them
  body: any;
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<Reply> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await fetch(`${base}${path}`, init);
    const text = await response.text();
    const reply = { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
    // A distributed cluster still forming (or rebalancing) answers 409: try again, as Kafka's clients do.
    if (reply.status !== 409 || Date.now() > deadline) return reply;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const LINES = ['l1', 'l2', 'l3', 'l4', 'l5'];
const SOURCE = 'offsets-source';
const SINK = 'offsets-sink';
const NOT_STOPPED = (name: string) =>
  'Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the ' +
  `specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`;

export function offsetsScenario(target: OffsetsScenarioTarget): void {
  const read = (method: string, path: string, body?: unknown) => call(target.readUrl(), method, path, body);
  const write = (method: string, path: string, body?: unknown) => call(target.writeUrl(), method, path, body);
  const inFile = () => join(target.dir(), 'offsets-in.txt');
  const outFile = () => join(target.dir(), 'offsets-out.txt');
  const sinkLines = () =>
    existsSync(outFile())
      ? readFileSync(outFile(), 'utf8')
          .split('\n')
          .filter((l) => l !== '')
      : [];
  const waitForSink = (expected: string[]) =>
    waitFor(`the sink file to be ${expected.join(',')}`, () => sinkLines().join(',') === expected.join(','), 30_000);
  /** Stops the connector and waits until it reports STOPPED with no tasks. */
  const stop = async (name: string) => {
    assert.equal((await write('PUT', `/connectors/${name}/stop`)).status, 204);
    await waitFor(`${name} to stop`, async () => {
      const { body } = await read('GET', `/connectors/${name}/status`);
      return body?.connector?.state === 'STOPPED' && body.tasks.length === 0;
    });
  };
  /** Retries while the sink group still has its stopping members (Kafka's zombie-task 500). */
  const modify = async (method: 'PATCH' | 'DELETE', name: string, body?: unknown) => {
    let reply = await write(method, `/connectors/${name}/offsets`, body);
    const deadline = Date.now() + 20_000;
    while (reply.status === 500 && /zombie sink tasks/.test(reply.body?.message ?? '') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      reply = await write(method, `/connectors/${name}/offsets`, body);
    }
    return reply;
  };
  const sourceOffsets = async () => (await read('GET', `/connectors/${SOURCE}/offsets`)).body;
  const sinkOffset = async () => (await read('GET', `/connectors/${SINK}/offsets`)).body?.offsets?.[0]?.offset;
  let expected: string[] = [];

  test('a FileStreamSource → FileStreamSink pipeline runs; GET …/offsets shows both sides', async () => {
    writeFileSync(inFile(), `${LINES.join('\n')}\n`);
    const source = await write('POST', '/connectors', {
      name: SOURCE,
      config: { 'connector.class': 'FileStreamSource', file: inFile(), topic: target.topic },
    });
    assert.equal(source.status, 201, JSON.stringify(source.body));
    const sink = await write('POST', '/connectors', {
      name: SINK,
      config: { 'connector.class': 'FileStreamSink', file: outFile(), topics: target.topic },
    });
    assert.equal(sink.status, 201, JSON.stringify(sink.body));
    expected = [...LINES];
    await waitForSink(expected);

    const position = readFileSync(inFile()).length;
    await waitFor('the source offset to be flushed', async () => {
      const body = await sourceOffsets();
      return body?.offsets?.[0]?.offset?.position === position;
    });
    assert.deepEqual(await sourceOffsets(), {
      offsets: [{ partition: { filename: inFile() }, offset: { position } }],
    });
    await waitFor('the sink group to commit', async () => (await sinkOffset())?.kafka_offset === 5);
    assert.deepEqual((await read('GET', `/connectors/${SINK}/offsets`)).body, {
      offsets: [{ partition: { kafka_topic: target.topic, kafka_partition: 0 }, offset: { kafka_offset: 5 } }],
    });
  });

  test('PATCH and DELETE …/offsets of a running connector: 400 with Kafka message', async () => {
    const body = { offsets: [{ partition: { filename: inFile() }, offset: { position: 0 } }] };
    for (const [method, payload] of [
      ['PATCH', body],
      ['DELETE', undefined],
    ] as const) {
      const reply = await write(method, `/connectors/${SOURCE}/offsets`, payload);
      assert.equal(reply.status, 400, JSON.stringify(reply.body));
      assert.deepEqual(reply.body, { error_code: 400, message: NOT_STOPPED(SOURCE) });
    }
  });

  test('…/offsets of an unknown connector: 404; an empty PATCH: 400', async () => {
    for (const [method, base] of [
      ['GET', read],
      ['DELETE', write],
    ] as const) {
      const reply = await base(method, '/connectors/nope/offsets');
      assert.equal(reply.status, 404, `${method}: ${JSON.stringify(reply.body)}`);
      assert.equal(reply.body.error_code, 404);
    }
    const patch = await write('PATCH', '/connectors/nope/offsets', {
      offsets: [{ partition: { a: 1 }, offset: null }],
    });
    assert.equal(patch.status, 404);
    for (const body of [{ offsets: [] }, {}, { offsets: 'x' }]) {
      const empty = await write('PATCH', `/connectors/${SOURCE}/offsets`, body);
      assert.deepEqual(empty, {
        status: 400,
        body: { error_code: 400, message: 'Partitions / offsets need to be provided for an alter offsets request' },
      });
    }
    // Not an object at all: refused before the herder sees it, with the error JSON.
    const notObject = await write('PATCH', `/connectors/${SOURCE}/offsets`, 'x');
    assert.equal(notObject.status, 400);
    assert.equal(notObject.body.error_code, 400);
  });

  test('source: stopped, patched back to line 3, resumed: lines 3-5 are read again', async () => {
    await stop(SOURCE);
    const position = Buffer.byteLength('l1\nl2\n');
    const reply = await modify('PATCH', SOURCE, {
      offsets: [{ partition: { filename: inFile() }, offset: { position } }],
    });
    assert.deepEqual(reply, {
      status: 200,
      body: { message: 'The offsets for this connector have been altered successfully' },
    });
    assert.deepEqual(await sourceOffsets(), {
      offsets: [{ partition: { filename: inFile() }, offset: { position } }],
    });
    const bad = await modify('PATCH', SOURCE, {
      offsets: [{ partition: { filename: inFile() }, offset: { position: -1 } }],
    });
    assert.equal(bad.status, 500);
    assert.match(bad.body.message, /non-negative/);
    assert.equal((await write('PUT', `/connectors/${SOURCE}/resume`)).status, 202);
    expected = [...expected, 'l3', 'l4', 'l5'];
    await waitForSink(expected);
  });

  test('source: stopped and reset, resumed: the whole file is read again', async () => {
    await stop(SOURCE);
    const reply = await modify('DELETE', SOURCE);
    assert.deepEqual(reply, {
      status: 200,
      body: { message: 'The offsets for this connector have been reset successfully' },
    });
    assert.deepEqual(await sourceOffsets(), { offsets: [] });
    assert.equal((await write('PUT', `/connectors/${SOURCE}/resume`)).status, 202);
    expected = [...expected, ...LINES];
    await waitForSink(expected);
  });

  test('sink: stopped, patched back 3 records, resumed: they reach the file again', async () => {
    await waitFor('the sink group to commit 13', async () => (await sinkOffset())?.kafka_offset === 13);
    await stop(SINK);
    const invalid = await modify('PATCH', SINK, {
      offsets: [{ partition: { kafka_topic: target.topic }, offset: null }],
    });
    assert.deepEqual(invalid.body, {
      error_code: 400,
      message: "The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'",
    });
    const reply = await modify('PATCH', SINK, {
      offsets: [{ partition: { kafka_topic: target.topic, kafka_partition: 0 }, offset: { kafka_offset: 10 } }],
    });
    assert.deepEqual(reply, {
      status: 200,
      body: { message: 'The offsets for this connector have been altered successfully' },
    });
    assert.deepEqual(await sinkOffset(), { kafka_offset: 10 });
    assert.equal((await write('PUT', `/connectors/${SINK}/resume`)).status, 202);
    expected = [...expected, 'l3', 'l4', 'l5'];
    await waitForSink(expected);
  });

  test('sink: stopped and reset, resumed: every record reaches the file again', async () => {
    await waitFor('the sink group to commit 13', async () => (await sinkOffset())?.kafka_offset === 13);
    await stop(SINK);
    const reply = await modify('DELETE', SINK);
    assert.deepEqual(reply, {
      status: 200,
      body: { message: 'The offsets for this connector have been reset successfully' },
    });
    assert.deepEqual((await read('GET', `/connectors/${SINK}/offsets`)).body, { offsets: [] });
    assert.equal((await write('PUT', `/connectors/${SINK}/resume`)).status, 202);
    expected = [...expected, ...LINES, 'l3', 'l4', 'l5', ...LINES];
    await waitForSink(expected);
  });
}
