/**
 * DescribeConfigs (key 32), versions 0-4.
 * v1: synonyms and config source (v0 has only isDefault). v2: same as v1. v3: config type and
 * documentation. v4: flexible.
 * Resources: TOPIC (every topic config, with the broker synonyms it falls back to), BROKER
 * (this broker's id, or "" for the cluster-wide dynamic defaults) and GROUP (Kafka 4's group
 * configs, for any group id). BROKER_LOGGER is answered
 * with no entries.
 *
 * ACLs (ConfigHelper.handleDescribeConfigsRequest): DESCRIBE_CONFIGS on the topic, else
 * TOPIC_AUTHORIZATION_FAILED (before existence is checked); DESCRIBE_CONFIGS on the cluster for
 * BROKER and BROKER_LOGGER resources, else CLUSTER_AUTHORIZATION_FAILED; DESCRIBE_CONFIGS on the
 * group for GROUP resources, else GROUP_AUTHORIZATION_FAILED.
 */
import {
  ApiKey,
  ConfigResourceType,
  type DescribeConfigsRequest,
  type DescribeConfigsResponseDescribeConfigsResultInput,
  type DescribeConfigsResponseInput,
  ErrorCode,
  errorByCode,
  KafkaError,
} from '@samsa/protocol';
import type { DescribedConfig } from '../config/topic-config.js';
import { AclOperationCode } from '../security/authorizer.js';
import {
  brokerScope,
  CLUSTER_CONFIG_RESOURCES,
  configAuthorization,
  configResourceErrors,
  configTypeCode,
  describeBrokerConfigs,
} from './config-resources.js';
import { defineHandler } from './handler.js';

export const describeConfigsHandler = defineHandler<DescribeConfigsRequest, DescribeConfigsResponseInput>({
  apiKey: ApiKey.DescribeConfigs,
  minVersion: 0,
  maxVersion: 4,
  handle(request, ctx) {
    const { services } = ctx;
    const refusal = configAuthorization(
      ctx,
      AclOperationCode.DESCRIBE_CONFIGS,
      request.resources,
      CLUSTER_CONFIG_RESOURCES,
    );
    const results = request.resources.map((resource): DescribeConfigsResponseDescribeConfigsResultInput => {
      const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
      const denied = refusal(resource);
      if (denied !== ErrorCode.NONE) {
        return { ...base, errorCode: denied, errorMessage: errorByCode(denied).message, configs: [] };
      }
      try {
        let described: DescribedConfig[];
        switch (resource.resourceType) {
          case ConfigResourceType.TOPIC: {
            const topic = services.metadata.image.topic(resource.resourceName);
            if (topic === undefined) {
              throw new KafkaError(
                ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                `Topic ${resource.resourceName} does not exist.`,
              );
            }
            described = services.topicConfigs.describe(topic.configs, resource.configurationKeys);
            break;
          }
          case ConfigResourceType.BROKER:
            described = describeBrokerConfigs(
              services,
              brokerScope(services, resource.resourceName),
              resource.configurationKeys,
            );
            break;
          case ConfigResourceType.GROUP:
            // As Kafka 4: any group id, existing or not, has configs (its overrides, else the defaults).
            if (resource.resourceName === '') {
              throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Group name must not be empty');
            }
            described = services.groupConfigs.config(resource.resourceName).describe(resource.configurationKeys);
            break;
          case ConfigResourceType.BROKER_LOGGER:
            brokerScope(services, resource.resourceName);
            described = [];
            break;
          default:
            throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unsupported resource type ${resource.resourceType}`);
        }
        return {
          ...base,
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          configs: described.map((c) => ({
            name: c.name,
            value: c.value,
            readOnly: c.readOnly,
            isDefault: c.isDefault,
            configSource: c.source,
            isSensitive: c.sensitive,
            synonyms: request.includeSynonyms
              ? c.synonyms.map((s) => ({ name: s.name, value: s.value, source: s.source }))
              : [],
            configType: configTypeCode(c.type),
            documentation: request.includeDocumentation ? c.doc : null,
          })),
        };
      } catch (err) {
        if (!(err instanceof KafkaError)) throw err;
        return { ...base, errorCode: err.errorCode, errorMessage: err.message, configs: [] };
      }
    });
    return { throttleTimeMs: 0, results };
  },
  errorResponse: (request, errorCode) => ({ results: configResourceErrors(request.resources, errorCode) }),
});
