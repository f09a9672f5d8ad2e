// Requests, live over server-sent events: a virtual list (only the rows in view exist in the
// DOM, so 10,000 stay responsive), a filter, and the opened request in full, with an OAuth 1.0a
// refusal explained.
import { api, messageOf } from './api.js';
import { clear, h, section, table } from './dom.js';
import { prettyJson } from './json-text.js';

interface Row {
  seq: number; at: string; method: string; path: string; query: string; route: string; status: number; caller: string | null;
  app: string | null; auth: string; rateRemaining: number | null; ms: number; explained: boolean;
}

interface Explanation {
  step: string; why: string; method: string; urls: string[]; params: [string, string][]; baseStrings: string[];
  skewSeconds: number | null; allowedSkewSeconds: number; oauth: Record<string, string>; hints: string[];
}

interface Full extends Row {
  query: string; body: string; requestHeaders: Record<string, string>; replyHeaders: Record<string, string>; reply: string;
  explanation: Explanation | null;
}

const ROW_HEIGHT = 32;
const KEEP = 10_000;
const rows: Row[] = [];
let source: EventSource | null = null;
let redraw: (() => void) | null = null;

function connect(): void {
  if (source) return;
  source = new EventSource('/_roost/requests/stream');
  source.addEventListener('backlog', (e) => {
    rows.length = 0;
    rows.push(...(JSON.parse((e as MessageEvent<string>).data) as Row[]));
    redraw?.();
  });
  source.addEventListener('request', (e) => {
    rows.push(JSON.parse((e as MessageEvent<string>).data) as Row);
    if (rows.length > KEEP) rows.splice(0, rows.length - KEEP);
    redraw?.();
  });
}

/** Closes the stream: with nobody watching, roost stops capturing. */
export function disconnectRequests(): void {
  source?.close();
  source = null;
  redraw = null;
}

function matches(r: Row, q: string): boolean {
  if (!q) return true;
  const hay = `${r.method} ${r.path}?${r.query} ${r.status} ${r.caller ?? ''} ${r.app ?? ''} ${r.auth}`.toLowerCase();
  return q.toLowerCase().split(/\s+/).every((w) => hay.includes(w));
}

const statusClass = (s: number) => (s >= 500 || s === 0 ? 'bad' : s >= 400 ? 'warn' : 'ok');

function explanationView(x: Explanation): HTMLElement {
  return h('div', { class: 'explain', 'data-testid': 'oauth-explanation' },
    h('h3', {}, 'Why OAuth 1.0a refused it'),
    h('p', { class: 'why' }, h('strong', {}, x.step), ': ', x.why),
    h('p', {}, `Clock skew: ${x.skewSeconds === null ? 'no usable oauth_timestamp' : `${x.skewSeconds} s`} (allowed ±${x.allowedSkewSeconds} s)`),
    h('p', {}, 'Scheme and host roost assumed: ', ...x.urls.map((u) => h('code', {}, u))),
    h('h4', {}, 'Signature base string roost built'),
    ...x.baseStrings.map((b) => h('pre', { class: 'wrap', 'aria-label': 'signature base string' }, b)),
    h('h4', {}, 'Parameters it signed'),
    table(['name', 'value'], x.params.map(([k, v]) => [h('code', {}, k), h('code', {}, v)]), 'signed parameters'),
    x.hints.length ? h('h4', {}, 'What the signature matches instead') : null,
    x.hints.length ? h('ul', {}, ...x.hints.map((t) => h('li', {}, t))) : null);
}

function headersTable(hs: Record<string, string>, label: string): HTMLElement {
  return table(['header', 'value'], Object.entries(hs).map(([k, v]) => [k, h('code', {}, v)]), label);
}



async function openDetail(panel: HTMLElement, seq: number): Promise<void> {
  clear(panel);
  panel.append(h('p', {}, 'Loading…'));
  try {
    const r = await api.get<Full>(`requests/captured/${seq}`);
    const type = r.requestHeaders['content-type'] ?? '';
    const isForm = /^application\/x-www-form-urlencoded\b/i.test(type);
    // A form body's pairs are parameters (and signed); any other body is shown as it came.
    const params = [...new URLSearchParams(r.query), ...(isForm ? new URLSearchParams(r.body) : [])];
    clear(panel);
    panel.append(
      h('h2', { tabindex: '-1', id: 'detail-title' }, `${r.method} ${r.path} → ${r.status}`),
      h('p', {}, `${r.at} · ${r.caller ?? 'anonymous'}${r.app ? ` via ${r.app}` : ''} · ${r.auth} · ${r.ms} ms`),
      ...(r.explanation ? [explanationView(r.explanation)] : []),
      h('h3', {}, 'Parameters'),
      params.length ? table(['name', 'value'], params.map(([k, v]) => [h('code', {}, k), h('code', {}, v)]), 'parameters') : h('p', {}, 'none'),
      ...(r.body === '' ? [] : [h('h3', {}, 'Request body'), h('pre', { class: 'body', 'data-testid': 'request-body' }, /json/i.test(type) ? prettyJson(r.body) : r.body)]),
      h('h3', {}, 'Request headers'), headersTable(r.requestHeaders, 'request headers'),
      h('h3', {}, 'Reply headers'), headersTable(r.replyHeaders, 'reply headers'),
      h('h3', {}, 'Reply body'), h('pre', { class: 'body' }, prettyJson(r.reply)));
    panel.querySelector<HTMLElement>('#detail-title')?.focus();
  } catch (err) {
    clear(panel);
    panel.append(h('p', { class: 'error', role: 'alert' }, messageOf(err)));
  }
}

