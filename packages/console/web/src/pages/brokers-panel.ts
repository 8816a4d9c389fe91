import { api, enc } from '../api.js';
import { formatBytes } from '../format-bytes.js';
import { html } from '../html.js';
import { useLoad } from '../use-load.js';

interface BrokerLoad {
  nodeId: number;
  partitionsLed: number;
  replicas: number;
  apiCount: number | null;
  /** False while a broker is down but still registered (its ZooKeeper session not yet expired). */
  reachable: boolean;
  logDirs: { logDir: string; error: number | null; sizeBytes: string; usableBytes: string | null }[];
}

/** Per broker: partitions led, replicas, log dirs with size and free space (DescribeLogDirs). */
export function BrokersPanel({ cluster }: { cluster: string }) {
  const { data, error } = useLoad(
    () => api<{ version: string; brokers: BrokerLoad[] }>('GET', `/clusters/${enc(cluster)}/brokers`),
    cluster,
  );
  return html`
    ${error && html`<p role="alert" class="error">${error}</p>`}
    ${
      data &&
      html`
      <p class="muted">Version: ${data.version}</p>
      <table>
        <caption>Broker load and disks</caption>
        <thead><tr><th scope="col">Broker</th><th scope="col">Partitions led</th><th scope="col">Replicas</th><th scope="col">APIs</th><th scope="col">Log dir</th><th scope="col">Size</th><th scope="col">Free</th></tr></thead>
        <tbody>
          ${data.brokers.flatMap((b) =>
            (b.logDirs.length === 0 ? [undefined] : b.logDirs).map(
              (d) => html`<tr>
                <td>${b.nodeId}</td><td>${b.partitionsLed}</td><td>${b.replicas}</td><td>${b.apiCount ?? '—'}</td>
                <td>${b.reachable ? (d?.logDir ?? '—') : 'unreachable'}${d?.error ? ' (offline)' : ''}</td><td>${formatBytes(d?.sizeBytes)}</td><td>${formatBytes(d?.usableBytes)}</td>
              </tr>`,
            ),
          )}
        </tbody>
      </table>
    `
    }
  `;
}
