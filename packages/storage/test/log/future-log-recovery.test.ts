import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planFutureLogs } from '../../src/log/future-log-recovery.js';

const UUID_A = 'a'.repeat(32);
const UUID_B = 'b'.repeat(32);
const names = (refs: readonly { logDir: string; name: string }[]) => refs.map((r) => `${r.logDir}/${r.name}`);

describe('planFutureLogs', () => {
  it('resumes a future whose current log is in another dir', () => {
    const plan = planFutureLogs([
      { logDir: '/d1', names: ['orders-0', 'meta.properties'] },
      { logDir: '/d2', names: [`orders-0.${UUID_A}-future`] },
    ]);
    assert.deepEqual(names(plan.resume), [`/d2/orders-0.${UUID_A}-future`]);
    assert.deepEqual([plan.promote, plan.remove, plan.ignore], [[], [], []]);
    assert.equal(plan.resume[0]?.topic, 'orders');
    assert.equal(plan.resume[0]?.partition, 0);
  });

  it('promotes a future whose swap stopped after the old copy was retired', () => {
    const plan = planFutureLogs([
      { logDir: '/d1', names: [`my.topic-3.${UUID_B}-delete`] },
      { logDir: '/d2', names: [`my.topic-3.${UUID_A}-future`] },
    ]);
    assert.deepEqual(names(plan.promote), [`/d2/my.topic-3.${UUID_A}-future`]);
    assert.equal(plan.promote[0]?.topic, 'my.topic');
    assert.deepEqual(plan.resume, []);
  });

  it('removes orphans, second futures and futures beside their current log', () => {
    const plan = planFutureLogs([
      { logDir: '/d1', names: ['t-0', `t-0.${UUID_A}-future`, `t-1.${UUID_A}-future`] },
      { logDir: '/d2', names: [`t-0.${UUID_B}-future`, `gone-0.${UUID_B}-future`] },
    ]);
    assert.deepEqual(names(plan.resume), [`/d2/t-0.${UUID_B}-future`]);
    assert.deepEqual(
      names(plan.remove).sort(),
      [`/d1/t-0.${UUID_A}-future`, `/d1/t-1.${UUID_A}-future`, `/d2/gone-0.${UUID_B}-future`].sort(),
    );
  });

  it('leaves an orphan alone while a log dir cannot be read', () => {
    const plan = planFutureLogs([
      { logDir: '/d1', names: undefined },
      { logDir: '/d2', names: [`t-0.${UUID_A}-future`] },
    ]);
    assert.deepEqual(names(plan.ignore), [`/d2/t-0.${UUID_A}-future`]);
    assert.deepEqual([plan.resume, plan.promote, plan.remove], [[], [], []]);
  });

  it('ignores names that only look like future dirs', () => {
    const plan = planFutureLogs([{ logDir: '/d1', names: ['t-0.notauuid-future', 'x-future', 't-0'] }]);
    assert.deepEqual([plan.resume, plan.promote, plan.remove, plan.ignore], [[], [], [], []]);
  });
});
