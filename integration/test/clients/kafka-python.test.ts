/**
 * kafka-python 2.0.2 (Debian's python3-kafka) against Samsa: admin create/describe/delete,
 * produce with keys, headers and every codec, consume from the beginning and by offset.
 * kafka-python negotiates old API versions (Metadata ≤ v5, Produce ≤ v7, Fetch ≤ v10,
 * CreateTopics ≤ v3), so this also covers the classic (non-flexible) encodings.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess, requirePythonModule, run } from '@samsa/testkit';

const PYTHON = requirePythonModule('kafka', 'python3-kafka');
requirePythonModule('snappy', 'python3-snappy');
requirePythonModule('lz4', 'python3-lz4');
requirePythonModule('zstandard', 'python3-zstandard');

async function python(script: string, bootstrap: string): Promise<string> {
  const result = await run(PYTHON, ['-c', script], { env: { ...process.env, BOOTSTRAP: bootstrap }, timeoutMs: 60000 });
  assert.equal(result.code, 0, `python failed:\n${result.stderr}\n${result.stdout}`);
  return result.stdout;
}

describe('kafka-python', () => {
  let broker: BrokerProcess;
  before(async () => {
    broker = await BrokerProcess.start();
  });
  after(async () => {
    await broker?.close();
  });

  test('admin: create, list, describe configs, delete topics', async () => {
    const out = await python(
      `
import os, json
from kafka.admin import KafkaAdminClient, NewTopic, ConfigResource, ConfigResourceType
from kafka.errors import TopicAlreadyExistsError
admin = KafkaAdminClient(bootstrap_servers=os.environ['BOOTSTRAP'])
admin.create_topics([NewTopic('py-admin', num_partitions=3, replication_factor=1, topic_configs={'retention.ms': '3600000'})])
try:
    admin.create_topics([NewTopic('py-admin', num_partitions=3, replication_factor=1)])
    print('no error')
except TopicAlreadyExistsError:
    print('already exists')
print('listed', 'py-admin' in admin.list_topics())
res = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, 'py-admin')])
configs = {c[0]: c[1] for c in res[0].resources[0][4]}
print('retention', configs['retention.ms'], 'cleanup', configs['cleanup.policy'])
admin.delete_topics(['py-admin'])
print('after delete', 'py-admin' in admin.list_topics())
admin.close()
`,
      broker.bootstrap,
    );
    assert.deepEqual(out.trim().split('\n'), [
      'already exists',
      'listed True',
      'retention 3600000 cleanup delete',
      'after delete False',
    ]);
  });

  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
    test(`produce and consume with ${codec}, keys and headers`, async () => {
      const out = await python(
        `
import os
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
topic = 'py-${codec}'
p = KafkaProducer(bootstrap_servers=os.environ['BOOTSTRAP'], compression_type=${codec === 'none' ? 'None' : `'${codec}'`}, linger_ms=5)
futures = [p.send(topic, key=b'k%d' % i, value=b'v%d' % i, headers=[('h', b'x%d' % i)]) for i in range(200)]
offsets = [f.get(timeout=30).offset for f in futures]
p.close()
assert offsets == list(range(200)), offsets
c = KafkaConsumer(bootstrap_servers=os.environ['BOOTSTRAP'], auto_offset_reset='earliest', consumer_timeout_ms=5000)
tp = TopicPartition(topic, 0)
c.assign([tp])
c.seek_to_beginning(tp)
seen = []
for m in c:
    seen.append((m.offset, m.key, m.value, m.headers))
    if len(seen) == 200: break
assert [s[0] for s in seen] == list(range(200))
assert all(s[1] == b'k%d' % s[0] and s[2] == b'v%d' % s[0] and s[3] == [('h', b'x%d' % s[0])] for s in seen), seen[:3]
c.seek(tp, 150)
rest = []
for m in c:
    rest.append(m.offset)
    if len(rest) == 50: break
assert rest == list(range(150, 200)), rest
print('ok', len(seen))
c.close()
`,
        broker.bootstrap,
      );
      assert.equal(out.trim(), 'ok 200');
    });
  }
});
