// Events: webhooks and their deliveries when roost serves /_roost/deliveries; until then, none.
import { api, ApiError, messageOf } from './api.js';
import { h, section, table } from './dom.js';

export async function eventsPage(root: HTMLElement): Promise<void> {
  let body: HTMLElement;
  try {
    // Asked first, so the page never requests a route roost does not have (a 404 in the browser's log).
    const { deliveries } = await api.get<{ deliveries: boolean }>('console/features');
    if (!deliveries) throw new ApiError(404, 'no deliveries');
    const r = await api.get<{ webhooks?: Record<string, unknown>[]; deliveries?: Record<string, unknown>[] }>('deliveries');
    const rows = (list: Record<string, unknown>[] | undefined) => list ?? [];
    const keys = (list: Record<string, unknown>[]) => [...new Set(list.flatMap((x) => Object.keys(x)))].slice(0, 8);
    const tableOf = (name: string, list: Record<string, unknown>[]) => list.length === 0
      ? h('p', { class: 'muted' }, `No ${name}.`)
      : table(keys(list), list.map((x) => keys(list).map((k) => h('code', {}, typeof x[k] === 'object' ? JSON.stringify(x[k]) : String(x[k] ?? '')))), name);
    body = h('div', {}, h('h3', {}, 'Webhooks'), tableOf('webhooks', rows(r.webhooks)), h('h3', {}, 'Deliveries'), tableOf('deliveries', rows(r.deliveries)));
  } catch (err) {
    body = err instanceof ApiError && err.status === 404
      ? h('p', { 'data-testid': 'no-events' }, 'No webhooks or deliveries: this roost has no follow events yet.')
      : h('p', { class: 'error', role: 'alert' }, messageOf(err));
  }
  root.append(section('Events', body));
}
