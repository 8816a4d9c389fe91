import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Controller } from '../../src/controller/controller.js';
import { PRODUCER_ID_BLOCK_SIZE } from '../../src/controller/local-controller.js';
import { ProducerIdManager } from '../../src/producer/producer-id-manager.js';

/** A controller whose block reservations the test answers by hand, as ZooKeeper would late or never. */
class Blocks {
  readonly requests: ((start: number) => void)[] = [];
  private nextStart = 0;
  readonly controller = {
    allocateProducerIds: (count: number) =>
      new Promise<number>((resolve) => {
        this.requests.push(() => {
          resolve(this.nextStart);
          this.nextStart += count;
        });
      }),
  } as unknown as Controller;

  grant(): void {
    const request = this.requests.shift();
    assert.ok(request, 'a block was requested');
    request(0);
  }
}

describe('producer ID manager', () => {
  test('the block reserved at startup answers while the controller is unreachable', async () => {
    const blocks = new Blocks();
    const ids = new ProducerIdManager(blocks.controller);
    ids.prefetch();
    blocks.grant();
    // No further reservation is answered (ZooKeeper away), yet IDs keep coming from the block.
    const got = [];
    for (let i = 0; i < 10; i++) got.push(await ids.generateProducerId());
    assert.deepEqual(got, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('the next block is reserved at 90% and taken when the current one runs out', async () => {
    const blocks = new Blocks();
    const ids = new ProducerIdManager(blocks.controller);
    ids.prefetch();
    blocks.grant();
    const threshold = PRODUCER_ID_BLOCK_SIZE * 0.9;
    for (let i = 0; i < threshold - 1; i++) await ids.generateProducerId();
    assert.equal(blocks.requests.length, 0, 'nothing reserved before 90%');
    await ids.generateProducerId();
    assert.equal(blocks.requests.length, 1, 'the next block is asked for at 90%');
    blocks.grant();
    for (let i = threshold; i < PRODUCER_ID_BLOCK_SIZE; i++) assert.equal(await ids.generateProducerId(), i);
    assert.equal(await ids.generateProducerId(), PRODUCER_ID_BLOCK_SIZE);
  });

  test('callers waiting for one block each get a distinct ID', async () => {
    const blocks = new Blocks();
    const ids = new ProducerIdManager(blocks.controller);
    const waiting = Promise.all([ids.generateProducerId(), ids.generateProducerId(), ids.generateProducerId()]);
    assert.equal(blocks.requests.length, 1, 'one reservation for all of them');
    blocks.grant();
    assert.deepEqual((await waiting).sort(), [0, 1, 2]);
  });

  test('a failed reservation fails the waiting call and is tried again by the next', async () => {
    let calls = 0;
    const errors: unknown[] = [];
    const controller = {
      allocateProducerIds: async () => {
        calls++;
        if (calls === 1) throw new Error('ZooKeeper connection loss');
        return 5000;
      },
    } as unknown as Controller;
    const ids = new ProducerIdManager(controller, (err) => errors.push(err));
    await assert.rejects(ids.generateProducerId(), /connection loss/);
    assert.equal(errors.length, 1, 'the failure is reported');
    assert.equal(await ids.generateProducerId(), 5000);
  });
});
