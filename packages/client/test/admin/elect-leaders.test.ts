import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ApiKey, ErrorCode } from '@samsa/protocol';
import { Admin } from '../../src/admin/admin.js';
import { FakeBroker, type ReceivedRequest } from '../support/fake-broker.js';

/** An ElectLeaders answer giving `errorCode` to every partition asked for. */
function answer(request: ReceivedRequest, topLevel: number, partitionError: number) {
  return {
    errorCode: topLevel,
    replicaElectionResults: (request.body.topicPartitions ?? []).map((t: { topic: string; partitions: number[] }) => ({
      topic: t.topic,
      partitionResult: t.partitions.map((partitionId) => ({
        partitionId,
        errorCode: partitionError,
        errorMessage: partitionError === 0 ? null : 'Leader election not needed for topic partition.',
      })),
    })),
  };
}

describe('Admin.electLeaders', () => {
  let broker: FakeBroker | undefined;
  let admin: Admin | undefined;
  afterEach(async () => {
    await admin?.close();
    await broker?.close();
  });

  it('sends ElectLeaders to the controller and retries after NOT_CONTROLLER with fresh metadata', async () => {
    let elections = 0;
    broker = await FakeBroker.start((r) => {
      if (r.apiKey !== ApiKey.ElectLeaders) return undefined;
      elections++;
      return elections === 1 ? answer(r, ErrorCode.NOT_CONTROLLER, 0) : answer(r, 0, 0);
    });
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap, 'retry.backoff.ms': 10 });
    const metadataBefore = broker.named('Metadata').length;
    const results = await admin.electLeaders('UNCLEAN', [
      { topic: 'b', partition: 1 },
      { topic: 'a', partition: 0 },
    ]);
    assert.deepEqual(results, [
      { topic: 'a', partition: 0, error: null },
      { topic: 'b', partition: 1, error: null },
    ]);
    const sent = broker.named('ElectLeaders');
    assert.equal(sent.length, 2);
    assert.equal(sent[1]?.body.electionType, 1, 'UNCLEAN is 1 on the wire');
    assert.ok(broker.named('Metadata').length >= metadataBefore + 2, 'metadata asked again after NOT_CONTROLLER');
  });

  it('reports each partition: ELECTION_NOT_NEEDED is an outcome, not a failure of the call', async () => {
    broker = await FakeBroker.start((r) =>
      r.apiKey === ApiKey.ElectLeaders ? answer(r, 0, ErrorCode.ELECTION_NOT_NEEDED) : undefined,
    );
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    const [result] = await admin.electLeaders('PREFERRED', [{ topic: 't', partition: 0 }]);
    assert.equal(result?.error?.errorName, 'ELECTION_NOT_NEEDED');
    assert.equal(broker.named('ElectLeaders')[0]?.body.electionType, 0);
  });

  it('gives up with REQUEST_TIMED_OUT when the controller never answers as one', async () => {
    broker = await FakeBroker.start((r) =>
      r.apiKey === ApiKey.ElectLeaders ? answer(r, ErrorCode.NOT_CONTROLLER, 0) : undefined,
    );
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap, 'retry.backoff.ms': 20 });
    await assert.rejects(admin.electLeaders('PREFERRED', null, { timeoutMs: 200 }), { errorName: 'REQUEST_TIMED_OUT' });
  });
});
