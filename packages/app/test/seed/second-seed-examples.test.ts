/**
 * Every Spring Boot Kafka example of the second seed document, translated to this package and
 * run against a real broker, configured from the seed's own `application.properties` (only the
 * bootstrap servers and the JSON deserializer of its JSON example differ). The README shows each
 * Java original beside its translation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Admin, Consumer, type ConsumerRecord, type RecordMetadata, type TopicPartition } from '@samsa/client';
import type { BrokerProcess } from '@samsa/testkit';
import {
  JsonTypeMapper,
  KafkaApplication,
  KafkaHeaders,
  KafkaListener,
  type ListenerConsumer,
  type ListenerContext,
  type ListenerMessage,
  NewTopic,
  SendTo,
  silentLogger,
} from '../../src/index.js';
import { readAll, startBroker, uniqueName, waitFor } from '../support/app-harness.js';

class UserBean {
  constructor(
    readonly name: string,
    readonly age: number,
  ) {}
}

const mapper = new JsonTypeMapper().register('com.kun.kafka.bean.UserBean', UserBean);

/** The seed's producer and consumer blocks; JsonDeserializer with trusted packages as its JSON example. */
function seedProperties(bootstrap: string, extra = ''): string {
  return `
spring.kafka.bootstrap-servers=${bootstrap}
spring.kafka.producer.retries=1
spring.kafka.producer.acks=-1
spring.kafka.admin.client-id=kun-117
spring.kafka.producer.batch-size=16384
spring.kafka.producer.properties.linger.ms=0
spring.kafka.producer.buffer-memory=33554432
spring.kafka.producer.key-serializer=org.apache.kafka.common.serialization.StringSerializer
spring.kafka.producer.value-serializer=org.springframework.kafka.support.serializer.JsonSerializer
spring.kafka.consumer.properties.group.id=kun-117-consumerGroup
spring.kafka.consumer.enable-auto-commit=true
spring.kafka.consumer.max-poll-records=500
spring.kafka.consumer.heartbeat-interval=3000
spring.kafka.consumer.auto-commit-interval=5000
spring.kafka.consumer.auto-offset-reset=earliest
spring.kafka.consumer.properties.session.timeout.ms=120000
spring.kafka.consumer.properties.request.timeout.ms=180000
spring.kafka.consumer.key-deserializer=org.apache.kafka.common.serialization.StringDeserializer
spring.kafka.consumer.value-deserializer=org.springframework.kafka.support.serializer.JsonDeserializer
spring.kafka.consumer.properties.spring.json.trusted.packages=com.kun.kafka.bean
spring.kafka.listener.missing-topics-fatal=true
spring.kafka.consumer.fetch-min-size=1
spring.kafka.consumer.fetch-max-wait=50
${extra}`;
}

