/** Share sessions (KIP-932): epoch 0 opens or replaces, -1 closes, others must match and move on. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode } from '@samsa/protocol';
import { ShareSessions } from '../../src/share/share-sessions.js';

const tp = (partition: number) => ({ topicId: 'T', partition });

describe('share sessions', () => {
  test('open, move on, add and forget partitions, close', () => {
    const sessions = new ShareSessions(10);
    const opened = sessions.update('g', 'm', 0, [tp(0), tp(1)], []);
    assert.ok(opened.ok);
    assert.equal(opened.session.epoch, 1);
    const next = sessions.update('g', 'm', 1, [tp(2)], [tp(0)]);
    assert.ok(next.ok);
    assert.deepEqual([...next.session.partitions.keys()], ['T:1', 'T:2']);
    assert.equal(next.session.epoch, 2);
    const closed = sessions.update('g', 'm', -1, [], []);
    assert.ok(closed.ok);
    assert.equal(closed.closing, true);
    assert.equal(sessions.size, 0);
  });

  test('a wrong epoch, an unknown session, and a full cache are refused', () => {
    const sessions = new ShareSessions(1);
    sessions.update('g', 'm', 0, [tp(0)], []);
    const errorOf = (u: ReturnType<ShareSessions['update']>) => (u.ok ? ErrorCode.NONE : u.errorCode);
    assert.equal(errorOf(sessions.update('g', 'm', 5, [], [])), ErrorCode.INVALID_SHARE_SESSION_EPOCH);
    assert.equal(errorOf(sessions.update('g', 'other', 1, [], [])), ErrorCode.SHARE_SESSION_NOT_FOUND);
    assert.equal(errorOf(sessions.update('g', 'other', 0, [], [])), ErrorCode.SHARE_SESSION_LIMIT_REACHED);
    assert.equal(errorOf(sessions.update('g', 'm', 1, [], [])), ErrorCode.NONE, 'the refused requests moved nothing');
  });

  test('epoch 0 replaces a session, handing back the old one', () => {
    const sessions = new ShareSessions(10);
    sessions.update('g', 'm', 0, [tp(0)], []);
    const again = sessions.update('g', 'm', 0, [tp(1)], []);
    assert.ok(again.ok);
    assert.deepEqual([...(again.replaced?.partitions.keys() ?? [])], ['T:0']);
    assert.deepEqual([...again.session.partitions.keys()], ['T:1']);
    assert.equal(sessions.size, 1);
  });

  test('a full cache evicts its least recently used session once it has been idle long enough', () => {
    const sessions = new ShareSessions(2, 1000);
    sessions.update('g', 'old', 0, [tp(0)], [], 0);
    sessions.update('g', 'busy', 0, [tp(1)], [], 0);
    sessions.update('g', 'old', 1, [], [], 500); // used again: 'busy' is now the oldest
    const tooEarly = sessions.update('g', 'new', 0, [], [], 900);
    assert.equal(tooEarly.ok, false);
    const made = sessions.update('g', 'new', 0, [tp(2)], [], 1000);
    assert.ok(made.ok);
    assert.equal(made.replaced?.memberId, 'busy', 'the evicted session comes back, so its records are released');
    assert.equal(sessions.size, 2);
  });
});
