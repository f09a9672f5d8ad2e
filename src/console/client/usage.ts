// Usage: requests per endpoint, caller or app over time (the last 24 hours, counted by the server
// as they happen), and their cost under a per-request price table the operator edits.
import { api, messageOf } from './api.js';
import { clear, h, section, table } from './dom.js';
import { PriceEdits, publishedPrice } from './prices.js';
import { seriesChart, type Series } from './series-chart.js';

interface Usage {
  now: string; bucket_ms: number; total: number; dimension: string; buckets: string[]; series: Series[];
  by_endpoint: Record<string, number>; by_caller: Record<string, number>; by_app: Record<string, number>;
}

const usd = (n: number) => `$${n.toFixed(3)}`;

function costTable(byEndpoint: Record<string, number>, prices: PriceEdits, onReset: () => void): HTMLElement {
  const costs = new Map<string, number>();
  const totalEl = h('strong', { 'data-testid': 'usage-cost' });
  const showTotal = () => { totalEl.textContent = `Total: ${usd([...costs.values()].reduce((a, c) => a + c, 0))}`; };
  const resetBtn = h('button', { type: 'button', onclick: onReset }, 'Reset to X\'s prices');
  const rows = Object.entries(byEndpoint).map(([route, n]) => {
    const x = publishedPrice(route);
    const cost = h('span', {});
    const note = h('span', { class: 'muted' });
    const input = h('input', { type: 'number', step: 'any', min: '0', 'aria-label': `price of ${route} in USD`, placeholder: 'no price' });
    // Updated in place, not redrawn, so the focus stays where the keyboard left it.
    const show = () => {
      const p = prices.usd(route);
      input.value = p === null ? '' : String(p);
      costs.set(route, p === null ? 0 : p * n);
      cost.textContent = p === null ? '—' : usd(p * n);
      note.textContent = prices.edited(route) ? ' (edited)' : '';
      resetBtn.disabled = prices.count === 0;
      showTotal();
    };
    input.addEventListener('change', () => {
      const v = input.value === '' ? null : Number(input.value);
      if (v === null || (Number.isFinite(v) && v >= 0)) prices.set(route, v);
      show();
    });
    show();
    const item = x.source === null ? h('span', { class: 'muted' }, x.item) : h('a', { href: x.source, rel: 'noreferrer', target: '_blank' }, x.item);
    return [h('code', {}, route), String(n), h('span', {}, input, note), item, cost];
  });
  showTotal();
  resetBtn.disabled = prices.count === 0;
  return h('div', {},
    table(['endpoint', 'requests', 'USD per request', 'X\'s price (its source)', 'cost'], rows, 'cost per endpoint'),
    h('p', {}, totalEl, ' ', resetBtn),
    h('p', { class: 'muted' }, 'X bills reads per resource returned; here each request counts once. Edits stay in this browser.'));
}

export async function usagePage(root: HTMLElement): Promise<void> {
  const prices = new PriceEdits();
  const body = h('div', {});
  const costs = h('div', {});
  const by = h('select', { 'aria-label': 'Chart by' }, ...[['endpoint', 'by endpoint'], ['caller', 'by caller'], ['app', 'by app']].map(([v, t]) => h('option', { value: v! }, t!)));
  const bucket = h('select', { 'aria-label': 'Bucket size' }, ...[['60', '1 minute'], ['900', '15 minutes'], ['3600', '1 hour']].map(([v, t]) => h('option', { value: v! }, t!)));
  let last: Usage | null = null;
  const drawCosts = () => {
    clear(costs);
    if (last) costs.append(costTable(last.by_endpoint, prices, () => { prices.reset(); drawCosts(); }));
  };
  const draw = async () => {
    try {
      const u = await api.get<Usage>(`usage?by=${by.value}&bucket_seconds=${bucket.value}&top=6`);
      last = u;
      clear(body);
      body.append(h('p', {}, `${u.total} requests in the 24 hours to ${u.now} (the server's clock)`),
        seriesChart(u.buckets, u.series, `Requests per ${u.bucket_ms / 60_000} min by ${u.dimension}`));
      drawCosts();
    } catch (err) {
      clear(body);
      clear(costs);
      body.append(h('p', { class: 'error', role: 'alert' }, messageOf(err)));
    }
  };
  by.addEventListener('change', () => void draw());
  bucket.addEventListener('change', () => void draw());
  root.append(section('Usage', h('div', { class: 'toolbar' }, by, bucket, h('button', { type: 'button', onclick: () => void draw() }, 'Refresh')), body),
    section('Cost', costs));
  await draw();
}