export function requestsPage(root: HTMLElement): void {
  const filter = h('input', { type: 'search', placeholder: 'filter: method, path, query, status, caller, app, auth', 'aria-label': 'Filter requests' });
  const count = h('span', { class: 'muted', 'aria-live': 'polite' });
  const viewport = h('div', { class: 'vlist', role: 'list', 'aria-label': 'Requests (arrow keys move between rows, Enter opens one)', tabindex: '0' });
  const spacer = h('div', { class: 'vspacer' });
  const win = h('div', { class: 'vwindow' });
  viewport.append(spacer, win);
  const detail = h('div', { class: 'detail', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Open a request to see its parameters, headers and body.'));
  let shown: Row[] = [];
  let follow = true;

  /** The seq of the row that has the keyboard focus, or null. */
  const focusedSeq = (): number | null => {
    const a = document.activeElement;
    return a instanceof HTMLElement && a.classList.contains('rowbtn') && win.contains(a) ? Number(a.dataset.seq) : null;
  };
  const draw = () => {
    const q = filter.value.trim();
    shown = q ? rows.filter((r) => matches(r, q)) : rows;
    count.textContent = `${shown.length} of ${rows.length}`;
    spacer.style.height = `${shown.length * ROW_HEIGHT}px`;
    // A focused row holds the view still: following new rows would scroll it out of the window.
    const keep = focusedSeq();
    if (follow && keep === null) viewport.scrollTop = viewport.scrollHeight;
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - 5);
    const last = Math.min(shown.length, first + Math.ceil((viewport.clientHeight || 600) / ROW_HEIGHT) + 10);
    win.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    win.replaceChildren(...shown.slice(first, last).map((r) => h('div', { role: 'listitem', class: 'vrow' },
      h('button', { type: 'button', class: 'rowbtn', 'data-seq': r.seq, onclick: () => void openDetail(detail, r.seq) },
        h('span', { class: 'c-method' }, r.method),
        h('span', { class: 'c-path', title: r.query ? `${r.path}?${r.query}` : r.path }, r.path, r.query ? h('span', { class: 'muted' }, `?${r.query}`) : null),
        h('span', { class: `c-status ${statusClass(r.status)}` }, String(r.status)),
        h('span', { class: 'c-caller' }, r.caller ?? '—'),
        h('span', { class: 'c-app' }, r.app ?? '—'),
        h('span', { class: `c-auth${r.explained ? ' warn' : ''}` }, r.auth),
        h('span', { class: 'c-rate' }, r.rateRemaining === null ? '' : String(r.rateRemaining)),
        h('span', { class: 'c-ms' }, `${r.ms} ms`)))));
    // The rows were rebuilt: the one that had focus gets it back (or the list, if filtered out).
    if (keep !== null) (win.querySelector<HTMLElement>(`.rowbtn[data-seq="${keep}"]`) ?? viewport).focus({ preventScroll: true });
  };
  /** Focuses the row at `index` of those shown, scrolling it into the window first. */
  const focusRow = (index: number) => {
    const i = Math.max(0, Math.min(shown.length - 1, index));
    const seq = shown[i]?.seq;
    if (seq === undefined) return;
    const top = i * ROW_HEIGHT;
    if (top < viewport.scrollTop) viewport.scrollTop = top;
    else if (top + ROW_HEIGHT > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + ROW_HEIGHT - viewport.clientHeight;
    follow = false;
    draw();
    win.querySelector<HTMLElement>(`.rowbtn[data-seq="${seq}"]`)?.focus({ preventScroll: true });
  };
  const STEPS: Record<string, (i: number) => number> = {
    ArrowDown: (i) => i + 1, ArrowUp: (i) => i - 1, Home: () => 0, End: () => shown.length - 1,
    PageDown: (i) => i + Math.floor(viewport.clientHeight / ROW_HEIGHT), PageUp: (i) => i - Math.floor(viewport.clientHeight / ROW_HEIGHT),
  };
  viewport.addEventListener('keydown', (ev) => {
    const step = STEPS[ev.key];
    if (!step) return;
    ev.preventDefault();
    const seq = focusedSeq();
    // From the list itself, Down lands on the first row in view and Up on the last.
    const first = Math.ceil(viewport.scrollTop / ROW_HEIGHT);
    const last = Math.min(shown.length, Math.floor((viewport.scrollTop + viewport.clientHeight) / ROW_HEIGHT)) - 1;
    const at = seq !== null ? shown.findIndex((r) => r.seq === seq) : ev.key === 'ArrowUp' ? last + 1 : first - 1;
    focusRow(step(at));
  });
  let pending = false;
  redraw = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  };
  viewport.addEventListener('scroll', () => {
    follow = viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - ROW_HEIGHT;
    redraw?.();
  });
  filter.addEventListener('input', () => redraw?.());
  const head = h('div', { class: 'vhead', 'aria-hidden': 'true' }, ...['method', 'path', 'status', 'caller', 'app', 'auth', 'rate left', 'time'].map((t) => h('span', {}, t)));
  root.append(section('Requests', h('div', { class: 'toolbar' }, filter, count), h('div', { class: 'split' }, h('div', {}, head, viewport), detail)));
  connect();
  redraw();
}
