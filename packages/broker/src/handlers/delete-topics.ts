/**
 * DeleteTopics (key 20), versions 0-6.
 * v1: throttle time. v4: flexible. v5: error messages. v6: topics by name or by ID.
 *
 * ACLs (KafkaApis.handleDeleteTopicsRequest): DELETE on each topic, else TOPIC_AUTHORIZATION_FAILED,
 * checked before existence. A topic named by id whose name the principal may not DESCRIBE is
 * answered without its name (ids are not secret, names are).
 */
import {
  ApiKey,
  type DeleteTopicsRequest,
  type DeleteTopicsResponseDeletableTopicResultInput,
  type DeleteTopicsResponseInput,
  ErrorCode,
  KafkaError,
  ZERO_UUID,
} from '@samsa/protocol';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { filterAuthorized } from './authorization.js';
import { defineHandler } from './handler.js';

export const deleteTopicsHandler = defineHandler<DeleteTopicsRequest, DeleteTopicsResponseInput>({
  apiKey: ApiKey.DeleteTopics,
  minVersion: 0,
  maxVersion: 6,
  async handle(request, ctx) {
    const { services, apiVersion } = ctx;
    const wanted =
      apiVersion >= 6
        ? request.topics.map((t) => ({ name: t.name, topicId: t.topicId }))
        : request.topicNames.map((name) => ({ name: name as string | null, topicId: ZERO_UUID }));
    // Names, with topic ids resolved (null: an id naming no topic).
    const named = wanted.map((w) => w.name ?? services.metadata.image.topicById(w.topicId)?.name ?? null);
    const known = named.filter((name): name is string => name !== null);
    const describable = filterAuthorized(ctx, AclOperationCode.DESCRIBE, ResourceType.TOPIC, known);
    const deletable = filterAuthorized(ctx, AclOperationCode.DELETE, ResourceType.TOPIC, known);
    const responses: DeleteTopicsResponseDeletableTopicResultInput[] = [];
    for (const [i, w] of wanted.entries()) {
      const name = named[i] ?? null;
      if (name === null) {
        responses.push({ name: null, topicId: w.topicId, errorCode: ErrorCode.UNKNOWN_TOPIC_ID, errorMessage: null });
        continue;
      }
      if (w.name === null && !describable.has(name)) {
        responses.push({
          name: null,
          topicId: w.topicId,
          errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          errorMessage: null,
        });
        continue;
      }
      if (!deletable.has(name)) {
        responses.push({
          name,
          topicId: w.topicId,
          errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          errorMessage: null,
        });
        continue;
      }
      const topic = services.metadata.image.topic(name);
      if (topic === undefined) {
        responses.push({
          name: w.name,
          topicId: w.topicId,
          errorCode: w.name === null ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          errorMessage: null,
        });
        continue;
      }
      try {
        await services.controller.deleteTopic(topic.name);
        responses.push({ name: topic.name, topicId: topic.topicId, errorCode: ErrorCode.NONE, errorMessage: null });
      } catch (err) {
        if (!(err instanceof KafkaError)) throw err;
        responses.push({
          name: topic.name,
          topicId: topic.topicId,
          errorCode: err.errorCode,
          errorMessage: err.message,
        });
      }
    }
    return { throttleTimeMs: 0, responses };
  },
  errorResponse: (request, errorCode, ctx) => ({
    responses:
      ctx.apiVersion >= 6
        ? request.topics.map((t) => ({ name: t.name, topicId: t.topicId, errorCode }))
        : request.topicNames.map((name) => ({ name, errorCode })),
  }),
});
