import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess } from '@samsa/testkit';
import { type StandaloneWorker, startStandalone } from '../src/connect-standalone.js';
import { waitFor } from './support/worker-process.js';

// Kafka Connect's REST contract: paths, bodies and status codes of Kafka 3.x, against a worker
// started in this process on a free port with a real broker.

let broker: BrokerProcess;
let worker: StandaloneWorker;
let dir: string;
let base: string;

interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: replies are JSON checked field by field, as a curl script sees them
  body: any;
}

async function call(method: string, path: string, body?: unknown): Promise<Reply> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

function sourceConfig(file: string, topic = 'rest-source') {
  return { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: join(dir, file), topic };
}

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  dir = mkdtempSync(join(tmpdir(), 'samsa-connect-rest-'));
  writeFileSync(
    join(dir, 'worker.properties'),
    [
      `bootstrap.servers=${broker.bootstrap}`,
      'key.converter=org.apache.kafka.connect.storage.StringConverter',
      'value.converter=org.apache.kafka.connect.storage.StringConverter',
      `offset.storage.file.filename=${join(dir, 'offsets')}`,
      'offset.flush.interval.ms=500',
      'listeners=http://127.0.0.1:0',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'in.txt'), 'one\ntwo\n');
  worker = await startStandalone(join(dir, 'worker.properties'), []);
  base = `http://127.0.0.1:${worker.rest.port}`;
});

