/**
 * Which group a listener's consumers join, as Spring picks it (no broker needed: containers are
 * inspected before start): `groupId`, else an explicit `id` (idIsGroup), else the consumer's
 * `group.id`, else the generated id; retry and DLT containers add their topic's suffix.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaApplication, KafkaListener, RetryableTopic, silentLogger } from '../../src/index.js';

function app(consumer: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): KafkaApplication {
  return new KafkaApplication({
    common: { 'bootstrap.servers': 'localhost:1' },
    consumer,
    logger: silentLogger,
    shutdownSignals: false,
    ...extra,
  });
}

function groupOf(a: KafkaApplication, id: string): string | null | undefined {
  return a.listenerContainer(id)?.children[0]?.groupId;
}

describe('listener group ids', () => {
  it('groupId beats an explicit id, which beats spring.kafka.consumer.group-id', () => {
    const a = app({ 'group.id': 'from-config' });
    a.listen({ id: 'with-group', groupId: 'attribute', topics: 't' }, () => {});
    a.listen({ id: 'explicit', topics: 't' }, () => {});
    a.listen({ id: 'not-a-group', idIsGroup: false, topics: 't' }, () => {});
    const generated = a.listen({ topics: 't' }, () => {});
    assert.equal(groupOf(a, 'with-group'), 'attribute');
    assert.equal(groupOf(a, 'explicit'), 'explicit', 'idIsGroup: the id beats group.id');
    assert.equal(groupOf(a, 'not-a-group'), 'from-config', 'idIsGroup false: group.id');
    assert.equal(generated.children[0]?.groupId, 'from-config', 'a generated id is not a group');
  });

  it('falls back to the generated id without any group.id; per-listener properties count as config', () => {
    const a = app();
    const generated = a.listen({ topics: 't' }, () => {});
    assert.equal(generated.children[0]?.groupId, generated.id);
    a.listen({ id: 'p', idIsGroup: false, topics: 't', properties: { 'group.id': 'from-properties' } }, () => {});
    assert.equal(groupOf(a, 'p'), 'from-properties');
    a.listen({ id: 'blank', groupId: ' ', topics: 't' }, () => {});
    assert.equal(groupOf(a, 'blank'), 'blank', 'a blank groupId counts as none');
  });

  it('@KafkaListener: the generated Class.method id loses to group.id, an explicit id wins', () => {
    class Listeners {
      @KafkaListener({ topics: 'a' })
      onA() {}

      @KafkaListener({ topics: 'b', id: 'b-listener' })
      onB() {}
    }
    const a = app({ 'group.id': 'from-config' });
    a.register(new Listeners());
    assert.equal(groupOf(a, 'Listeners.onA'), 'from-config');
    assert.equal(groupOf(a, 'b-listener'), 'b-listener');
    const b = app();
    b.register(new Listeners());
    assert.equal(groupOf(b, 'Listeners.onA'), 'Listeners.onA');
  });

  it('retry and DLT containers join the main group plus their topic suffix', () => {
    const a = app({ 'group.id': 'from-config' });
    a.listen({ id: 'pay', groupId: 'payments', topics: 't', retryableTopic: { attempts: 3 } }, () => {});
    a.listen({ topics: 'u', retryableTopic: { attempts: 2, dltTopicSuffix: '-dead' } }, () => {});
    class Orders {
      @KafkaListener({ topics: 'o', id: 'orders' })
      @RetryableTopic({ attempts: 2, fixedDelayTopicStrategy: 'SINGLE_TOPIC' })
      onOrder() {}
    }
    a.register(new Orders());
    const groups = Object.fromEntries(a.listenerContainers.map((c) => [c.id, c.children[0]?.groupId]));
    assert.deepEqual(groups, {
      pay: 'payments',
      'pay-retry-0': 'payments-retry-0',
      'pay-retry-1': 'payments-retry-1',
      'pay-dlt': 'payments-dlt',
      'listener-0': 'from-config',
      'listener-0-retry-0': 'from-config-retry-0',
      'listener-0-dead': 'from-config-dead',
      orders: 'orders',
      'orders-retry': 'orders-retry',
      'orders-dlt': 'orders-dlt',
    });
    assert.equal(new Set(Object.values(groups)).size, 10, 'no two containers share a group');
  });

  it('the application retryTopic covers record listeners with named topics, not batch or pattern ones', () => {
    const a = app({}, { retryTopic: { attempts: 2, sameIntervalTopicReuseStrategy: 'SINGLE_TOPIC' } });
    a.listen({ id: 'plain', topics: 't' }, () => {});
    a.listen({ id: 'own', topics: 't2', retryableTopic: { attempts: 3 } }, () => {});
    a.listen({ id: 'batch', topics: 't3', batch: true }, () => {});
    a.listen({ id: 'pattern', topicPattern: /t4.*/ }, () => {});
    assert.deepEqual(
      a.listenerContainers.map((c) => c.id),
      ['plain', 'plain-retry', 'plain-dlt', 'own', 'own-retry-0', 'own-retry-1', 'own-dlt', 'batch', 'pattern'],
    );
  });
});
