import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { html } from '../html.js';

interface LagSample {
  timeMs: number;
  total: number;
  topics: Record<string, number>;
}

const KEEP = 90;
const WIDTH = 600;
const HEIGHT = 120;
/** Stroke styles of the per-topic lines after the total's solid one. */
const DASHES = ['6 3', '2 3', '8 3 2 3', '1 2'];

/**
 * A group's lag over time, sampled in the browser: it polls the group's offsets (the same API as
 * the table) every `intervalMs` while the page is open and keeps the last 90 samples. Client-side
 * rather than a server sampler like the throughput chart's: lag matters while someone watches
 * one group, and a server sampler would need a lifecycle per group (which to sample, when to
 * stop) and would keep asking coordinators about groups nobody looks at. The cost: the history
 * starts when the page opens.
 */
export function LagChart({
  cluster,
  group,
  intervalMs = 2000,
}: {
  cluster: string;
  group: string;
  intervalMs?: number;
}) {
  const [samples, setSamples] = useState<LagSample[]>([]);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setSamples([]);
    const poll = () =>
      api<{ offsets: { topic: string; lag: string }[] }>('GET', `/clusters/${enc(cluster)}/groups/${enc(group)}`)
        .then((d) => {
          if (!live) return;
          const topics: Record<string, number> = {};
          for (const o of d.offsets) topics[o.topic] = (topics[o.topic] ?? 0) + Number(o.lag);
          const total = Object.values(topics).reduce((a, b) => a + b, 0);
          setSamples((s) => [...s, { timeMs: Date.now(), total, topics }].slice(-KEEP));
        })
        .catch(() => undefined)
        .finally(() => {
          if (live) timer = setTimeout(poll, intervalMs);
        });
    poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [cluster, group, intervalMs]);
  const last = samples[samples.length - 1];
  const topics = [...new Set(samples.flatMap((s) => Object.keys(s.topics)))].sort();
  const max = Math.max(1, ...samples.map((s) => s.total));
  const step = samples.length > 1 ? WIDTH / (samples.length - 1) : WIDTH;
  const line = (values: number[]) =>
    values.map((v, i) => `${(i * step).toFixed(1)},${(HEIGHT - (v / max) * (HEIGHT - 4)).toFixed(1)}`).join(' ');
  const label = last === undefined ? 'no sample yet' : `${last.total} record(s)`;
  return html`
    <section aria-labelledby="lag-heading">
      <h2 id="lag-heading">Lag over time</h2>
      <figure class="chart">
        <figcaption>Total lag: <strong data-testid="lag-now">${label}</strong> (max ${max}, one sample every ${intervalMs / 1000} s, since this page opened)</figcaption>
        <svg viewBox=${`0 0 ${WIDTH} ${HEIGHT}`} width="100%" height=${HEIGHT} role="img" aria-label=${`Total lag over time, latest ${label}`}>
          <line x1="0" y1=${HEIGHT} x2=${WIDTH} y2=${HEIGHT} stroke="currentColor" stroke-opacity="0.3" />
          <polyline points=${line(samples.map((s) => s.total))} fill="none" stroke="currentColor" stroke-width="2" />
          ${topics.map(
            (t, i) =>
              html`<polyline points=${line(samples.map((s) => s.topics[t] ?? 0))} fill="none" stroke="currentColor"
                stroke-opacity="0.6" stroke-width="1.5" stroke-dasharray=${DASHES[i % DASHES.length]} />`,
          )}
        </svg>
      </figure>
      <ul class="legend">
        <li><svg width="24" height="8" aria-hidden="true"><line x1="0" y1="4" x2="24" y2="4" stroke="currentColor" stroke-width="2" /></svg> total</li>
        ${topics.map(
          (t, i) => html`<li data-testid="lag-topic">
            <svg width="24" height="8" aria-hidden="true"><line x1="0" y1="4" x2="24" y2="4" stroke="currentColor" stroke-width="1.5" stroke-dasharray=${DASHES[i % DASHES.length]} /></svg>
            ${t}: ${last?.topics[t] ?? 0}
          </li>`,
        )}
      </ul>
    </section>
  `;
}
