// Events: every webhook (all apps), the Account Activity and Activity API subscriptions that feed
// them, and each delivery with its attempts and the receiver's answers, newest first. Live: a
// server-sent event after each attempt or subscription change reloads the lists (no polling).
// A delivery can be sent again; "fail next" makes the next deliveries fail on purpose.
import { api, ApiError, messageOf } from './api.js';
import { clear, field, h, section, table } from './dom.js';

interface Webhook { id: string; app: string | null; url: string; valid: boolean; created_at: string; account_activity: { screen_name: string | null; user_id: string }[] }
interface ActivitySub { id: string; app: string | null; event_type: string; screen_name: string | null; user_id: string; direction: string | null; tag: string | null; webhook_id: string | null }
interface Attempt { webhook_id: string; event_seq: string; kind: string; at: string; ok: boolean; status: number | null; ms: number; error: string | null; answer: string | null; body: string }

let source: EventSource | null = null;

/** Closes the live feed when the page is left. */
export function disconnectEvents(): void {
  source?.close();
  source = null;
}

const who = (u: { screen_name: string | null; user_id: string }) => (u.screen_name ? `@${u.screen_name}` : u.user_id);

/** One delivery: one body sent to one webhook for one event, with every attempt at it (oldest first). */
function group(attempts: Attempt[]): { key: string; first: Attempt; tries: Attempt[] }[] {
  const out = new Map<string, { key: string; first: Attempt; tries: Attempt[] }>();
  for (const a of [...attempts].reverse()) {
    const key = `${a.webhook_id} ${a.event_seq} ${a.kind} ${a.body}`;
    const g = out.get(key) ?? { key, first: a, tries: [] };
    g.tries.push(a);
    out.set(key, g);
  }
  return [...out.values()].reverse();
}

/** What a body is about, in a few words: the AAA kind and users, or the Activity event type. */
function gist(body: string): string {
  try {
    const b = JSON.parse(body) as Record<string, any>;
    const list = Object.entries(b).find(([k]) => k.endsWith('_events'));
    if (list) {
      const e = (list[1] as any[])[0] ?? {};
      return `${e.type ?? list[0]} @${e.source?.screen_name ?? '?'} → @${e.target?.screen_name ?? '?'} (for ${b.for_user_id})`;
    }
    return String(b.data?.event_type ?? b.event_type ?? Object.keys(b).join(', '));
  } catch {
    return body.slice(0, 80);
  }
}

export async function eventsPage(root: HTMLElement): Promise<void> {
  disconnectEvents();
  // Asked first, so the page never requests a route roost does not have (a 404 in the browser's log).
  const { deliveries: served } = await api.get<{ deliveries: boolean }>('console/features');
  if (!served) {
    root.append(section('Events', h('p', { 'data-testid': 'no-events' }, 'No webhooks or deliveries here: the Events page needs emulator mode (serve --emulator).')));
    return;
  }
  const note = h('p', { class: 'muted', 'aria-live': 'polite' });
  const fail = (err: unknown) => { note.textContent = messageOf(err); note.className = 'error'; };
  const hooks = h('div', {});
  const subs = h('div', {});
  const log = h('div', { 'data-testid': 'deliveries' });

  const load = async () => {
    const [w, s, d] = await Promise.all([
      api.get<{ webhooks: Webhook[] }>('webhooks'),
      api.get<{ activity: ActivitySub[] }>('subscriptions'),
      api.get<{ deliveries: Attempt[] }>('deliveries?limit=500'),
    ]);
    clear(hooks);
    hooks.append(w.webhooks.length === 0 ? h('p', { class: 'muted' }, 'No webhooks.') : table(['id', 'app', 'url', 'valid', 'created', 'Account Activity'], w.webhooks.map((x) => [
      h('code', {}, x.id), x.app ?? '', h('code', {}, x.url), h('span', { class: x.valid ? 'ok' : 'bad' }, x.valid ? 'valid' : 'invalid'), x.created_at,
      x.account_activity.length === 0 ? h('span', { class: 'muted' }, 'none') : x.account_activity.map(who).join(', ')]), 'webhooks'));
    clear(subs);
    subs.append(s.activity.length === 0 ? h('p', { class: 'muted' }, 'No Activity API subscriptions.') : table(['id', 'app', 'event type', 'user', 'direction', 'tag', 'webhook'], s.activity.map((x) => [
      h('code', {}, x.id), x.app ?? '', x.event_type, who(x), x.direction ?? 'both', x.tag ?? '', x.webhook_id ? h('code', {}, x.webhook_id) : h('span', { class: 'muted' }, 'stream')]), 'Activity API subscriptions'));
    clear(log);
    const groups = group(d.deliveries);
    log.append(groups.length === 0 ? h('p', { class: 'muted' }, 'No deliveries yet.') : h('ol', { class: 'deliveries' }, ...groups.map(({ key, first, tries }) => {
      const last = tries[tries.length - 1]!;
      const resend = h('button', { type: 'button', class: 'small', onclick: async () => {
        try {
          await api.post('deliveries/resend', { webhook_id: first.webhook_id, event_seq: first.event_seq });
          note.textContent = `Sent event ${first.event_seq} to webhook ${first.webhook_id} again`;
          note.className = 'muted';
        } catch (err) {
          fail(err);
        }
      } }, 'Resend');
      return h('li', { class: 'delivery card inner', 'data-key': key },
        h('div', { class: 'toolbar' }, h('strong', { class: last.ok ? 'ok' : 'bad' }, last.ok ? 'delivered' : 'failing'),
          h('span', {}, gist(first.body)), h('span', { class: 'muted' }, `event ${first.event_seq} · ${first.kind} · webhook ${first.webhook_id}`), resend),
        table(['attempt', 'at', 'status', 'ms', 'error', 'answer'], tries.map((a, i) => [
          String(i + 1), a.at, h('span', { class: a.ok ? 'ok' : 'bad' }, a.status === null ? 'none' : String(a.status)), String(a.ms), a.error ?? '', h('code', {}, a.answer ?? '')]),
        'attempts'));
    })));
  };

  const count = h('input', { type: 'number', min: '0', value: '1', 'aria-label': 'How many deliveries fail' });
  const status = h('input', { type: 'number', min: '100', max: '599', value: '503', 'aria-label': 'Status they fail with' });
  const failForm = h('form', { class: 'inline' }, field('Fail next', count), field('with status', status), h('button', { type: 'submit' }, 'Fail next deliveries'));
  failForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const r = await api.post<{ count: number; status: number }>('deliveries/fail-next', { count: Number(count.value), status: Number(status.value) });
      note.textContent = `The next ${r.count} deliveries fail with ${r.status}`;
      note.className = 'muted';
    } catch (err) {
      fail(err);
    }
  });

  try {
    await load();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    fail(err);
  }
  root.append(
    section('Webhooks', hooks),
    section('Activity API subscriptions', subs),
    section('Deliveries', h('p', { class: 'muted' }, 'Newest first; live. Each delivery is one body for one event, with every attempt at it.'), failForm, note, log));

  // Bursts of attempts come together: one reload for each burst.
  let pending: ReturnType<typeof setTimeout> | null = null;
  const reload = () => {
    if (pending) return;
    pending = setTimeout(() => { pending = null; load().catch(fail); }, 100);
  };
  source = new EventSource('/_roost/deliveries/stream');
  source.addEventListener('attempt', reload);
  source.addEventListener('change', reload);
}
