import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WorkerLoad } from '../../src/distributed/eager-assignor.js';
import { IncrementalCooperativeAssignor } from '../../src/distributed/incremental-cooperative-assignor.js';

const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));
const none: WorkerLoad = { connectors: [], tasks: [] };
const tasks = (connector: string, ...ids: number[]) => ids.map((task) => ({ connector, task }));

/** The members' full assignments after applying a round, as their next allocations. */
function apply(
  allocations: Map<string, WorkerLoad>,
  plan: ReturnType<IncrementalCooperativeAssignor['assign']>,
): Map<string, WorkerLoad> {
  const out = new Map<string, WorkerLoad>();
  for (const [member, { assigned, revoked }] of plan.members) {
    const before = allocations.get(member) ?? none;
    const key = (t: { connector: string; task: number }) => `${t.connector}-${t.task}`;
    const revokedTasks = new Set(revoked.tasks.map(key));
    out.set(member, {
      connectors: [...before.connectors.filter((c) => !revoked.connectors.includes(c)), ...assigned.connectors],
      tasks: [...before.tasks.filter((t) => !revokedTasks.has(key(t))), ...assigned.tasks],
    });
  }
  return out;
}

test('new work goes to the least loaded; members keep what they run', () => {
  const assignor = new IncrementalCooperativeAssignor(0);
  const first = assignor.assign(
    new Map([
      ['a', none],
      ['b', none],
    ]),
    ['s'],
    counts({ s: 3 }),
    0,
  );
  // Connectors and tasks are balanced apart (as Kafka counts them).
  assert.deepEqual(first.members.get('a'), { assigned: { connectors: ['s'], tasks: tasks('s', 0, 2) }, revoked: none });
  assert.deepEqual(first.members.get('b'), { assigned: { connectors: [], tasks: tasks('s', 1) }, revoked: none });
  const allocations = apply(new Map(), first);
  const second = assignor.assign(allocations, ['s'], counts({ s: 3 }), 1);
  for (const plan of second.members.values()) assert.deepEqual(plan, { assigned: none, revoked: none });
});

test('a joining member gets work by revocation then reassignment, one round apart', () => {
  const assignor = new IncrementalCooperativeAssignor(0);
  let allocations = apply(new Map(), assignor.assign(new Map([['a', none]]), ['s'], counts({ s: 4 }), 0));
  assert.equal(allocations.get('a')!.tasks.length, 4);
  allocations.set('b', none);
  const revoking = assignor.assign(allocations, ['s'], counts({ s: 4 }), 1);
  assert.deepEqual(revoking.members.get('a')!.revoked, { connectors: [], tasks: tasks('s', 2, 3) });
  assert.deepEqual(revoking.members.get('b')!.assigned, none);
  allocations = apply(allocations, revoking);
  const dealing = assignor.assign(allocations, ['s'], counts({ s: 4 }), 2);
  assert.deepEqual(dealing.members.get('b')!.assigned, { connectors: [], tasks: tasks('s', 2, 3) });
  assert.deepEqual(dealing.members.get('a')!.revoked, none);
});

test("a departed member's work is held for scheduled.rebalance.max.delay.ms, then dealt out", () => {
  const assignor = new IncrementalCooperativeAssignor(10_000);
  const allocations = apply(
    new Map(),
    assignor.assign(
      new Map([
        ['a', none],
        ['b', none],
      ]),
      ['s'],
      counts({ s: 2 }),
      0,
    ),
  );
  const bWork = allocations.get('b')!;
  assert.equal(bWork.tasks.length, 1);
  allocations.delete('b');
  const held = assignor.assign(allocations, ['s'], counts({ s: 2 }), 1_000);
  assert.equal(held.delayMs, 10_000);
  assert.deepEqual(held.members.get('a'), { assigned: none, revoked: none });
  const stillHeld = assignor.assign(allocations, ['s'], counts({ s: 2 }), 6_000);
  assert.equal(stillHeld.delayMs, 5_000);
  const released = assignor.assign(allocations, ['s'], counts({ s: 2 }), 11_000);
  assert.equal(released.delayMs, 0);
  assert.deepEqual(released.members.get('a')!.assigned, bWork);
});

test('deleted connectors and tasks are revoked from whoever runs them', () => {
  const assignor = new IncrementalCooperativeAssignor(0);
  const allocations = apply(new Map(), assignor.assign(new Map([['a', none]]), ['s', 't'], counts({ s: 2, t: 1 }), 0));
  const plan = assignor.assign(allocations, ['s'], counts({ s: 1 }), 1);
  assert.deepEqual(plan.members.get('a')!.revoked, { connectors: ['t'], tasks: [...tasks('s', 1), ...tasks('t', 0)] });
});
