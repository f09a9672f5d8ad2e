// Series over time buckets as stacked step areas (each bucket is a span, so a single bucket still
// shows), inline SVG drawn here, with a legend and the same numbers as a table for screen readers
// and for copying.
import { h, s, table } from './dom.js';

export interface Series { name: string; total: number; counts: number[] }

const W = 640;
const H = 220;
const LEFT = 40;
const RIGHT = 8;
const TOP = 10;
const BOTTOM = 24;
export const OTHER = '(other)';

/** `2025-01-01T00:05:00.000Z` as `01-01 00:05` (UTC, as the server's clock counts) */
const label = (iso: string) => `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
const swatch = (i: number, name: string) => (name === OTHER ? 'sother' : `s${i % 6}`);

function chart(buckets: string[], series: Series[], caption: string): SVGElement {
  const n = Math.max(1, buckets.length);
  const sums = buckets.map((_, i) => series.reduce((a, x) => a + (x.counts[i] ?? 0), 0));
  const max = Math.max(1, ...sums);
  const x = (i: number) => LEFT + ((W - LEFT - RIGHT) * i) / n;
  const y = (v: number) => H - BOTTOM - ((H - TOP - BOTTOM) * v) / max;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${caption}: ${series.map((x) => `${x.name} ${x.total}`).join(', ')}`, class: 'chart' });
  for (const v of [0, Math.round(max / 2), max]) {
    svg.append(s('line', { x1: LEFT, y1: y(v), x2: W - RIGHT, y2: y(v), class: 'axis' }), s('text', { x: LEFT - 4, y: y(v) + 4, 'text-anchor': 'end' }, String(v)));
  }
  const base = new Array<number>(n).fill(0);
  series.forEach((ser, k) => {
    const top = base.map((b, i) => b + (ser.counts[i] ?? 0));
    // Along the top edge left to right, then back along the bottom edge, one step per bucket.
    let d = `M${x(0)},${y(top[0]!)}`;
    for (let i = 0; i < n; i++) d += `H${x(i + 1)}${i < n - 1 ? `V${y(top[i + 1]!)}` : ''}`;
    d += `V${y(base[n - 1]!)}`;
    for (let i = n - 1; i >= 0; i--) d += `H${x(i)}${i > 0 ? `V${y(base[i - 1]!)}` : ''}`;
    svg.append(s('path', { d: `${d}Z`, class: `area ${swatch(k, ser.name)}` }, s('title', {}, `${ser.name}: ${ser.total}`)));
    top.forEach((t, i) => { base[i] = t; });
  });
  const ticks = buckets.length > 2 ? [0, Math.floor((buckets.length - 1) / 2), buckets.length - 1] : buckets.map((_, i) => i);
  for (const i of ticks) {
    svg.append(s('text', { x: x(i), y: H - 8, 'text-anchor': i === 0 ? 'start' : i === buckets.length - 1 ? 'end' : 'middle' }, label(buckets[i]!)));
  }
  return svg;
}

/** The chart, its legend, and a table of the buckets that had requests (newest first). */
export function seriesChart(buckets: string[], series: Series[], caption: string): HTMLElement {
  const legend = h('ul', { class: 'legend', 'data-testid': 'usage-legend', 'aria-label': 'legend' },
    ...series.map((x, k) => h('li', {}, h('span', { class: `swatch ${swatch(k, x.name)}`, 'aria-hidden': 'true' }), h('code', {}, x.name), ` ${x.total}`)));
  const rows = buckets.map((at, i) => [label(at), ...series.map((x) => String(x.counts[i] ?? 0)), String(series.reduce((a, x) => a + (x.counts[i] ?? 0), 0))])
    .filter((r) => r[r.length - 1] !== '0').reverse();
  const numbers = table(['time (UTC)', ...series.map((x) => x.name), 'all'], rows, `${caption}, as a table`);
  numbers.setAttribute('data-testid', 'usage-series');
  return h('figure', {},
    h('figcaption', {}, caption),
    series.length === 0 ? h('p', { class: 'muted' }, 'No requests in the last 24 hours.') : chart(buckets, series, caption),
    legend,
    h('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': `${caption}, as a table` }, numbers));
}
