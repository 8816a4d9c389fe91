/**
 * Transactions on a 3-broker cluster through faults: the transaction coordinator (leader of the
 * id's `__transaction_state` partition) is killed with SIGKILL while a producer commits
 * transactions to a replicated topic whose leaders are elsewhere. Another broker takes over the
 * coordinator from the replicated log; every transaction whose commit was acknowledged is visible
 * to read_committed consumers in full, none is visible in part, nothing is duplicated.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Admin, Consumer, type ConsumerRecord, Producer } from '@samsa/client';
import { KafkaCluster } from '@samsa/testkit';
import { eventually } from './cluster-support.js';

const TOPIC = 'txn-failover';
const PARTITIONS = 3;
const RECORDS_PER_TXN = 20;

describe('transactions on a cluster', () => {
  let cluster: KafkaCluster;
  before(async () => {
    cluster = await KafkaCluster.start({
      properties: {
        'transaction.state.log.num.partitions': 3,
        'offsets.topic.num.partitions': 3,
        'min.insync.replicas': 2,
      },
    });
  });
  after(async () => {
    await cluster?.close();
  });

  it('a killed coordinator is replaced; acknowledged transactions are visible whole, others not at all', async () => {
    const admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
    try {
      await admin.createTopics([{ name: TOPIC, numPartitions: PARTITIONS, replicationFactor: 3 }]);
    } finally {
      await admin.close();
    }
    const transactionalId = 'failover-app';
    const producer = new Producer<string, string>({
      'bootstrap.servers': cluster.bootstrap,
      'transactional.id': transactionalId,
      'transaction.timeout.ms': 20_000,
      'value.serializer': 'string',
      'key.serializer': 'string',
      'linger.ms': 5,
    });
    const acknowledged = new Set<number>();
    const attempted = new Set<number>();
    let killed = -1;
    try {
      await producer.initTransactions();
      const coordinator = await findTransactionCoordinator(cluster, transactionalId);
      for (let txn = 0; txn < 30; txn++) {
        if (txn === 10) {
          killed = coordinator;
          await cluster.kill(coordinator);
        }
        if (txn === 20) await cluster.startBroker(killed);
        attempted.add(txn);
        try {
          producer.beginTransaction();
          const sends = Promise.allSettled(
            Array.from({ length: RECORDS_PER_TXN }, (_, i) =>
              producer.send({ topic: TOPIC, key: `k${i}`, value: `${txn}:${i}` }),
            ),
          );
          try {
            await producer.commitTransaction();
          } finally {
            await sends;
          }
          acknowledged.add(txn);
        } catch (err) {
          // Abortable (e.g. a request timed out while the coordinator moved): abort and go on.
          console.log(`# transaction ${txn} aborted: ${String(err)}`);
          await producer.abortTransaction().catch(() => {});
          assert.ok(!String(err).includes('FENCED'), `not fenced: ${String(err)}`);
        }
      }
    } finally {
      await producer.close();
    }
    assert.ok(killed >= 0);
    assert.ok(acknowledged.size >= 20, `most transactions commit (${acknowledged.size} of 30)`);

    const seen = await readCommitted(cluster.bootstrap);
    const perTxn = new Map<number, Set<string>>();
    for (const r of seen) {
      const [txn] = (r.value ?? '').split(':');
      const set = perTxn.get(Number(txn)) ?? new Set<string>();
      assert.ok(!set.has(r.value ?? ''), `duplicate ${r.value}`);
      set.add(r.value ?? '');
      perTxn.set(Number(txn), set);
    }
    for (const txn of acknowledged) assert.equal(perTxn.get(txn)?.size, RECORDS_PER_TXN, `transaction ${txn} complete`);
    for (const [txn, values] of perTxn) {
      assert.ok(attempted.has(txn));
      assert.equal(values.size, RECORDS_PER_TXN, `transaction ${txn} is all or nothing`);
    }
    console.log(
      `# coordinator ${killed} killed: ${acknowledged.size} of 30 transactions acknowledged, ${perTxn.size} visible`,
    );
  });
});

/** The broker leading the id's `__transaction_state` partition, as FindCoordinator answers. */
async function findTransactionCoordinator(cluster: KafkaCluster, transactionalId: string): Promise<number> {
  const admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
  try {
    return await eventually(
      async () => {
        const [description] = await admin.describeTransactions([transactionalId]);
        return description?.description?.coordinatorId ?? false;
      },
      15_000,
      'the transaction coordinator',
    );
  } finally {
    await admin.close();
  }
}

async function readCommitted(bootstrap: string): Promise<ConsumerRecord<string, string>[]> {
  const consumer = new Consumer<string, string>({
    'bootstrap.servers': bootstrap,
    'isolation.level': 'read_committed',
    'auto.offset.reset': 'earliest',
    'value.deserializer': 'string',
  });
  try {
    const tps = Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: TOPIC, partition }));
    consumer.assign(tps);
    const ends = await eventually(() => consumer.endOffsets(tps), 30_000, 'end offsets');
    const out: ConsumerRecord<string, string>[] = [];
    const deadline = Date.now() + 60_000;
    // read_committed end offsets are the last stable offsets: reaching them means all is read.
    const done = async () => {
      const positions = await Promise.all(tps.map((tp) => consumer.position(tp)));
      // endOffsets answers in the order of the leaders it asked, not of `tps`.
      return positions.every((p, i) => p >= (ends.find((e) => e.partition === tps[i]?.partition)?.offset ?? 0n));
    };
    while (!(await done())) {
      if (Date.now() > deadline) {
        const positions = await Promise.all(tps.map((tp) => consumer.position(tp)));
        const now = await consumer.endOffsets(tps);
        throw new Error(
          `read ${out.length} records; positions ${positions.join(',')} never reached the ends ${ends.map((e) => e.offset).join(',')} (now ${now.map((e) => e.offset).join(',')})`,
        );
      }
      out.push(...(await consumer.poll({ timeoutMs: 500 })));
    }
    return out;
  } finally {
    await consumer.close();
  }
}