after(async () => {
  await worker?.stop();
  await broker?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('Kafka Connect REST API', () => {
  test('GET / reports version, commit and the Kafka cluster id', async () => {
    const { status, body } = await call('GET', '/');
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body), ['version', 'commit', 'kafka_cluster_id']);
    assert.equal(typeof body.kafka_cluster_id, 'string');
    assert.ok(body.kafka_cluster_id.length > 0);
  });

  test('GET /connector-plugins lists the file and JDBC connectors by class, type and version', async () => {
    const { status, body } = await call('GET', '/connector-plugins');
    assert.equal(status, 200);
    assert.deepEqual(
      body.map((p: { class: string; type: string }) => [p.class, p.type]),
      [
        ['io.confluent.connect.jdbc.JdbcSinkConnector', 'sink'],
        ['io.confluent.connect.jdbc.JdbcSourceConnector', 'source'],
        ['org.apache.kafka.connect.file.FileStreamSinkConnector', 'sink'],
        ['org.apache.kafka.connect.file.FileStreamSourceConnector', 'source'],
      ],
    );
  });

  test('GET /connector-plugins?connectorsOnly=false adds the converters; GET /connector-plugins/{plugin}/config', async () => {
    const all = await call('GET', '/connector-plugins?connectorsOnly=false');
    assert.deepEqual(
      all.body.filter((p: { type: string }) => p.type === 'converter').map((p: { class: string }) => p.class),
      [
        'org.apache.kafka.connect.json.JsonConverter',
        'org.apache.kafka.connect.storage.StringConverter',
        'org.apache.kafka.connect.converters.ByteArrayConverter',
      ],
    );
    assert.ok(
      all.body.some(
        (p: { class: string; type: string }) =>
          p.class === 'org.apache.kafka.connect.transforms.InsertField$Value' && p.type === 'transformation',
      ),
    );
    assert.ok(
      all.body.some(
        (p: { class: string; type: string }) =>
          p.class === 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches' && p.type === 'predicate',
      ),
    );
    const regexRouter = await call('GET', '/connector-plugins/org.apache.kafka.connect.transforms.RegexRouter/config');
    assert.deepEqual(
      regexRouter.body.map((k: { name: string; required: boolean }) => [k.name, k.required]),
      [
        ['regex', true],
        ['replacement', true],
      ],
    );
    const config = await call('GET', '/connector-plugins/FileStreamSource/config');
    assert.equal(config.status, 200);
    assert.deepEqual(
      config.body.map((k: { name: string; required: boolean }) => [k.name, k.required]),
      [
        ['file', false],
        ['topic', true],
        ['batch.size', false],
      ],
    );
    assert.deepEqual(await call('GET', '/connector-plugins/Nope/config'), {
      status: 404,
      body: { error_code: 404, message: 'Unknown plugin Nope.' },
    });
  });

  test('POST /connectors creates (201), refuses a duplicate (409) and bad input (400)', async () => {
    const created = await call('POST', '/connectors', { name: 'src', config: sourceConfig('in.txt') });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.name, 'src');
    assert.equal(created.body.type, 'source');
    assert.equal(created.body.config.name, 'src');
    assert.deepEqual(created.body.tasks, [{ connector: 'src', task: 0 }]);

    const dup = await call('POST', '/connectors', { name: 'src', config: sourceConfig('in.txt') });
    assert.deepEqual(dup, { status: 409, body: { error_code: 409, message: 'Connector src already exists' } });

    const invalid = await call('POST', '/connectors', {
      name: 'bad',
      config: { 'connector.class': 'FileStreamSource', 'batch.size': 'x' },
    });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.error_code, 400);
    assert.equal(
      invalid.body.message,
      'Connector configuration is invalid and contains the following 2 error(s):\n' +
        'Missing required configuration "topic" which has no default value.\n' +
        'Invalid value x for configuration batch.size: Not a number of type INT\n' +
        'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
    );

    const noClass = await call('POST', '/connectors', { name: 'x', config: { topic: 't' } });
    assert.equal(noClass.status, 400);
    assert.equal(noClass.body.message, 'Connector config {topic=t, name=x} contains no connector type');

    const unknownClass = await call('POST', '/connectors', { name: 'x', config: { 'connector.class': 'Nope' } });
    assert.equal(unknownClass.status, 400);
    assert.match(
      unknownClass.body.message,
      /^Failed to find any class that implements Connector and which name matches Nope/,
    );

    const mismatch = await call('POST', '/connectors', { name: 'x', config: { ...sourceConfig('in.txt'), name: 'y' } });
    assert.deepEqual(mismatch.body, {
      error_code: 400,
      message: "Connector name configuration (y) doesn't match connector name in the URL (x)",
    });

    const malformed = await call('POST', '/connectors', '{"name":');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error_code, 400);
    assert.equal(typeof malformed.body.message, 'string');
    assert.doesNotMatch(malformed.body.message, /\n\s+at /);

    const noName = await call('POST', '/connectors', { config: {} });
    assert.equal(noName.status, 400);
    assert.equal(noName.body.error_code, 400);
  });

  test('GET /connectors, ?expand=status and ?expand=info', async () => {
    assert.deepEqual(await call('GET', '/connectors'), { status: 200, body: ['src'] });
    const expanded = await call('GET', '/connectors?expand=status&expand=info');
    assert.equal(expanded.status, 200);
    assert.deepEqual(Object.keys(expanded.body), ['src']);
    assert.equal(expanded.body.src.status.connector.state, 'RUNNING');
    assert.equal(expanded.body.src.info.type, 'source');
    const statusOnly = await call('GET', '/connectors?expand=status');
    assert.deepEqual(Object.keys(statusOnly.body.src), ['status']);
  });

  test('GET /connectors/{name}, /config, /tasks, /status, /tasks/{id}/status, /topics', async () => {
    const info = await call('GET', '/connectors/src');
    assert.equal(info.status, 200);
    assert.deepEqual(Object.keys(info.body), ['name', 'config', 'tasks', 'type']);

    const config = await call('GET', '/connectors/src/config');
    assert.deepEqual(config.body, { ...sourceConfig('in.txt'), name: 'src' });

    const tasks = await call('GET', '/connectors/src/tasks');
    assert.deepEqual(tasks.body, [
      {
        id: { connector: 'src', task: 0 },
        config: {
          file: join(dir, 'in.txt'),
          topic: 'rest-source',
          'batch.size': '2000',
          'task.class': 'org.apache.kafka.connect.file.FileStreamSourceTask',
        },
      },
    ]);

    const status = await call('GET', '/connectors/src/status');
    assert.deepEqual(status.body, {
      name: 'src',
      connector: { state: 'RUNNING', worker_id: worker.workerId },
      tasks: [{ id: 0, state: 'RUNNING', worker_id: worker.workerId }],
      type: 'source',
    });
    assert.deepEqual((await call('GET', '/connectors/src/tasks/0/status')).body, {
      id: 0,
      state: 'RUNNING',
      worker_id: worker.workerId,
    });
    await waitFor('the source to write its topic', async () => {
      const topics = await call('GET', '/connectors/src/topics');
      return topics.body.src.topics.length === 1;
    });
    assert.deepEqual((await call('GET', '/connectors/src/topics')).body, { src: { topics: ['rest-source'] } });
    assert.deepEqual(await call('PUT', '/connectors/src/topics/reset'), { status: 202, body: undefined });
    assert.deepEqual((await call('GET', '/connectors/src/topics')).body, { src: { topics: [] } });
  });

  test('404 for unknown connectors and tasks, with the message Kafka gives for each call', async () => {
    for (const [method, path, message] of [
      ['GET', '/connectors/nope', 'Connector nope not found'],
      ['DELETE', '/connectors/nope', 'Connector nope not found'],
      ['GET', '/connectors/nope/config', 'Connector nope not found'],
      ['GET', '/connectors/nope/tasks', 'Connector nope not found'],
      ['POST', '/connectors/nope/restart', 'Connector nope not found'],
      ['POST', '/connectors/nope/restart?includeTasks=true', 'Unknown connector: nope'],
      ['POST', '/connectors/nope/tasks/0/restart', 'Connector nope not found'],
      ['GET', '/connectors/nope/status', 'No status found for connector nope'],
      ['GET', '/connectors/nope/tasks/0/status', 'No status found for task nope-0'],
      ['PUT', '/connectors/nope/pause', 'Unknown connector nope'],
      ['PUT', '/connectors/nope/resume', 'Unknown connector nope'],
      ['PUT', '/connectors/nope/stop', 'Unknown connector nope'],
      ['PUT', '/connectors/nope/topics/reset', 'Unknown connector nope'],
    ] as const) {
      const reply = await call(method, path);
      assert.deepEqual(reply, { status: 404, body: { error_code: 404, message } }, `${method} ${path}`);
    }
    // As Kafka: active topics come from the status store, unchecked.
    assert.deepEqual(await call('GET', '/connectors/nope/topics'), { status: 200, body: { nope: { topics: [] } } });
    assert.deepEqual(await call('GET', '/connectors/src/tasks/7/status'), {
      status: 404,
      body: { error_code: 404, message: 'No status found for task src-7' },
    });
    assert.deepEqual(await call('POST', '/connectors/src/tasks/7/restart'), {
      status: 404,
      body: { error_code: 404, message: 'Task src-7 not found' },
    });
    assert.deepEqual(await call('GET', '/no/such/path'), {
      status: 404,
      body: { error_code: 404, message: 'HTTP 404 Not Found' },
    });
  });

  test('PUT /connectors/{name}/config creates (201) then updates (200)', async () => {
    const created = await call('PUT', '/connectors/src2/config', sourceConfig('in.txt', 'rest-source-2'));
    assert.equal(created.status, 201);
    assert.equal(created.body.name, 'src2');
    const updated = await call('PUT', '/connectors/src2/config', {
      ...sourceConfig('in.txt', 'rest-source-3'),
      'batch.size': 5,
    });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.config.topic, 'rest-source-3');
    assert.equal(updated.body.config['batch.size'], '5');
    const bad = await call('PUT', '/connectors/src2/config', { ...sourceConfig('in.txt'), name: 'other' });
    assert.equal(bad.status, 400);
    assert.equal(
      bad.body.message,
      "Connector name configuration (other) doesn't match connector name in the URL (src2)",
    );
  });

  test('PATCH /connectors/{name}/config sets and removes keys (200); POST with initial_state; a missing name is invalid', async () => {
    const patched = await call('PATCH', '/connectors/src2/config', { 'batch.size': null, 'tasks.max': '1' });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.config['batch.size'], undefined);
    assert.equal(patched.body.config.topic, 'rest-source-3');
    assert.deepEqual(await call('PATCH', '/connectors/nope/config', { topic: 'x' }), {
      status: 404,
      body: { error_code: 404, message: 'Connector nope not found' },
    });

    const paused = await call('POST', '/connectors', {
      name: 'born-paused',
      config: sourceConfig('in.txt', 'rest-paused'),
      initial_state: 'PAUSED',
    });
    assert.equal(paused.status, 201);
    let status = (await call('GET', '/connectors/born-paused/status')).body;
    assert.equal(status.connector.state, 'PAUSED');
    assert.equal(status.tasks[0].state, 'PAUSED');
    const stopped = await call('POST', '/connectors', {
      name: 'born-stopped',
      config: sourceConfig('in.txt', 'rest-stopped'),
      initial_state: 'STOPPED',
    });
    assert.equal(stopped.status, 201);
    assert.deepEqual(stopped.body.tasks, []);
    status = (await call('GET', '/connectors/born-stopped/status')).body;
    assert.equal(status.connector.state, 'STOPPED');
    assert.deepEqual(status.tasks, []);
    assert.equal((await call('POST', '/connectors', { name: 'x', config: {}, initial_state: 'ASLEEP' })).status, 400);
    for (const name of ['born-paused', 'born-stopped'])
      assert.equal((await call('DELETE', `/connectors/${name}`)).status, 204);

    const unnamed = await call('POST', '/connectors', { config: sourceConfig('in.txt') });
    assert.equal(unnamed.status, 400);
    assert.match(unnamed.body.message, /\nInvalid value {2}for configuration name: String may not be empty\n/);
    assert.deepEqual(Object.keys((await call('GET', '/connectors?expand=bogus')).body.src2), []);
  });

  test('pause (202), resume (202), stop (204), restart (204 / 202 with the plan), task restart (204)', async () => {
    assert.deepEqual(await call('PUT', '/connectors/src2/pause'), { status: 202, body: undefined });
    let status = (await call('GET', '/connectors/src2/status')).body;
    assert.equal(status.connector.state, 'PAUSED');
    assert.deepEqual(
      status.tasks.map((t: { state: string }) => t.state),
      ['PAUSED'],
    );
    assert.equal((await call('PUT', '/connectors/src2/resume')).status, 202);
    status = (await call('GET', '/connectors/src2/status')).body;
    assert.equal(status.connector.state, 'RUNNING');
    assert.equal(status.tasks[0].state, 'RUNNING');

    assert.deepEqual(await call('POST', '/connectors/src2/restart'), { status: 204, body: undefined });
    const plan = await call('POST', '/connectors/src2/restart?includeTasks=true&onlyFailed=false');
    assert.equal(plan.status, 202);
    assert.equal(plan.body.connector.state, 'RESTARTING');
    assert.equal(plan.body.tasks[0].state, 'RESTARTING');
    const onlyFailed = await call('POST', '/connectors/src2/restart?includeTasks=true&onlyFailed=true');
    assert.equal(onlyFailed.status, 202);
    assert.equal(onlyFailed.body.connector.state, 'RUNNING');
    assert.equal(onlyFailed.body.tasks[0].state, 'RUNNING');
    assert.equal((await call('POST', '/connectors/src2/restart?includeTasks=maybe')).status, 400);
    assert.deepEqual(await call('POST', '/connectors/src2/tasks/0/restart'), { status: 204, body: undefined });
    assert.equal((await call('GET', '/connectors/src2/tasks/0/status')).body.state, 'RUNNING');

    assert.deepEqual(await call('PUT', '/connectors/src2/stop'), { status: 204, body: undefined });
    status = (await call('GET', '/connectors/src2/status')).body;
    assert.equal(status.connector.state, 'STOPPED');
    assert.deepEqual(status.tasks, []);
    assert.deepEqual((await call('GET', '/connectors/src2/tasks')).body, []);
    assert.equal((await call('PUT', '/connectors/src2/resume')).status, 202);
    status = (await call('GET', '/connectors/src2/status')).body;
    assert.equal(status.connector.state, 'RUNNING');
    assert.equal(status.tasks.length, 1);
  });

  test('a failing task is FAILED with a trace; restart?onlyFailed restarts just it', async () => {
    // A sink into a directory cannot open its file: the task fails at start.
    const created = await call('POST', '/connectors', {
      name: 'broken-sink',
      config: { 'connector.class': 'FileStreamSink', topics: 'rest-source', file: dir },
    });
    assert.equal(created.status, 201);
    const status = (await call('GET', '/connectors/broken-sink/status')).body;
    assert.equal(status.connector.state, 'RUNNING');
    assert.equal(status.tasks[0].state, 'FAILED');
    assert.match(status.tasks[0].trace, /EISDIR/);
    const plan = await call('POST', '/connectors/broken-sink/restart?onlyFailed=true&includeTasks=true');
    assert.equal(plan.status, 202);
    assert.equal(plan.body.connector.state, 'RUNNING');
    assert.equal(plan.body.tasks[0].state, 'RESTARTING');
    assert.deepEqual(await call('DELETE', '/connectors/broken-sink'), { status: 204, body: undefined });
  });

  test('a connector failing in start() is FAILED with its trace and no tasks; fixed and restarted, it runs', async () => {
    const created = await call('POST', '/connectors', { name: 'two-topics', config: sourceConfig('in.txt', 'a,b') });
    assert.equal(created.status, 201);
    let status = (await call('GET', '/connectors/two-topics/status')).body;
    assert.equal(status.connector.state, 'FAILED');
    assert.match(
      status.connector.trace,
      /'topic' in FileStreamSourceConnector configuration requires definition of a single topic\./,
    );
    assert.deepEqual(status.tasks, []);
    const updated = await call('PUT', '/connectors/two-topics/config', sourceConfig('in.txt', 'rest-two'));
    assert.equal(updated.status, 200);
    status = (await call('GET', '/connectors/two-topics/status')).body;
    assert.equal(status.connector.state, 'RUNNING');
    assert.equal(status.connector.trace, undefined);
    assert.deepEqual(
      status.tasks.map((t: { state: string }) => t.state),
      ['RUNNING'],
    );
    assert.deepEqual(await call('DELETE', '/connectors/two-topics'), { status: 204, body: undefined });
  });

  test('a sink created over REST consumes as connect-<name> and writes the lines', async () => {
    const out = join(dir, 'out.txt');
    const created = await call('POST', '/connectors', {
      name: 'sink',
      config: {
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
        topics: 'rest-source',
        file: out,
      },
    });
    assert.equal(created.status, 201);
    await waitFor('the sink file', () => {
      try {
        return readFileSync(out, 'utf8') === 'one\ntwo\n';
      } catch {
        return false;
      }
    });
    assert.deepEqual((await call('GET', '/connectors/sink/topics')).body, { sink: { topics: ['rest-source'] } });
    assert.deepEqual(await call('DELETE', '/connectors/sink'), { status: 204, body: undefined });
    assert.deepEqual(await call('GET', '/connectors/sink'), {
      status: 404,
      body: { error_code: 404, message: 'Connector sink not found' },
    });
  });

  test('PUT /connector-plugins/{plugin}/config/validate answers Kafka shape', async () => {
    const reply = await call('PUT', '/connector-plugins/FileStreamSourceConnector/config/validate', {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'batch.size': '0x',
      'tasks.max': '0',
    });
    assert.equal(reply.status, 200);
    const body = reply.body;
    assert.equal(body.name, 'org.apache.kafka.connect.file.FileStreamSourceConnector');
    assert.equal(body.error_count, 4);
    assert.deepEqual(body.groups, ['Common', 'Transforms', 'Predicates', 'Error Handling']);
    const byName = new Map(body.configs.map((c: { definition: { name: string } }) => [c.definition.name, c]));
    assert.deepEqual(byName.get('batch.size'), {
      definition: {
        name: 'batch.size',
        type: 'INT',
        required: false,
        default_value: '2000',
        importance: 'LOW',
        documentation: 'The maximum number of records the source task can read from the file each time it is polled',
        group: null,
        width: 'NONE',
        display_name: 'batch.size',
        dependents: [],
        order: -1,
      },
      value: {
        name: 'batch.size',
        value: '0x',
        recommended_values: [],
        errors: ['Invalid value 0x for configuration batch.size: Not a number of type INT'],
        visible: true,
      },
    });
    assert.deepEqual((byName.get('topic') as { value: { errors: string[] } }).value.errors, [
      'Missing required configuration "topic" which has no default value.',
    ]);
    assert.deepEqual((byName.get('name') as { value: { errors: string[] } }).value.errors, [
      'Missing required configuration "name" which has no default value.',
    ]);
    assert.deepEqual((byName.get('tasks.max') as { value: { errors: string[] } }).value.errors, [
      'Invalid value 0 for configuration tasks.max: Value must be at least 1',
    ]);

    const sink = await call('PUT', '/connector-plugins/FileStreamSink/config/validate', {
      'connector.class': 'FileStreamSink',
      name: 's',
    });
    assert.equal(sink.body.error_count, 2);
    const topics = sink.body.configs.find((c: { definition: { name: string } }) => c.definition.name === 'topics');
    assert.deepEqual(topics.value.errors, ['Must configure one of topics or topics.regex']);

    const mismatch = await call('PUT', '/connector-plugins/FileStreamSink/config/validate', {
      'connector.class': 'FileStreamSource',
    });
    assert.deepEqual(mismatch, {
      status: 400,
      body: {
        error_code: 400,
        message: 'Included connector type FileStreamSource does not match request type FileStreamSink',
      },
    });
  });

  test('DELETE /connectors/{name} (204) and the source offsets stay in the offset file', async () => {
    assert.deepEqual(await call('DELETE', '/connectors/src'), { status: 204, body: undefined });
    assert.deepEqual(await call('DELETE', '/connectors/src2'), { status: 204, body: undefined });
    assert.deepEqual(await call('GET', '/connectors'), { status: 200, body: [] });
    const offsets = JSON.parse(readFileSync(join(dir, 'offsets'), 'utf8'));
    assert.deepEqual(offsets[JSON.stringify(['src', { filename: join(dir, 'in.txt') }])], { position: 8 });
  });
});

