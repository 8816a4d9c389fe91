/**
 * Produce (key 0), versions 0-11.
 * v0-2 use message formats v0/v1, which Samsa does not store: they are advertised (librdkafka
 * turns compression off when Produce v0 is not advertised, as Kafka 4 learned) and every
 * partition is answered UNSUPPORTED_VERSION. v3: transactional id, message format v2. v5: log
 * start offset. v7: zstd. v8: record errors and error message (KIP-467). v9: flexible.
 * v10: current leader on NOT_LEADER (KIP-951). v11: TRANSACTION_ABORTABLE may be returned — for a
 * transactional batch whose partition is not in the producer's transaction (KIP-890
 * verification); v3-10 get INVALID_TXN_STATE there instead.
 *
 * acks=0 gets no response; if any partition fails, the connection is closed instead, which is
 * how Kafka tells an acks=0 producer that something went wrong.
 *
 * ACLs (KafkaApis.handleProduceRequest): a request whose first batch of some partition is
 * transactional needs WRITE on its TRANSACTIONAL_ID, else the whole request is refused
 * (TRANSACTIONAL_ID_AUTHORIZATION_FAILED on every partition; acks=0: the connection is closed).
 * Each topic needs WRITE, else its partitions get TOPIC_AUTHORIZATION_FAILED — checked before
 * existence, so an unknown topic the principal may not write does not answer
 * UNKNOWN_TOPIC_OR_PARTITION. Idempotent batches need nothing more (KIP-679). Without an
 * authorizer none of this runs.
 */
import {
  ApiKey,
  BatchHeader,
  ErrorCode,
  isTransactional,
  KafkaError,
  type ProduceRequest,
  type ProduceResponseInput,
  type ProduceResponsePartitionProduceResponseInput,
  type ProduceResponseTopicProduceResponseInput,
  readBatchHeader,
} from '@samsa/protocol';
import { produceErrorForVerification } from '../coordinator/transaction/txn-verifier.js';
import type { PendingAppends, ProduceEntry } from '../replica/replica-manager.js';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { authorize, filterAuthorized } from './authorization.js';
import { definePipelinedHandler, type RequestContext, type RequestSummary } from './handler.js';
import { LeaderHints } from './leader-hints.js';
import { needsTxnVerification } from './txn-verification.js';

/** Produce v11: a failed transaction verification may be answered TRANSACTION_ABORTABLE (KIP-890). */
const FIRST_VERSION_WITH_TRANSACTION_ABORTABLE = 11;

/**
 * Pipelined (see PipelinedHandler): `stage` appends — the only step that reads the records, which
 * are views of the request frame — and `complete` waits for the acks and builds the response.
 */
export const produceHandler = definePipelinedHandler<ProduceRequest, ProduceResponseInput | undefined, Staged>({
  apiKey: ApiKey.Produce,
  minVersion: 0,
  maxVersion: 11,
  pipelined: true,
  expectsResponse: (request) => request.acks !== 0,
  stage(request, ctx): Staged | Promise<Staged> {
    if (request.acks !== 0 && request.acks !== 1 && request.acks !== -1) {
      return { refused: ErrorCode.INVALID_REQUIRED_ACKS };
    }
    if (ctx.apiVersion < 3) return { refused: ErrorCode.UNSUPPORTED_VERSION };
    const entries: ProduceEntry[] = [];
    for (const topic of request.topicData) {
      for (const p of topic.partitionData) entries.push({ topic: topic.name, partition: p.index, records: p.records });
    }
    const denied = ctx.services.authorizer === undefined ? undefined : refuseUnauthorized(request, entries, ctx);
    const unverified = request.transactionalId === null ? [] : transactionStarts(entries, ctx);
    if (unverified.length === 0) {
      return {
        appended: ctx.services.replicaManager.appendRecords(entries, request.acks, 'client', request.timeoutMs),
        denied,
      };
    }
    return verifyThenAppend(request.transactionalId as string, entries, unverified, request, ctx, denied);
  },
  async complete(staged, request, ctx) {
    if (staged.refused !== undefined) return errorForAll(request, staged.refused);
    const denied = staged.denied;
    const results = await ctx.services.replicaManager.awaitAppends(staged.appended);
    if (request.acks === 0) {
      if (results.some((r) => r.errorCode !== ErrorCode.NONE)) {
        throw new KafkaError(ErrorCode.NONE, 'acks=0 produce failed; closing the connection to tell the producer');
      }
      return undefined;
    }
    let i = 0;
    const hints = new LeaderHints(ctx.services.metadata, ctx.listenerName);
    const responses: ProduceResponseTopicProduceResponseInput[] = request.topicData.map((topic) => ({
      name: topic.name,
      partitionResponses: topic.partitionData.map((p) => {
        const r = results[i++];
        if (r === undefined) throw new Error('produce result missing');
        // Nothing about a partition the principal may not write, not even its log start offset.
        if (denied?.has(topic.name) === true) return unauthorizedPartition(p.index);
        const response: ProduceResponsePartitionProduceResponseInput = {
          index: p.index,
          errorCode: r.errorCode,
          baseOffset: BigInt(r.baseOffset),
          logAppendTimeMs: BigInt(r.logAppendTimeMs),
          logStartOffset: BigInt(r.logStartOffset),
          errorMessage: r.errorCode === ErrorCode.NONE ? null : r.errorMessage,
          recordErrors: (r.recordErrors ?? []).map((e) => ({
            batchIndex: e.batchIndex,
            batchIndexErrorMessage: e.message,
          })),
        };
        if (r.errorCode !== ErrorCode.NONE) {
          const currentLeader = hints.currentLeader(topic.name, p.index, r.errorCode);
          if (currentLeader !== undefined) response.currentLeader = currentLeader;
        }
        return response;
      }),
    }));
    return { responses, throttleTimeMs: 0, nodeEndpoints: hints.nodeEndpoints() };
  },
  errorResponse: (request, errorCode) => errorForAll(request, errorCode),
});

