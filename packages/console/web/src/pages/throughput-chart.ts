import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { formatBytes } from '../format-bytes.js';
import { html } from '../html.js';

interface Point {
  timeMs: number;
  messagesInPerSec: number;
  bytesInPerSec: number;
  /** From the brokers' metrics; null when the console has no metrics port for this cluster. */
  bytesOutPerSec: number | null;
}

const WIDTH = 600;
const HEIGHT = 120;

/**
 * Live throughput, polled from the console server (which samples end offsets and log-dir sizes).
 * Hand-drawn SVG rather than a chart library: a few polylines and their scale are a few lines, and
 * the bundle stays small.
 */
export function ThroughputChart({ cluster }: { cluster: string }) {
  const [data, setData] = useState<{ intervalMs: number; bytesOut: string; points: Point[] } | undefined>();
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () =>
      api<{ intervalMs: number; bytesOut: string; points: Point[] }>('GET', `/clusters/${enc(cluster)}/throughput`)
        .then((d) => live && setData(d))
        .catch(() => undefined)
        .finally(() => {
          if (live) timer = setTimeout(poll, 2000);
        });
    poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [cluster]);
  const points = data?.points ?? [];
  const last = points[points.length - 1];
  return html`
    <section aria-label="Throughput">
      <h2>Throughput</h2>
      ${
        points.length === 0
          ? html`<p role="status">Sampling… (the first rate needs two samples)</p>`
          : html`
        <${Series} title="Messages in per second" points=${points.map((p) => p.messagesInPerSec)}
          label=${`${last?.messagesInPerSec.toFixed(1)} msg/s`} />
        <${Series} title="Bytes in per second (all replicas)" points=${points.map((p) => p.bytesInPerSec)}
          label=${`${formatBytes(Math.round(last?.bytesInPerSec ?? 0))}/s`} />
        ${
          last?.bytesOutPerSec === null || last === undefined
            ? html`<p class="muted">Bytes out: ${data?.bytesOut}</p>`
            : html`<${Series} title="Bytes out per second (to consumers)"
                points=${points.map((p) => p.bytesOutPerSec ?? 0)}
                label=${`${formatBytes(Math.round(last.bytesOutPerSec))}/s`} />`
        }`
      }
    </section>
  `;
}

function Series({ title, points, label }: { title: string; points: number[]; label: string }) {
  const max = Math.max(1, ...points);
  const step = points.length > 1 ? WIDTH / (points.length - 1) : WIDTH;
  const coords = points.map((v, i) => `${(i * step).toFixed(1)},${(HEIGHT - (v / max) * (HEIGHT - 4)).toFixed(1)}`);
  return html`
    <figure class="chart">
      <figcaption>${title}: <strong data-testid="throughput-now">${label}</strong> (max ${max.toFixed(1)})</figcaption>
      <svg viewBox=${`0 0 ${WIDTH} ${HEIGHT}`} width="100%" height=${HEIGHT} role="img" aria-label=${`${title}, latest ${label}`}>
        <line x1="0" y1=${HEIGHT} x2=${WIDTH} y2=${HEIGHT} stroke="currentColor" stroke-opacity="0.3" />
        <polyline points=${coords.join(' ')} fill="none" stroke="currentColor" stroke-width="2" />
      </svg>
    </figure>
  `;
}
