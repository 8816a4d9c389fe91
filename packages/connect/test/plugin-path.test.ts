import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { type StandaloneWorker, startStandalone } from '../src/connect-standalone.js';
import { waitFor } from './support/worker-process.js';

// plugin.path: a connector, a converter, transformations and a predicate written in JavaScript to a
// temporary directory (single .mjs files and a package directory), importing '@samsa/connect'
// without having it installed, loaded by a worker on a real broker; listed by
// GET /connector-plugins and used by a connector created over REST. A broken plugin and a
// missing directory are logged and skipped.

const PLUGINS: Record<string, string> = {
  'uppercase.mjs': `
import { ConfigDef } from '@samsa/connect';
export class Uppercase {
  static className = 'com.example.transforms.Uppercase';
  configure() {}
  apply(record) { return { ...record, value: record.value === null ? null : String(record.value).toUpperCase() }; }
  config() { return new ConfigDef(); }
  close() {}
}`,
  'suffix.mjs': `
import { ConfigDef } from '@samsa/connect';
const DEF = new ConfigDef().define({ name: 'suffix', type: 'STRING', defaultValue: '!', importance: 'LOW', documentation: 'Appended to the value.' });
export class Suffix {
  static className = 'com.example.transforms.Suffix';
  static Value = class {
    configure(props) { this.suffix = DEF.parse(props).suffix; }
    apply(record) { return { ...record, value: record.value + this.suffix }; }
    config() { return DEF; }
    close() {}
  };
}
export class IsShort {
  static className = 'com.example.predicates.IsShort';
  configure() {}
  test(record) { return String(record.value).length <= 3; }
  config() { return new ConfigDef(); }
  close() {}
}`,
  'reverse-converter.mjs': `
export class ReverseStringConverter {
  configure() {}
  fromConnectData(topic, schema, value) { return value == null ? null : Buffer.from([...String(value)].reverse().join('')); }
  toConnectData(topic, bytes) { return { schema: null, value: bytes === null ? null : [...bytes.toString()].reverse().join('') }; }
}`,
  'broken.mjs': 'export class {',
  'notes.txt': 'not a plugin',
};

const SINK_PACKAGE = `
import { appendFileSync } from 'node:fs';
import { ConfigDef, SinkConnector, SinkTask } from '@samsa/connect';
class LinesSinkTask extends SinkTask {
  version() { return '2.0'; }
  start(props) { this.file = props.file; }
  put(records) { for (const r of records) appendFileSync(this.file, r.value + '\\n'); }
  stop() {}
}
export class LinesSinkConnector extends SinkConnector {
  static className = 'com.example.LinesSinkConnector';
  version() { return '2.0'; }
  start(props) { this.props = props; }
  taskClass() { return LinesSinkTask; }
  taskConfigs() { return [this.props]; }
  stop() {}
  config() { return new ConfigDef().define({ name: 'file', type: 'STRING', importance: 'HIGH', documentation: 'Where the lines go.' }); }
}`;

let broker: BrokerProcess;
let worker: StandaloneWorker;
let dir: string;
let base: string;
const warnings: string[] = [];
const consoleWarn = console.warn;

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  dir = mkdtempSync(join(tmpdir(), 'samsa-connect-plugins-'));
  const pluginDir = join(dir, 'plugins');
  mkdirSync(join(pluginDir, 'lines-sink'), { recursive: true });
  for (const [name, text] of Object.entries(PLUGINS)) writeFileSync(join(pluginDir, name), text);
  writeFileSync(
    join(pluginDir, 'lines-sink', 'package.json'),
    JSON.stringify({ name: 'lines-sink', type: 'module', main: 'sink.js' }),
  );
  writeFileSync(join(pluginDir, 'lines-sink', 'sink.js'), SINK_PACKAGE);
  writeFileSync(
    join(dir, 'worker.properties'),
    [
      `bootstrap.servers=${broker.bootstrap}`,
      'key.converter=org.apache.kafka.connect.storage.StringConverter',
      // A plugin converter in the worker file: plugin.path is loaded before the file is checked.
      'value.converter=ReverseStringConverter',
      `offset.storage.file.filename=${join(dir, 'offsets')}`,
      'offset.flush.interval.ms=300',
      'listeners=http://127.0.0.1:0',
      `plugin.path=${pluginDir}, ${join(dir, 'missing')}`,
    ].join('\n'),
  );
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  };
  try {
    worker = await startStandalone(join(dir, 'worker.properties'), []);
  } finally {
    console.warn = consoleWarn;
  }
  base = `http://127.0.0.1:${worker.rest.port}`;
});

