import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '@samsa/protocol';
import type { TransactionCoordinator } from '../../../src/coordinator/transaction/transaction-coordinator.js';
import { produceErrorForVerification, TxnVerifier } from '../../../src/coordinator/transaction/txn-verifier.js';
import type { MetadataCache } from '../../../src/metadata/metadata-cache.js';

const BROKER_ID = 1;
const TP = { topic: 'a', partition: 0 };

/** A verifier on the broker that coordinates every id, whose coordinator answers `answer`. */
function verifierAnswering(answer: number): TxnVerifier {
  const metadata = { image: { partition: () => ({ leader: BROKER_ID }) } } as unknown as MetadataCache;
  const coordinator = {
    partitionFor: () => 0,
    verifyPartition: () => answer,
  } as unknown as TransactionCoordinator;
  return new TxnVerifier({
    brokerId: BROKER_ID,
    metadata,
    coordinator,
    listenerName: 'PLAINTEXT',
    requestTimeoutMs: 1000,
  });
}

describe('TxnVerifier', () => {
  it('passes TRANSACTION_ABORTABLE only to requesters that know it; older ones get INVALID_TXN_STATE', async () => {
    const verifier = verifierAnswering(ErrorCode.TRANSACTION_ABORTABLE);
    assert.deepEqual(await verifier.verify('t', 1, 0, [TP], true), [ErrorCode.TRANSACTION_ABORTABLE]);
    assert.deepEqual(await verifier.verify('t', 1, 0, [TP], false), [ErrorCode.INVALID_TXN_STATE]);
  });

  it('answers PRODUCER_FENCED as INVALID_PRODUCER_EPOCH, and the rest as the coordinator did', async () => {
    for (const [answer, expected] of [
      [ErrorCode.NONE, ErrorCode.NONE],
      [ErrorCode.PRODUCER_FENCED, ErrorCode.INVALID_PRODUCER_EPOCH],
      [ErrorCode.INVALID_PRODUCER_ID_MAPPING, ErrorCode.INVALID_PRODUCER_ID_MAPPING],
      [ErrorCode.CONCURRENT_TRANSACTIONS, ErrorCode.CONCURRENT_TRANSACTIONS],
      [ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS],
    ] as const) {
      for (const supportsAbortable of [true, false]) {
        const codes = await verifierAnswering(answer).verify('t', 1, 0, [TP], supportsAbortable);
        assert.deepEqual(codes, [expected], `coordinator answer ${answer}`);
      }
    }
  });

  it('a Produce response carries the errors that mean "ask again" as NOT_ENOUGH_REPLICAS', () => {
    for (const code of [
      ErrorCode.CONCURRENT_TRANSACTIONS,
      ErrorCode.NETWORK_EXCEPTION,
      ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
      ErrorCode.COORDINATOR_NOT_AVAILABLE,
      ErrorCode.NOT_COORDINATOR,
    ]) {
      assert.equal(produceErrorForVerification(code), ErrorCode.NOT_ENOUGH_REPLICAS);
    }
    for (const code of [
      ErrorCode.NONE,
      ErrorCode.TRANSACTION_ABORTABLE,
      ErrorCode.INVALID_TXN_STATE,
      ErrorCode.INVALID_PRODUCER_EPOCH,
      ErrorCode.INVALID_PRODUCER_ID_MAPPING,
    ]) {
      assert.equal(produceErrorForVerification(code), code);
    }
  });
});
