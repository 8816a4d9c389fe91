/**
 * DeleteTopics (key 20), versions 0-6.
 * v1: throttle time. v4: flexible. v5: error messages. v6: topics by name or by ID.
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
    const responses: DeleteTopicsResponseDeletableTopicResultInput[] = [];
    for (const w of wanted) {
      const image = services.metadata.image;
      const topic = w.name !== null ? image.topic(w.name) : image.topicById(w.topicId);
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
