/**
 * confluent-kafka for Python (Debian's python3-confluent-kafka, librdkafka 2.0.2) against Samsa:
 * admin create/describe/delete, idempotent produce with delivery reports, consume by assignment.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess, requirePythonModule, run } from '@samsa/testkit';

const PYTHON = requirePythonModule('confluent_kafka', 'python3-confluent-kafka');

async function python(script: string, bootstrap: string): Promise<string> {
  const result = await run(PYTHON, ['-c', script], { env: { ...process.env, BOOTSTRAP: bootstrap }, timeoutMs: 60000 });
  assert.equal(result.code, 0, `python failed:\n${result.stderr}\n${result.stdout}`);
  return result.stdout;
}

describe('confluent-kafka (python)', () => {
  let broker: BrokerProcess;
  before(async () => {
    broker = await BrokerProcess.start();
  });
  after(async () => {
    await broker?.close();
  });

  test('admin: create, describe, list and delete topics; describe configs', async () => {
    const out = await python(
      `
import os
from confluent_kafka.admin import AdminClient, NewTopic, ConfigResource
a = AdminClient({'bootstrap.servers': os.environ['BOOTSTRAP']})
fs = a.create_topics([NewTopic('ck-admin', num_partitions=4, replication_factor=1, config={'cleanup.policy': 'compact'})])
for t, f in fs.items(): f.result()
md = a.list_topics(timeout=10)
print('partitions', len(md.topics['ck-admin'].partitions))
try:
    for t, f in a.create_topics([NewTopic('ck-admin', num_partitions=1, replication_factor=1)]).items(): f.result()
except Exception as e:
    print('error', e.args[0].name())
res = a.describe_configs([ConfigResource('topic', 'ck-admin')])
for r, f in res.items():
    cfg = f.result()
    print('cleanup.policy', cfg['cleanup.policy'].value, cfg['cleanup.policy'].source)
for t, f in a.delete_topics(['ck-admin']).items(): f.result()
print('deleted', 'ck-admin' not in a.list_topics(timeout=10).topics)
`,
      broker.bootstrap,
    );
    assert.deepEqual(out.trim().split('\n'), [
      'partitions 4',
      'error TOPIC_ALREADY_EXISTS',
      'cleanup.policy compact 1',
      'deleted True',
    ]);
  });

  test('idempotent producer with delivery reports, then consume everything back', async () => {
    const out = await python(
      `
import os
from confluent_kafka import Producer, Consumer, TopicPartition
topic = 'ck-data'
p = Producer({'bootstrap.servers': os.environ['BOOTSTRAP'], 'enable.idempotence': True, 'linger.ms': 5, 'compression.type': 'zstd'})
delivered = []
def cb(err, msg):
    assert err is None, err
    delivered.append((msg.partition(), msg.offset()))
for i in range(2000):
    p.produce(topic, key=b'k%d' % (i % 10), value=b'value-%d' % i, headers=[('n', str(i).encode())], on_delivery=cb)
    p.poll(0)
assert p.flush(30) == 0
assert len(delivered) == 2000
c = Consumer({'bootstrap.servers': os.environ['BOOTSTRAP'], 'group.id': 'unused', 'enable.auto.commit': False})
c.assign([TopicPartition(topic, 0, 0)])
got = []
while len(got) < 2000:
    m = c.poll(10)
    assert m is not None, 'timed out after %d' % len(got)
    assert m.error() is None, m.error()
    got.append((m.offset(), m.value(), m.headers()))
assert [g[0] for g in got] == list(range(2000))
assert all(g[1] == b'value-%d' % g[0] and g[2] == [('n', str(g[0]).encode())] for g in got)
lo, hi = c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)
print('watermarks', lo, hi)
c.close()
`,
      broker.bootstrap,
    );
    assert.equal(out.trim(), 'watermarks 0 2000');
  });
});
