// Usage: requests per endpoint, caller or app over time (the last 24 hours, counted by the server
// as they happen), and their cost under a per-request price table the operator edits.
import { api, messageOf } from './api.js';
import { watchChanges } from './changes.js';
import { h, refill, section } from './dom.js';
import { PriceEdits, publishedPrice } from './prices.js';
import { seriesChart, type Series } from './series-chart.js';

interface Usage {
  now: string; bucket_ms: number; total: number; dimension: string; buckets: string[]; series: Series[];
  by_endpoint: Record<string, number>; by_caller: Record<string, number>; by_app: Record<string, number>;
}

const usd = (n: number) => `$${n.toFixed(3)}`;

/** The cost table, updated in place as counts move: a price being typed is never redrawn. */
function costTable(prices: PriceEdits): { el: HTMLElement; update(byEndpoint: Record<string, number>): void } {
  const costs = new Map<string, number>();
  const totalEl = h('strong', { 'data-testid': 'usage-cost' });
  const showTotal = () => { totalEl.textContent = `Total: ${usd([...costs.values()].reduce((a, c) => a + c, 0))}`; };
  const resetBtn = h('button', { type: 'button', onclick: () => prices.reset() }, 'Reset to X\'s prices');
  const body = h('tbody', {});
  const rows = new Map<string, { tr: HTMLElement; count(n: number): void; show(price: boolean): void }>();
  const rowOf = (route: string) => {
    let n = 0;
    const x = publishedPrice(route);
    const requests = h('span', {});
    const cost = h('span', {});
    const note = h('span', { class: 'muted' });
    const input = h('input', { type: 'number', step: 'any', min: '0', 'aria-label': `price of ${route} in USD`, placeholder: 'no price' });
    /** `price`: the field is set too (not while a live update finds someone typing in it). */
    const show = (price: boolean) => {
      const p = prices.usd(route);
      if (price) input.value = p === null ? '' : String(p);
      costs.set(route, p === null ? 0 : p * n);
      requests.textContent = String(n);
      cost.textContent = p === null ? '—' : usd(p * n);
      note.textContent = prices.edited(route) ? ' (edited)' : '';
      resetBtn.disabled = prices.count === 0;
      showTotal();
    };
    input.addEventListener('change', () => {
      const v = input.value === '' ? null : Number(input.value);
      if (v === null || (Number.isFinite(v) && v >= 0)) prices.set(route, v);
      show(true);
    });
    const item = x.source === null ? h('span', { class: 'muted' }, x.item) : h('a', { href: x.source, rel: 'noreferrer', target: '_blank' }, x.item);
    const tr = h('tr', {}, ...[h('code', {}, route), requests, h('span', {}, input, note), item, cost].map((c) => h('td', {}, c)));
    return { tr, count: (m: number) => { n = m; show(document.activeElement !== input); }, show };
  };
  const update = (byEndpoint: Record<string, number>) => {
    for (const [route, r] of rows) if (!(route in byEndpoint)) { r.tr.remove(); rows.delete(route); costs.delete(route); }
    // New endpoints join at the end: rows already shown keep their place (and any focus in them).
    for (const [route, n] of Object.entries(byEndpoint)) {
      let r = rows.get(route);
      if (!r) {
        rows.set(route, (r = rowOf(route)));
        body.append(r.tr);
      }
      r.count(n);
    }
    showTotal();
    resetBtn.disabled = prices.count === 0;
  };
  const head = ['endpoint', 'requests', 'USD per request', 'X\'s price (its source)', 'cost'];
  const el = h('div', {},
    h('table', { 'aria-label': 'cost per endpoint' }, h('thead', {}, h('tr', {}, ...head.map((x) => h('th', { scope: 'col' }, x)))), body),
    h('p', {}, totalEl, ' ', resetBtn),
    h('p', { class: 'muted' }, 'X bills reads per resource returned; here each request counts once. Edits stay in this browser.'));
  resetBtn.addEventListener('click', () => { for (const r of rows.values()) r.show(true); });
  return { el, update };
}

export async function usagePage(root: HTMLElement): Promise<void> {
  const prices = new PriceEdits();
  const body = h('div', {});
  const costs = costTable(prices);
  const by = h('select', { 'aria-label': 'Chart by' }, ...[['endpoint', 'by endpoint'], ['caller', 'by caller'], ['app', 'by app']].map(([v, t]) => h('option', { value: v! }, t!)));
  const bucket = h('select', { 'aria-label': 'Bucket size' }, ...[['60', '1 minute'], ['900', '15 minutes'], ['3600', '1 hour']].map(([v, t]) => h('option', { value: v! }, t!)));
  const draw = async () => {
    try {
      const u = await api.get<Usage>(`usage?by=${by.value}&bucket_seconds=${bucket.value}&top=6`);
      refill(body, h('p', {}, h('span', { 'data-testid': 'usage-total' }, `${u.total} requests`), ` in the 24 hours to ${u.now} (the server's clock)`),
        seriesChart(u.buckets, u.series, `Requests per ${u.bucket_ms / 60_000} min by ${u.dimension}`));
      costs.update(u.by_endpoint);
      costs.el.hidden = false;
    } catch (err) {
      refill(body, h('p', { class: 'error', role: 'alert' }, messageOf(err)));
      costs.el.hidden = true;
    }
  };
  by.addEventListener('change', () => void draw());
  bucket.addEventListener('change', () => void draw());
  root.append(section('Usage', h('div', { class: 'toolbar' }, by, bucket, h('button', { type: 'button', onclick: () => void draw() }, 'Refresh')), body),
    section('Cost', costs.el));
  // Counted requests, a moved clock (the window's end) and a reset (the counts start again) redraw it.
  watchChanges({ usage: draw, clock: draw, state: draw });
  await draw();
}