after(async () => {
  await worker?.stop();
  await broker?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

test('a broken plugin and a missing directory are logged and skipped', () => {
  assert.ok(
    warnings.some((w) => w.includes('Could not load plugin') && w.includes('broken.mjs')),
    warnings.join('\n'),
  );
  assert.ok(
    warnings.some((w) => w.includes(`Could not get listing for plugin path: ${join(dir, 'missing')}. Ignoring.`)),
    warnings.join('\n'),
  );
});

test('GET /connector-plugins lists the loaded connector, converter, transformations and predicate', async () => {
  const connectors = (await (await fetch(`${base}/connector-plugins`)).json()) as {
    class: string;
    type: string;
    version: string;
  }[];
  assert.deepEqual(
    connectors.find((p) => p.class === 'com.example.LinesSinkConnector'),
    { class: 'com.example.LinesSinkConnector', type: 'sink', version: '2.0' },
  );
  const all = (await (await fetch(`${base}/connector-plugins?connectorsOnly=false`)).json()) as {
    class: string;
    type: string;
  }[];
  const types = new Map(all.map((p) => [p.class, p.type]));
  assert.equal(types.get('ReverseStringConverter'), 'converter');
  assert.equal(types.get('com.example.transforms.Uppercase'), 'transformation');
  assert.equal(types.get('com.example.transforms.Suffix$Value'), 'transformation');
  assert.equal(types.get('com.example.predicates.IsShort'), 'predicate');
  const config = (await (await fetch(`${base}/connector-plugins/LinesSinkConnector/config`)).json()) as {
    name: string;
  }[];
  assert.deepEqual(
    config.map((c) => c.name),
    ['file'],
  );
  const suffixConfig = (await (await fetch(`${base}/connector-plugins/Suffix$Value/config`)).json()) as {
    name: string;
    default_value: string;
  }[];
  assert.equal(suffixConfig[0]?.name, 'suffix');
});

test('a connector created over REST runs the plugin connector, converter, transformations and predicate', async () => {
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  try {
    await admin.createTopics([{ name: 'plugin-in', numPartitions: 1, replicationFactor: 1 }]);
  } finally {
    await admin.close();
  }
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
  });
  try {
    await producer.sendBatch(['abc', 'hello'].map((value) => ({ topic: 'plugin-in', key: null, value })));
  } finally {
    await producer.close();
  }
  const out = join(dir, 'lines.out');
  const reply = await fetch(`${base}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'plugin-sink',
      config: {
        'connector.class': 'LinesSink',
        topics: 'plugin-in',
        file: out,
        transforms: 'up,suffix',
        'transforms.up.type': 'Uppercase',
        'transforms.suffix.type': 'com.example.transforms.Suffix$Value',
        'transforms.suffix.suffix': '?',
        'transforms.suffix.predicate': 'short',
        predicates: 'short',
        'predicates.short.type': 'com.example.predicates.IsShort',
      },
    }),
  });
  assert.equal(reply.status, 201, await reply.text());
  await waitFor(
    'two lines in the sink file',
    () => existsSync(out) && readFileSync(out, 'utf8').split('\n').length >= 3,
  );
  // Reversed by the converter, upper-cased, and the short one suffixed.
  assert.deepEqual(readFileSync(out, 'utf8').split('\n'), ['CBA?', 'OLLEH', '']);

  const bad = await fetch(`${base}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bad', config: { 'connector.class': 'LinesSink', topics: 'plugin-in' } }),
  });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /Missing required configuration \\"file\\" which has no default value/);
});