// KIP-495 / KIP-976 on a standalone worker: the worker is the whole cluster, so `scope=cluster`
// sets this worker's levels. The registry is the process's, so the test puts root back at INFO.
describe('/admin/loggers', () => {
  const herderLogger = 'org.apache.kafka.connect.runtime.standalone.StandaloneHerder';

  after(async () => {
    await call('PUT', '/admin/loggers/root', { level: 'INFO' });
  });

  test('GET /admin/loggers lists root and the runtime’s loggers with their levels', async () => {
    const { status, body } = await call('GET', '/admin/loggers');
    assert.equal(status, 200);
    assert.deepEqual(body.root, { level: 'INFO', last_modified: null });
    assert.deepEqual(body[herderLogger], { level: 'INFO', last_modified: null });
    assert.deepEqual(Object.keys(body), [...Object.keys(body)].sort());
  });

  test('GET /admin/loggers/{name}: a known logger’s level, 404 for an unknown one', async () => {
    assert.deepEqual(await call('GET', `/admin/loggers/${herderLogger}`), {
      status: 200,
      body: { level: 'INFO', last_modified: null },
    });
    assert.deepEqual(await call('GET', '/admin/loggers/com.example.Nobody'), {
      status: 404,
      body: { error_code: 404, message: 'Logger com.example.Nobody not found.' },
    });
  });

  test('PUT /admin/loggers/{namespace} sets the namespace and its children, answering the changed loggers', async () => {
    const before = Date.now();
    const { status, body } = await call('PUT', '/admin/loggers/org.apache.kafka.connect.runtime.standalone', {
      level: 'debug',
    });
    assert.equal(status, 200);
    assert.deepEqual(body, ['org.apache.kafka.connect.runtime.standalone', herderLogger]);
    const level = await call('GET', `/admin/loggers/${herderLogger}`);
    assert.equal(level.body.level, 'DEBUG');
    assert.ok(level.body.last_modified >= before);
    // The namespace is now a known logger; setting the same level again changes nothing.
    assert.equal((await call('GET', '/admin/loggers/org.apache.kafka.connect.runtime.standalone')).status, 200);
    assert.deepEqual(
      await call('PUT', '/admin/loggers/org.apache.kafka.connect.runtime.standalone?scope=worker', { level: 'DEBUG' }),
      { status: 200, body: [] },
    );
  });

  test('PUT with scope=cluster answers 204 and sets the level (standalone: this worker is the cluster)', async () => {
    assert.deepEqual(await call('PUT', `/admin/loggers/${herderLogger}?scope=cluster`, { level: 'TRACE' }), {
      status: 204,
      body: undefined,
    });
    assert.equal((await call('GET', `/admin/loggers/${herderLogger}`)).body.level, 'TRACE');
    // An unknown scope is taken as worker scope, as in Kafka.
    const unknown = await call('PUT', `/admin/loggers/${herderLogger}?scope=galaxy`, { level: 'WARN' });
    assert.deepEqual(unknown, { status: 200, body: [herderLogger] });
  });

  test('PUT with a missing or unknown level gets Kafka’s errors', async () => {
    assert.deepEqual(await call('PUT', `/admin/loggers/${herderLogger}`, {}), {
      status: 400,
      body: { error_code: 400, message: "Desired 'level' parameter was not specified in request." },
    });
    // Kafka throws its NotFoundException here, hence 404.
    assert.deepEqual(await call('PUT', `/admin/loggers/${herderLogger}`, { level: 'LOUD' }), {
      status: 404,
      body: { error_code: 404, message: "invalid log level 'LOUD'." },
    });
    const notJson = await call('PUT', `/admin/loggers/${herderLogger}`, '{"level":');
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.error_code, 400);
  });

  test('PUT /admin/loggers/root sets every logger', async () => {
    const { status, body } = await call('PUT', '/admin/loggers/root', { level: 'ERROR' });
    assert.equal(status, 200);
    assert.ok(body.includes('root'));
    assert.ok(body.includes('org.apache.kafka.connect.util.KafkaBasedLog') || body.length > 3);
    const all = await call('GET', '/admin/loggers');
    for (const level of Object.values(all.body) as { level: string }[]) assert.equal(level.level, 'ERROR');
  });
});
