/**
 * AlterConfigs (key 33), versions 0-2 (the legacy, non-incremental form).
 * v1: same as v0. v2: flexible.
 * The given configs replace all overrides of the resource; configs not named are reset.
 */
import {
  type AlterConfigsRequest,
  type AlterConfigsResponseInput,
  ApiKey,
  ErrorCode,
  KafkaError,
} from '@samsa/protocol';
import { brokerScope, ConfigResourceType } from './config-resources.js';
import { defineHandler } from './handler.js';

export const alterConfigsHandler = defineHandler<AlterConfigsRequest, AlterConfigsResponseInput>({
  apiKey: ApiKey.AlterConfigs,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    const { services } = ctx;
    const responses = [];
    for (const resource of request.resources) {
      const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
      try {
        if (resource.resourceType === ConfigResourceType.TOPIC) {
          const configs: Record<string, string> = {};
          for (const c of resource.configs) {
            if (c.value === null)
              throw new KafkaError(ErrorCode.INVALID_REQUEST, `Null value not supported for ${c.name}`);
            configs[c.name] = c.value;
          }
          await services.controller.alterTopicConfigs(resource.resourceName, configs, request.validateOnly);
        } else if (resource.resourceType === ConfigResourceType.BROKER) {
          const scope = brokerScope(services, resource.resourceName);
          const changes: Record<string, string | null> = {};
          for (const name of services.config.dynamicEntries(scope).keys()) changes[name] = null;
          for (const c of resource.configs) changes[c.name] = c.value;
          await services.controller.alterBrokerConfigs(
            scope === 'broker' ? services.brokerId : null,
            changes,
            request.validateOnly,
          );
        } else {
          throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unsupported resource type ${resource.resourceType}`);
        }
        responses.push({ ...base, errorCode: ErrorCode.NONE, errorMessage: null });
      } catch (err) {
        if (!(err instanceof KafkaError)) throw err;
        responses.push({ ...base, errorCode: err.errorCode, errorMessage: err.message });
      }
    }
    return { throttleTimeMs: 0, responses };
  },
});
