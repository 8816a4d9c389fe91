import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProperties } from '../config/properties.js';
import { writeFileAtomically } from './local-metadata-store.js';

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
  if (!existsSync(path)) return undefined;
  const props = parseProperties(readFileSync(path, 'utf8'));
  const brokerId = Number(props.get('broker.id') ?? props.get('node.id'));
  if (!Number.isInteger(brokerId)) throw new Error(`${path}: no valid broker.id`);
  return { brokerId, clusterId: props.get('cluster.id') };
}

export function writeMetaProperties(logDir: string, meta: MetaProperties): void {
  const lines = ['#', `#${new Date().toString()}`];
  if (meta.clusterId !== undefined) lines.push(`cluster.id=${meta.clusterId}`);
  lines.push('version=0', `broker.id=${meta.brokerId}`, '');
  writeFileAtomically(join(logDir, 'meta.properties'), lines.join('\n'));
}
