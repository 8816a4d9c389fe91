import { useEffect, useState } from 'preact/hooks';
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
 * A group's lag over time, sampled in the browser: each time the group page loads the group's
 * offsets (every `intervalMs` while it is open, and after each action) the chart adds a sample of
 * the total and per-topic lag, keeping the last 90. Client-side rather than a server sampler like
 * the throughput chart's: lag matters while someone watches one group, and a server sampler would
 * need a lifecycle per group (which to sample, when to stop) and would keep asking coordinators
 * about groups nobody looks at. The cost: the history starts when the page opens.
 */
export function LagChart({ offsets, intervalMs }: { offsets: { topic: string; lag: string }[]; intervalMs: number }) {
  const [samples, setSamples] = useState<LagSample[]>([]);
  useEffect(() => {
    const topics: Record<string, number> = {};
    for (const o of offsets) topics[o.topic] = (topics[o.topic] ?? 0) + Number(o.lag);
    const total = Object.values(topics).reduce((a, b) => a + b, 0);
    setSamples((s) => [...s, { timeMs: Date.now(), total, topics }].slice(-KEEP));
  }, [offsets]);
  const first = samples[0];
  const last = samples[samples.length - 1];
  const topics = [...new Set(samples.flatMap((s) => Object.keys(s.topics)))].sort();
  const max = Math.max(1, ...samples.map((s) => s.total));
  const span = first !== undefined && last !== undefined ? last.timeMs - first.timeMs : 0;
  // By time (samples after an action come early); a single sample is a flat line.
  const x = (s: LagSample) => (span === 0 ? [0, WIDTH] : [((s.timeMs - (first?.timeMs ?? 0)) / span) * WIDTH]);
  const line = (value: (s: LagSample) => number) =>
    samples
      .flatMap((s) => x(s).map((px) => `${px.toFixed(1)},${(HEIGHT - (value(s) / max) * (HEIGHT - 4)).toFixed(1)}`))
      .join(' ');
  const label = last === undefined ? 'no sample yet' : `${last.total} record(s)`;
  return html`
    <section aria-labelledby="lag-heading">
      <h2 id="lag-heading">Lag over time</h2>
      <figure class="chart">
        <figcaption>Total lag: <strong data-testid="lag-now">${label}</strong> (max ${max}; sampled every ${intervalMs / 1000} s while this page is open, ${Math.round(span / 1000)} s shown)</figcaption>
        <svg viewBox=${`0 0 ${WIDTH} ${HEIGHT}`} width="100%" height=${HEIGHT} role="img" aria-label=${`Total lag over time, latest ${label}`}>
          <line x1="0" y1=${HEIGHT} x2=${WIDTH} y2=${HEIGHT} stroke="currentColor" stroke-opacity="0.3" />
          <polyline points=${line((s) => s.total)} fill="none" stroke="currentColor" stroke-width="2" />
          ${topics.map(
            (t, i) =>
              html`<polyline points=${line((s) => s.topics[t] ?? 0)} fill="none" stroke="currentColor"
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
