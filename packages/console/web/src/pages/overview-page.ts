import { api, enc } from '../api.js';
import { html } from '../html.js';
import { useLoad } from '../use-load.js';
import { BrokersPanel } from './brokers-panel.js';
import { ThroughputChart } from './throughput-chart.js';

interface Broker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
  controller: boolean;
}

/** Cluster overview: cluster id, controller and brokers. */
export function OverviewPage({ cluster }: { cluster: string }) {
  const { data, error } = useLoad(
    () => api<{ clusterId: string; controllerId: number; brokers: Broker[] }>('GET', `/clusters/${enc(cluster)}`),
    cluster,
  );
  return html`
    <h1>Cluster ${cluster}</h1>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    ${
      data &&
      html`
      <dl class="facts">
        <dt>Cluster id</dt><dd data-testid="cluster-id">${data.clusterId}</dd>
        <dt>Controller</dt><dd>${data.controllerId}</dd>
        <dt>Brokers</dt><dd>${data.brokers.length}</dd>
      </dl>
      <table>
        <caption>Brokers</caption>
        <thead><tr><th scope="col">Id</th><th scope="col">Host</th><th scope="col">Port</th><th scope="col">Rack</th><th scope="col">Controller</th></tr></thead>
        <tbody>
          ${data.brokers.map(
            (b) =>
              html`<tr><td>${b.nodeId}</td><td>${b.host}</td><td>${b.port}</td><td>${b.rack ?? '—'}</td><td>${b.controller ? 'yes' : ''}</td></tr>`,
          )}
        </tbody>
      </table>
      <${BrokersPanel} cluster=${cluster} />
      <${ThroughputChart} cluster=${cluster} />
    `
    }
  `;
}
