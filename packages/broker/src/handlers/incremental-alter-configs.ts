/**
 * IncrementalAlterConfigs (key 44), versions 0-1.
 * v1: flexible. Operations: SET (0), DELETE (1), APPEND (2) and SUBTRACT (3) — the last two only
 * for list-typed configs, as in Kafka.
 *
 * ACLs (KafkaApis.handleIncrementalAlterConfigsRequest): ALTER_CONFIGS on the topic, else
 * TOPIC_AUTHORIZATION_FAILED; ALTER_CONFIGS on the cluster for BROKER and BROKER_LOGGER
 * resources, else CLUSTER_AUTHORIZATION_FAILED; ALTER_CONFIGS on the group for GROUP resources
 * (Kafka 4's group configs), else GROUP_AUTHORIZATION_FAILED.
 */
import {
  ApiKey,
  ErrorCode,
  type IncrementalAlterConfigsRequest,
  type IncrementalAlterConfigsResponseInput,
  KafkaError,
} from '@samsa/protocol';
import { BROKER_CONFIG_BY_NAME } from '../config/broker-config.js';
import { formatConfigValue } from '../config/config-def.js';
import { GROUP_CONFIG_BY_NAME } from '../config/group-config.js';
import { TOPIC_CONFIG_BY_NAME } from '../config/topic-config-defs.js';
import { alterConfigResources, alterGroupConfigs } from './config-admin.js';
import { CLUSTER_CONFIG_RESOURCES, configResourceErrors } from './config-resources.js';
import { defineHandler } from './handler.js';

const OpType = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

export const incrementalAlterConfigsHandler = defineHandler<
  IncrementalAlterConfigsRequest,
  IncrementalAlterConfigsResponseInput
>({
  apiKey: ApiKey.IncrementalAlterConfigs,
  minVersion: 0,
  maxVersion: 1,
  async handle(request, ctx) {
    const { services } = ctx;
    const responses = await alterConfigResources(ctx, request.resources, CLUSTER_CONFIG_RESOURCES, {
      async topic(resource, name) {
        requireDistinctNames(resource.configs);
        const overrides = await services.controller.topicConfigOverrides(name);
        if (overrides === undefined) {
          throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${name} does not exist.`);
        }
        const configs: Record<string, string> = { ...overrides };
        for (const c of resource.configs) {
          const key = TOPIC_CONFIG_BY_NAME.get(c.name);
          if (key === undefined) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${c.name}`);
          const current = () =>
            (formatConfigValue(services.topicConfigs.value(c.name, configs)) ?? '').split(',').filter((s) => s !== '');
          applyOperation(configs, c.name, c.configOperation, c.value, key.type, current);
        }
        await services.controller.alterTopicConfigs(name, configs, request.validateOnly);
      },
      async broker(resource, brokerId) {
        requireDistinctNames(resource.configs);
        const changes: Record<string, string | null> = {};
        for (const c of resource.configs) {
          const key = BROKER_CONFIG_BY_NAME.get(c.name);
          if (key === undefined)
            throw new KafkaError(ErrorCode.INVALID_CONFIG, `Unknown broker config name: ${c.name}`);
          const current = () =>
            (formatConfigValue(services.config.get(c.name)) ?? '').split(',').filter((s) => s !== '');
          const draft: Record<string, string> = {};
          applyOperation(draft, c.name, c.configOperation, c.value, key.type, current);
          changes[c.name] = draft[c.name] ?? null;
        }
        await services.controller.alterBrokerConfigs(brokerId, changes, request.validateOnly);
      },
      async group(resource, groupId) {
        requireDistinctNames(resource.configs);
        // From the stored overrides: this broker's copy may be one change notification behind.
        await services.groupConfigs.refresh(groupId);
        const overrides: Record<string, string> = { ...services.groupConfigs.overrides(groupId) };
        for (const c of resource.configs) {
          const key = GROUP_CONFIG_BY_NAME.get(c.name);
          if (key === undefined) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Unknown group config name: ${c.name}`);
          const current = () =>
            (formatConfigValue(services.groupConfigs.config(groupId).get(c.name)) ?? '')
              .split(',')
              .filter((s) => s !== '');
          applyOperation(overrides, c.name, c.configOperation, c.value, key.type, current);
        }
        await alterGroupConfigs(services, groupId, overrides, request.validateOnly);
      },
    });
    return { throttleTimeMs: 0, responses };
  },
  errorResponse: (request, errorCode) => ({ responses: configResourceErrors(request.resources, errorCode) }),
});

function requireDistinctNames(configs: readonly { readonly name: string }[]): void {
  const names = new Set<string>();
  for (const c of configs) {
    if (names.has(c.name)) {
      throw new KafkaError(ErrorCode.INVALID_REQUEST, `Error due to duplicate config keys: ${c.name}`);
    }
    names.add(c.name);
  }
}

function applyOperation(
  configs: Record<string, string>,
  name: string,
  op: number,
  value: string | null,
  type: string,
  current: () => string[],
): void {
  switch (op) {
    case OpType.SET:
      if (value === null) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Null value not supported for ${name}`);
      configs[name] = value;
      return;
    case OpType.DELETE:
      delete configs[name];
      return;
    case OpType.APPEND:
    case OpType.SUBTRACT: {
      if (type !== 'list') {
        throw new KafkaError(ErrorCode.INVALID_CONFIG, `Config value append is not allowed for config key: ${name}`);
      }
      const items = (value ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const list = current();
      const next =
        op === OpType.APPEND
          ? [...list, ...items.filter((i) => !list.includes(i))]
          : list.filter((i) => !items.includes(i));
      configs[name] = next.join(',');
      return;
    }
    default:
      throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unknown config operation ${op}`);
  }
}
