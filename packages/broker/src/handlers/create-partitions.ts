/**
 * CreatePartitions (key 37), versions 0-3.
 * v1: same as v0. v2: flexible. v3: same as v2. Partition counts only grow.
 *
 * ACLs (KafkaApis.handleCreatePartitionsRequest): ALTER on each topic, else
 * TOPIC_AUTHORIZATION_FAILED (checked before existence; duplicates are INVALID_REQUEST first).
 */
import {
  ApiKey,
  type CreatePartitionsRequest,
  type CreatePartitionsResponseInput,
  ErrorCode,
  KafkaError,
} from '@samsa/protocol';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { filterAuthorized } from './authorization.js';
import { defineHandler } from './handler.js';

export const createPartitionsHandler = defineHandler<CreatePartitionsRequest, CreatePartitionsResponseInput>({
  apiKey: ApiKey.CreatePartitions,
  minVersion: 0,
  maxVersion: 3,
  async handle(request, ctx) {
    const counts = new Map<string, number>();
    for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const alterable = filterAuthorized(
      ctx,
      AclOperationCode.ALTER,
      ResourceType.TOPIC,
      [...counts].flatMap(([name, count]) => (count === 1 ? [name] : [])),
    );
    const results = [];
    for (const t of request.topics) {
      if ((counts.get(t.name) ?? 0) > 1) {
        results.push({
          name: t.name,
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: 'Duplicate topic in request.',
        });
        continue;
      }
      if (!alterable.has(t.name)) {
        results.push({
          name: t.name,
          errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          errorMessage: 'The topic authorization is failed.',
        });
        continue;
      }
      try {
        await ctx.services.controller.createPartitions(
          t.name,
          t.count,
          t.assignments === null ? null : t.assignments.map((a) => a.brokerIds),
          request.validateOnly,
        );
        results.push({ name: t.name, errorCode: ErrorCode.NONE, errorMessage: null });
      } catch (err) {
        if (!(err instanceof KafkaError)) throw err;
        results.push({ name: t.name, errorCode: err.errorCode, errorMessage: err.message });
      }
    }
    return { throttleTimeMs: 0, results };
  },
  errorResponse: (request, errorCode) => ({
    results: request.topics.map((t) => ({ name: t.name, errorCode })),
  }),
});