/**
 * Kafka's produce authorization, run only with an authorizer: throws when the transactional id
 * is not authorized, marks the entries of topics the principal may not write as refused, and
 * returns those topics (undefined when there are none).
 */
function refuseUnauthorized(
  request: ProduceRequest,
  entries: ProduceEntry[],
  ctx: RequestContext,
): ReadonlySet<string> | undefined {
  if (
    entries.some((e) => startsTransactional(e.records)) &&
    (request.transactionalId === null ||
      !authorize(ctx, AclOperationCode.WRITE, ResourceType.TRANSACTIONAL_ID, request.transactionalId))
  ) {
    throw new KafkaError(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 'Transactional Id authorization failed.');
  }
  const allowed = filterAuthorized(
    ctx,
    AclOperationCode.WRITE,
    ResourceType.TOPIC,
    request.topicData.map((t) => t.name),
  );
  let denied: Set<string> | undefined;
  let refusal: KafkaError | undefined;
  entries.forEach((entry, i) => {
    if (allowed.has(entry.topic)) return;
    refusal ??= new KafkaError(ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Topic authorization failed.');
    (denied ??= new Set()).add(entry.topic);
    entries[i] = { ...entry, refused: refusal };
  });
  return denied;
}

/** Whether a partition's first batch is transactional (Kafka's RequestUtils.hasTransactionalRecords). */
function startsTransactional(records: Buffer | null): boolean {
  return (
    records !== null &&
    records.length >= BatchHeader.SIZE &&
    records[BatchHeader.MAGIC] === 2 &&
    isTransactional(records.readInt16BE(BatchHeader.ATTRIBUTES))
  );
}

/** A transactional batch that would start its producer's transaction on the partition. */
interface TransactionStart {
  readonly index: number;
  readonly producerId: number;
  readonly producerEpoch: number;
}

/**
 * The entries whose batch is transactional while the partition knows no ongoing transaction of
 * that producer at that epoch: those need KIP-890 verification. Later batches of the same
 * transaction find it ongoing in the producer state and go straight to the log.
 */
function transactionStarts(entries: readonly ProduceEntry[], ctx: RequestContext): TransactionStart[] {
  const starts: TransactionStart[] = [];
  for (const [index, entry] of entries.entries()) {
    if (entry.refused !== undefined) continue;
    const records = entry.records;
    // Anything malformed is left to the log's validation, which refuses it with the right error.
    if (records === null || records.length < BatchHeader.SIZE || records[BatchHeader.MAGIC] !== 2) continue;
    if (!isTransactional(records.readInt16BE(BatchHeader.ATTRIBUTES))) continue;
    const header = readBatchHeader(records);
    if (header.producerId < 0) continue;
    if (!needsTxnVerification(ctx, entry.topic, entry.partition, header.producerId, header.producerEpoch)) continue;
    starts.push({ index, producerId: header.producerId, producerEpoch: header.producerEpoch });
  }
  return starts;
}

/** Asks the transaction coordinator about each transaction start, then appends; refused entries fail alone. */
async function verifyThenAppend(
  transactionalId: string,
  entries: ProduceEntry[],
  starts: readonly TransactionStart[],
  request: ProduceRequest,
  ctx: RequestContext,
  denied: ReadonlySet<string> | undefined,
): Promise<Staged> {
  const verifier = ctx.services.txnVerifier;
  const verified = [...entries];
  for (const start of starts) {
    const entry = entries[start.index] as ProduceEntry;
    const [answer] = await verifier.verify(
      transactionalId,
      start.producerId,
      start.producerEpoch,
      [{ topic: entry.topic, partition: entry.partition }],
      ctx.apiVersion >= FIRST_VERSION_WITH_TRANSACTION_ABORTABLE,
    );
    const code = produceErrorForVerification(answer as number);
    if (code !== ErrorCode.NONE) {
      verified[start.index] = {
        ...entry,
        refused: new KafkaError(
          code,
          `verifying that ${entry.topic}-${entry.partition} is in the transaction of producer ${start.producerId} (epoch ${start.producerEpoch}) failed`,
        ),
      };
    }
  }
  return {
    appended: ctx.services.replicaManager.appendRecords(verified, request.acks, 'client', request.timeoutMs),
    denied,
  };
}

/**
 * What `stage` leaves for `complete`: a refusal of the whole request, or the pending appends and
 * the topics refused for lack of WRITE.
 */
type Staged =
  | { readonly refused: number; readonly appended?: undefined; readonly denied?: undefined }
  | {
      readonly refused?: undefined;
      readonly appended: PendingAppends;
      readonly denied: ReadonlySet<string> | undefined;
    };

function unauthorizedPartition(index: number): ProduceResponsePartitionProduceResponseInput {
  return {
    index,
    errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
    baseOffset: -1n,
    logAppendTimeMs: -1n,
    logStartOffset: -1n,
    errorMessage: null,
    recordErrors: [],
  };
}

function errorForAll(request: RequestSummary<ProduceRequest>, errorCode: number): ProduceResponseInput {
  return {
    responses: request.topicData.map((topic) => ({
      name: topic.name,
      partitionResponses: topic.partitionData.map((p) => ({
        index: p.index,
        errorCode,
        baseOffset: -1n,
        logAppendTimeMs: -1n,
        logStartOffset: -1n,
      })),
    })),
  };
}
