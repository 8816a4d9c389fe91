/**
 * Produce (key 0), versions 0-11.
 * v0-2 use message formats v0/v1, which Samsa does not store: they are advertised (librdkafka
 * turns compression off when Produce v0 is not advertised, as Kafka 4 learned) and every
 * partition is answered UNSUPPORTED_VERSION. v3: transactional id, message format v2. v5: log
 * start offset. v7: zstd. v8: record errors and error message (KIP-467). v9: flexible.
 * v10: current leader on NOT_LEADER (KIP-951). v11: TRANSACTION_ABORTABLE may be returned.
 *
 * acks=0 gets no response; if any partition fails, the connection is closed instead, which is
 * how Kafka tells an acks=0 producer that something went wrong.
 */
import {
  ApiKey,
  ErrorCode,
  KafkaError,
  type ProduceRequest,
  type ProduceResponseInput,
  type ProduceResponsePartitionProduceResponseInput,
  type ProduceResponseTopicProduceResponseInput,
} from '@samsa/protocol';
import type { PendingAppends, ProduceEntry } from '../replica/replica-manager.js';
import { definePipelinedHandler, type RequestSummary } from './handler.js';
import { LeaderHints } from './leader-hints.js';

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
  stage(request, ctx): Staged {
    if (request.acks !== 0 && request.acks !== 1 && request.acks !== -1) {
      return { refused: ErrorCode.INVALID_REQUIRED_ACKS };
    }
    if (ctx.apiVersion < 3) return { refused: ErrorCode.UNSUPPORTED_VERSION };
    const entries: ProduceEntry[] = [];
    for (const topic of request.topicData) {
      for (const p of topic.partitionData) entries.push({ topic: topic.name, partition: p.index, records: p.records });
    }
    return { appended: ctx.services.replicaManager.appendRecords(entries, request.acks, 'client', request.timeoutMs) };
  },
  async complete(staged, request, ctx) {
    if (staged.refused !== undefined) return errorForAll(request, staged.refused);
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

/** What `stage` leaves for `complete`: a refusal of the whole request, or the pending appends. */
type Staged =
  | { readonly refused: number; readonly appended?: undefined }
  | { readonly refused?: undefined; readonly appended: PendingAppends };

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