describe("the second seed's Spring Boot Kafka examples", () => {
  let broker: BrokerProcess;
  const apps: KafkaApplication[] = [];

  function application(extra = '', options: Parameters<typeof KafkaApplication.fromSpringConfig>[1] = {}) {
    const app = KafkaApplication.fromSpringConfig(seedProperties(broker.bootstrap, extra), {
      typeMapper: mapper,
      logger: silentLogger,
      shutdownSignals: false,
      producerListener: null,
      ...options,
    });
    apps.push(app);
    return app;
  }

  before(async () => {
    broker = await startBroker();
  });
  after(async () => {
    for (const app of apps) await app.stop();
    await broker?.stop();
  });

  it('NewTopic("test-topic", 8, …) creates the topic with 8 partitions at start', async () => {
    const topic = uniqueName('test-topic');
    const app = application();
    app.declareTopic(new NewTopic(topic, 8, 1));
    await app.start();
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    try {
      const [described] = await admin.describeTopics([topic]);
      assert.equal(described?.partitions.length, 8);
    } finally {
      await admin.close();
    }
  });

  it('kafkaTemplate.send variants, JsonSerializer → JsonDeserializer with trusted packages, @Header(RECEIVED_TOPIC)', async () => {
    const topic = uniqueName('test-topic');
    const app = application();
    app.declareTopic(new NewTopic(topic, 2, 1));
    const received: { user: unknown; topic: unknown; typeId: string | undefined }[] = [];
    class JsonListener {
      @KafkaListener({ topics: topic, groupId: uniqueName('consumer-kun-app'), containerGroup: 'consumer-kun-app' })
      onMessage(record: ConsumerRecord<string, UserBean>, ctx: ListenerContext) {
        const typeId = record.headers.find((h) => h.key === '__TypeId__')?.value?.toString();
        received.push({ user: record.value, topic: ctx.headers[KafkaHeaders.RECEIVED_TOPIC], typeId });
      }
    }
    app.register(new JsonListener());
    await app.start();
    const t = app.template;
    const results = await Promise.all([
      t.send(topic, new UserBean('kun', 18)),
      t.send(topic, 'key-1', new UserBean('Jack', 20)),
      t.send(topic, 0, '', new UserBean('Jane', 21)),
      t.send(topic, 0, Math.floor(Date.now() / 1000), '', new UserBean('Lot', 33)),
    ]);
    assert.deepEqual(
      results.slice(2).map((r) => r.recordMetadata.partition),
      [0, 0],
    );
    await waitFor(() => received.length === 4, 'four users received');
    for (const r of received) {
      assert.ok(r.user instanceof UserBean, 'deserialized into the registered class');
      assert.equal(r.topic, topic);
      assert.equal(r.typeId, 'com.kun.kafka.bean.UserBean');
    }
    assert.deepEqual(received.map((r) => (r.user as UserBean).name).sort(), ['Jack', 'Jane', 'Lot', 'kun']);
  });

  it('single-record listener that throws; its ConsumerAwareListenerErrorHandler seeks back to the record', async () => {
    const topic = uniqueName('test-topic');
    const app = application();
    app.declareTopic(new NewTopic(topic, 1, 1));
    const deliveries: bigint[] = [];
    class SingleRecordListener {
      @KafkaListener({
        topics: [topic],
        groupId: uniqueName('consumer-kun-app'),
        errorHandler: 'kafkaListenerErrorHandler',
      })
      onMessage(record: ConsumerRecord<string, UserBean>) {
        deliveries.push(record.offset);
        throw new Error('模拟异常');
      }

      kafkaListenerErrorHandler(message: ListenerMessage, _exception: Error, consumer: ListenerConsumer) {
        const headers = message.headers;
        const tp = {
          topic: headers[KafkaHeaders.RECEIVED_TOPIC] as string,
          partition: headers[KafkaHeaders.RECEIVED_PARTITION] as number,
        };
        consumer.seek(tp, headers[KafkaHeaders.OFFSET] as bigint);
        return null;
      }
    }
    app.register(new SingleRecordListener());
    await app.start();
    await app.template.send(topic, new UserBean('kun', 18));
    await app.template.send(topic, new UserBean('Jack', 20));
    await waitFor(() => deliveries.length >= 5, 'five deliveries');
    await app.stop();
    assert.deepEqual(
      new Set(deliveries),
      new Set([0n]),
      'the failing record is delivered again and again; the next one waits',
    );
  });

  it('batch listener that throws; the error handler resets every partition to the smallest offset of the batch', async () => {
    const topic = uniqueName('test-topic');
    const app = application('spring.kafka.listener.type=batch');
    app.declareTopic(new NewTopic(topic, 2, 1));
    const batches: ConsumerRecord<string, UserBean>[][] = [];
    class BatchListener {
      @KafkaListener({
        topics: [topic],
        groupId: uniqueName('consumer-kun-app'),
        errorHandler: 'kafkaListenerErrorHandler',
      })
      onMessage(records: ConsumerRecord<string, UserBean>[]) {
        batches.push(records);
        throw new Error('模拟异常');
      }

      kafkaListenerErrorHandler(message: ListenerMessage, _exception: Error, consumer: ListenerConsumer) {
        const topics = message.headers[KafkaHeaders.RECEIVED_TOPIC] as string[];
        const partitions = message.headers[KafkaHeaders.RECEIVED_PARTITION] as number[];
        const offsets = message.headers[KafkaHeaders.OFFSET] as bigint[];
        const toReset = new Map<string, { tp: TopicPartition; offset: bigint }>();
        topics.forEach((t, i) => {
          const tp = { topic: t, partition: partitions[i] as number };
          const k = `${t}-${tp.partition}`;
          const offset = offsets[i] as bigint;
          const current = toReset.get(k);
          if (current === undefined || offset < current.offset) toReset.set(k, { tp, offset });
        });
        for (const { tp, offset } of toReset.values()) consumer.seek(tp, offset);
        return null;
      }
    }
    app.register(new BatchListener());
    await app.start();
    await Promise.all([0, 1, 0, 1].map((p, i) => app.template.send(topic, p, `k${i}`, new UserBean(`u${i}`, i))));
    await waitFor(() => batches.flat().length >= 12, 'the batch delivered three times');
    await app.stop();
    const seen = new Map<string, number>();
    for (const r of batches.flat())
      seen.set(`${r.partition}@${r.offset}`, (seen.get(`${r.partition}@${r.offset}`) ?? 0) + 1);
    assert.deepEqual(
      [...seen.keys()].sort(),
      ['0@0', '0@1', '1@0', '1@1'],
      'only the four records, from their smallest offsets',
    );
    assert.ok(
      [...seen.values()].every((n) => n >= 2),
      'every record of the batch came again',
    );
  });

  it('@SendTo("test-error-topic") forwards what the error handler returns (message.getPayload())', async () => {
    const topic = uniqueName('test-topic');
    const errorTopic = uniqueName('test-error-topic');
    const app = application();
    app.declareTopic(new NewTopic(topic, 1, 1)).declareTopic(new NewTopic(errorTopic, 1, 1));
    const seen: unknown[] = [];
    class ForwardingListener {
      @KafkaListener({
        topics: [topic],
        groupId: uniqueName('consumer-kun-app'),
        errorHandler: 'kafkaListenerErrorHandler',
      })
      @SendTo(errorTopic)
      onMessage(record: ConsumerRecord<string, UserBean>, ctx: ListenerContext) {
        seen.push([
          ctx.headers[KafkaHeaders.RECEIVED_TOPIC],
          ctx.headers[KafkaHeaders.RECEIVED_TIMESTAMP],
          record.value,
        ]);
        throw new Error('模拟异常');
      }

      kafkaListenerErrorHandler(message: ListenerMessage) {
        return message.payload;
      }
    }
    app.register(new ForwardingListener());
    await app.start();
    await app.template.send(topic, 'key-1', new UserBean('Jack', 20));
    const [forwarded] = await readAll(broker.bootstrap, errorTopic, 1, 1);
    assert.deepEqual(JSON.parse(forwarded?.value?.toString() ?? ''), { name: 'Jack', age: 20 });
    assert.equal(
      forwarded?.headers.find((h) => h.key === '__TypeId__')?.value?.toString(),
      'com.kun.kafka.bean.UserBean',
    );
    assert.equal(forwarded?.key?.toString(), 'key-1');
    assert.equal(seen.length, 1);
  });

  it('a ProducerListener counts successes and failures', async () => {
    const topic = uniqueName('test-topic');
    let successCounter = 0;
    let errorCounter = 0;
    const app = application('', {
      producerListener: {
        onSuccess: (_record: unknown, _metadata: RecordMetadata) => {
          successCounter++;
        },
        onError: () => {
          errorCounter++;
        },
      },
    });
    app.declareTopic(new NewTopic(topic, 1, 1));
    await app.start();
    await app.template.send(topic, new UserBean('kun', 18));
    await app.template.send(topic, 'key-1', new UserBean('Jack', 20));
    await assert.rejects(app.template.send(topic, 7, '', new UserBean('Jane', 21)));
    assert.equal(successCounter, 2);
    assert.equal(errorCounter, 1);
  });

  it('executeInTransaction with transaction-id-prefix: a throwing callback commits nothing', async () => {
    const topic = uniqueName('test-topic-1');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Spring placeholder, resolved by the config loader
    const app = application('spring.kafka.producer.transaction-id-prefix=${spring.kafka.admin.client-id}');
    app.declareTopic(new NewTopic(topic, 1, 1));
    await app.start();
    const t = app.template;
    t.setAllowNonTransactional(true);
    await t.send(topic, 'key-1', new UserBean('Jack', 20));
    await t.send(topic, 0, '', new UserBean('Jane', 21));
    t.setAllowNonTransactional(false);
    await assert.rejects(
      t.executeInTransaction(async () => {
        await t.send(topic, new UserBean('Transaction-1', 18));
        await t.send(topic, new UserBean('Transaction-2', 18));
        throw new Error('模拟异常');
      }),
      /模拟异常/,
    );
    await t.executeInTransaction(async () => t.send(topic, new UserBean('Transaction-3', 18)));
    const consumer = new Consumer<Buffer, string>({
      'bootstrap.servers': broker.bootstrap,
      'isolation.level': 'read_committed',
      'auto.offset.reset': 'earliest',
      valueDeserializer: 'string',
    });
    try {
      consumer.assign([{ topic, partition: 0 }]);
      const names: string[] = [];
      await waitFor(async () => {
        for (const r of await consumer.poll({ timeoutMs: 200 })) names.push(JSON.parse(r.value ?? '{}').name);
        return names.includes('Transaction-3');
      }, 'the committed transaction');
      assert.deepEqual(names, ['Jack', 'Jane', 'Transaction-3']);
    } finally {
      await consumer.close();
    }
  });
});
