/**
 * CreatePartitions (key 37), versions 0-3.
 * v1: same as v0. v2: flexible. v3: same as v2. Partition counts only grow.
 */
import {
  ApiKey,
  type CreatePartitionsRequest,
  type CreatePartitionsResponseInput,
  ErrorCode,
  KafkaError,
} from '@samsa/protocol';
import { defineHandler } from './handler.js';

export const createPartitionsHandler = defineHandler<CreatePartitionsRequest, CreatePartitionsResponseInput>({
  apiKey: ApiKey.CreatePartitions,
  minVersion: 0,
  maxVersion: 3,
  async handle(request, ctx) {
    const counts = new Map<string, number>();
    for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
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
