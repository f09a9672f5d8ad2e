// Usage: requests per endpoint, caller and app over time as inline SVG charts, and their cost
// under an editable per-request price table.
import { api, messageOf } from './api.js';
import { clear, h, s, section, table } from './dom.js';
import { PRICES, PRICING_SOURCE, priceOf, type Price } from './prices.js';

interface Usage {
  total: number; bucket_ms: number; by_endpoint: Record<string, number>; by_caller: Record<string, number>; by_app: Record<string, number>;
  by_status: Record<string, number>; over_time: { at: string; counts: Record<string, number> }[];
}

function bars(title: string, counts: Record<string, number>): HTMLElement {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 12);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const W = 560;
  const row = 22;
  const svg = s('svg', { viewBox: `0 0 ${W} ${Math.max(row, entries.length * row)}`, role: 'img', 'aria-label': `${title}: ${entries.map(([k, n]) => `${k} ${n}`).join(', ')}`, class: 'chart' });
  entries.forEach(([k, n], i) => {
    svg.appendChild(s('rect', { x: 260, y: i * row + 3, width: Math.max(2, ((W - 300) * n) / max), height: row - 8, class: 'bar' }));
    svg.appendChild(s('text', { x: 254, y: i * row + 15, 'text-anchor': 'end' }, k.length > 40 ? `…${k.slice(-39)}` : k));
    svg.appendChild(s('text', { x: 266 + ((W - 300) * n) / max, y: i * row + 15 }, String(n)));
  });
  return h('figure', {}, h('figcaption', {}, title), svg);
}

function overTime(u: Usage): HTMLElement {
  const W = 560;
  const H = 160;
  const totals = u.over_time.map((b) => ({ at: b.at, n: Object.values(b.counts).reduce((a, c) => a + c, 0) }));
  const max = Math.max(1, ...totals.map((t) => t.n));
  const step = totals.length > 1 ? (W - 40) / (totals.length - 1) : 0;
  const pts = totals.map((t, i) => `${20 + i * step},${H - 20 - ((H - 40) * t.n) / max}`).join(' ');
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `requests per ${u.bucket_ms / 1000} s: ${totals.map((t) => t.n).join(', ')}`, class: 'chart' },
    s('line', { x1: 20, y1: H - 20, x2: W - 20, y2: H - 20, class: 'axis' }),
    s('polyline', { points: pts || `20,${H - 20}`, class: 'line' }),
    ...totals.map((t, i) => s('circle', { cx: 20 + i * step, cy: H - 20 - ((H - 40) * t.n) / max, r: 3, class: 'dot' })),
    s('text', { x: 20, y: 14 }, `max ${max}`),
    s('text', { x: 20, y: H - 4 }, totals[0]?.at ?? ''),
    s('text', { x: W - 20, y: H - 4, 'text-anchor': 'end' }, totals[totals.length - 1]?.at ?? ''));
  return h('figure', {}, h('figcaption', {}, `Requests over time (buckets of ${u.bucket_ms / 1000} s, emulator clock)`), svg);
}

function costTable(u: Usage, prices: Price[], redraw: () => void): HTMLElement {
  let total = 0;
  const rows = Object.entries(u.by_endpoint).sort((a, b) => b[1] - a[1]).map(([route, n]) => {
    const p = priceOf(route, prices);
    if (p.usd !== null) total += p.usd * n;
    const input = h('input', { type: 'number', step: '0.001', min: '0', value: p.usd === null ? '' : String(p.usd), 'aria-label': `price of ${route} in USD`, placeholder: 'no published price' });
    input.addEventListener('change', () => {
      const i = prices.findIndex((x) => x.route === route);
      const next = { route, usd: input.value === '' ? null : Number(input.value), item: 'edited' };
      if (i < 0) prices.push(next);
      else prices[i] = next;
      redraw();
    });
    return [h('code', {}, route), String(n), input, p.item, p.usd === null ? '—' : `$${(p.usd * n).toFixed(3)}`];
  });
  return h('div', {},
    table(['endpoint', 'requests', 'USD per request', 'X\'s price', 'cost'], rows, 'cost per endpoint'),
    h('p', {}, h('strong', { 'data-testid': 'usage-cost' }, `Total: $${total.toFixed(3)}`), ' · prices from ', h('a', { href: PRICING_SOURCE, rel: 'noreferrer' }, PRICING_SOURCE),
      ' (X bills reads per resource returned; here each request counts once)'));
}

export async function usagePage(root: HTMLElement): Promise<void> {
  const prices = PRICES.map((p) => ({ ...p }));
  const body = h('div', {});
  const bucket = h('select', { 'aria-label': 'Bucket size' }, ...[['60', '1 minute'], ['900', '15 minutes'], ['3600', '1 hour']].map(([v, t]) => h('option', { value: v! }, t!)));
  const draw = async () => {
    try {
      const u = await api.get<Usage>(`usage?bucket_seconds=${bucket.value}`);
      clear(body);
      body.append(h('p', {}, `${u.total} requests`), overTime(u),
        h('div', { class: 'grid' }, bars('By endpoint', u.by_endpoint), bars('By caller', u.by_caller), bars('By app', u.by_app), bars('By status', u.by_status)),
        h('h3', {}, 'Cost'), costTable(u, prices, () => void draw()));
    } catch (err) {
      clear(body);
      body.append(h('p', { class: 'error', role: 'alert' }, messageOf(err)));
    }
  };
  bucket.addEventListener('change', () => void draw());
  root.append(section('Usage', h('div', { class: 'toolbar' }, bucket, h('button', { type: 'button', onclick: () => void draw() }, 'Refresh')), body));
  await draw();
}
