/**
 * AlterConfigs (key 33), versions 0-2 (the legacy, non-incremental form).
 * v1: same as v0. v2: flexible.
 * The given configs replace all overrides of the resource; configs not named are reset.
 *
 * ACLs (KafkaApis.processLegacyAlterConfigsRequest): ALTER_CONFIGS on the topic, else
 * TOPIC_AUTHORIZATION_FAILED; ALTER_CONFIGS on the cluster for BROKER resources, else
 * CLUSTER_AUTHORIZATION_FAILED; ALTER_CONFIGS on the group for GROUP resources, else
 * GROUP_AUTHORIZATION_FAILED.
 */
import {
  type AlterConfigsRequest,
  type AlterConfigsResponseInput,
  ApiKey,
  ErrorCode,
  KafkaError,
} from '@samsa/protocol';
import { alterConfigResources, alterGroupConfigs } from './config-admin.js';
import { configResourceErrors, LEGACY_ALTER_CLUSTER_CONFIG_RESOURCES } from './config-resources.js';
import { defineHandler } from './handler.js';

export const alterConfigsHandler = defineHandler<AlterConfigsRequest, AlterConfigsResponseInput>({
  apiKey: ApiKey.AlterConfigs,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    const { services } = ctx;
    const responses = await alterConfigResources(ctx, request.resources, LEGACY_ALTER_CLUSTER_CONFIG_RESOURCES, {
      async topic(resource, name) {
        const configs: Record<string, string> = {};
        for (const c of resource.configs) {
          if (c.value === null)
            throw new KafkaError(ErrorCode.INVALID_REQUEST, `Null value not supported for ${c.name}`);
          configs[c.name] = c.value;
        }
        await services.controller.alterTopicConfigs(name, configs, request.validateOnly);
      },
      async broker(resource, brokerId) {
        const changes: Record<string, string | null> = {};
        for (const name of services.config.dynamicEntries(brokerId === null ? 'default' : 'broker').keys()) {
          changes[name] = null;
        }
        for (const c of resource.configs) changes[c.name] = c.value;
        await services.controller.alterBrokerConfigs(brokerId, changes, request.validateOnly);
      },
      async group(resource, groupId) {
        const overrides: Record<string, string> = {};
        for (const c of resource.configs) {
          if (c.value === null)
            throw new KafkaError(ErrorCode.INVALID_REQUEST, `Null value not supported for ${c.name}`);
          overrides[c.name] = c.value;
        }
        await alterGroupConfigs(services, groupId, overrides, request.validateOnly);
      },
    });
    return { throttleTimeMs: 0, responses };
  },
  errorResponse: (request, errorCode) => ({ responses: configResourceErrors(request.resources, errorCode) }),
});
