import { join } from 'node:path';
import { readPropertiesFile, writePropertiesFile } from '@samsa/storage';

/**
 * `meta.properties` in every log dir, as a ZooKeeper-mode Kafka broker writes it (`version=0`,
 * `broker.id`, `cluster.id`). It ties a log dir to one broker and one cluster: starting a broker
 * on another broker's data is refused, as Kafka refuses it.
 */
export interface MetaProperties {
  readonly brokerId: number;
  readonly clusterId: string | undefined;
}

export function readMetaProperties(logDir: string): MetaProperties | undefined {
  const path = join(logDir, 'meta.properties');
  const props = readPropertiesFile(path);
  if (props === undefined) return undefined;
  const brokerId = Number(props.get('broker.id') ?? props.get('node.id'));
  if (!Number.isInteger(brokerId)) throw new Error(`${path}: no valid broker.id`);
  return { brokerId, clusterId: props.get('cluster.id') };
}

/** Replaces the file atomically, as Kafka's `PropertiesUtils.writePropertiesFile` (`store` with an empty comment). */
export function writeMetaProperties(logDir: string, meta: MetaProperties): Promise<void> {
  const props = new Map<string, string>();
  if (meta.clusterId !== undefined) props.set('cluster.id', meta.clusterId);
  props.set('version', '0');
  props.set('broker.id', String(meta.brokerId));
  return writePropertiesFile(join(logDir, 'meta.properties'), props, { comments: '', date: new Date().toString() });
}
