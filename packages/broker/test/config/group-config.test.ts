/** Group configs: defaults from the broker, Kafka's checks on overrides (bounds, heartbeat below session). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode, KafkaError } from '@samsa/protocol';
import { BrokerConfig } from '../../src/config/broker-config.js';
import { GroupConfig, validateGroupConfigs } from '../../src/config/group-config.js';

const broker = new BrokerConfig(
  new Map([
    ['group.consumer.session.timeout.ms', '50000'],
    ['group.share.max.record.lock.duration.ms', '90000'],
  ]),
);

function refusal(overrides: Record<string, string>): string {
  try {
    validateGroupConfigs(overrides, broker);
  } catch (err) {
    assert.ok(err instanceof KafkaError);
    assert.equal(err.errorCode, ErrorCode.INVALID_CONFIG);
    return err.message;
  }
  assert.fail(`${JSON.stringify(overrides)} was accepted`);
}

describe('group configs', () => {
  test('a group without overrides has the broker values, described as defaults', () => {
    const config = new GroupConfig({}, broker);
    assert.equal(config.int('consumer.session.timeout.ms'), 50000);
    assert.equal(config.get('share.auto.offset.reset'), 'latest');
    const [entry] = config.describe(['consumer.session.timeout.ms']);
    assert.deepEqual([entry?.value, entry?.source, entry?.isDefault], ['50000', 5 /* DEFAULT_CONFIG */, true]);
  });

  test('an override wins and is described as GROUP_CONFIG', () => {
    const config = new GroupConfig({ 'share.record.lock.duration.ms': '80000' }, broker);
    assert.equal(config.int('share.record.lock.duration.ms'), 80000);
    assert.equal(config.describe(['share.record.lock.duration.ms'])[0]?.source, 8 /* GROUP_CONFIG */);
  });

  test('overrides within the broker bounds pass, including a raised maximum', () => {
    validateGroupConfigs({ 'share.record.lock.duration.ms': '90000', 'consumer.session.timeout.ms': '45000' }, broker);
    validateGroupConfigs({ 'share.auto.offset.reset': 'by_duration:P1DT2H30M' }, broker);
    validateGroupConfigs({ 'streams.num.standby.replicas': '2' }, broker);
  });

  test('refusals name the key and the bound', () => {
    assert.equal(
      refusal({ 'consumer.session.timeout.ms': '44999' }),
      'consumer.session.timeout.ms must be greater than or equal to group.consumer.min.session.timeout.ms',
    );
    assert.equal(
      refusal({ 'share.record.lock.duration.ms': '90001' }),
      'share.record.lock.duration.ms must be less than or equal to group.share.max.record.lock.duration.ms',
    );
    assert.equal(
      refusal({ 'streams.num.standby.replicas': '3' }),
      'streams.num.standby.replicas must be less than or equal to group.streams.max.standby.replicas',
    );
    assert.equal(refusal({ 'group.id': 'x' }), 'Unknown group config name: group.id');
    assert.match(refusal({ 'consumer.session.timeout.ms': 'soon' }), /consumer\.session\.timeout\.ms/);
    assert.match(refusal({ 'share.auto.offset.reset': 'by_duration:1h' }), /share\.auto\.offset\.reset/);
    assert.match(refusal({ 'share.isolation.level': 'READ_COMMITTED' }), /read_committed, read_uncommitted/);
  });

  test('a heartbeat interval must stay below the session timeout, counting the defaults', () => {
    // Kafka's default bounds keep every interval below every timeout; widened bounds need the check.
    validateGroupConfigs({ 'consumer.heartbeat.interval.ms': '15000', 'consumer.session.timeout.ms': '45000' }, broker);
    const tight = new BrokerConfig(
      new Map([
        ['group.share.max.heartbeat.interval.ms', '60000'],
        ['group.share.heartbeat.interval.ms', '5000'],
      ]),
    );
    validateGroupConfigs({ 'share.heartbeat.interval.ms': '44999' }, tight);
    assert.throws(
      () => validateGroupConfigs({ 'share.heartbeat.interval.ms': '45000' }, tight),
      /share\.heartbeat\.interval\.ms must be less than share\.session\.timeout\.ms/,
    );
  });
});
