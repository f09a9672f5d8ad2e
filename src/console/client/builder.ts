// The request builder: a credential by name, an endpoint from roost's tables with its declared
// parameters (and a v2 write's JSON body members), sent signed by roost; the reply, and the
// request as curl.
import { api, messageOf } from './api.js';
import { clear, copyButton, field, h, section } from './dom.js';
import { prettyJson } from './json-text.js';

interface Param { name: string; type: string; in?: string; default?: unknown; min?: number; max?: number }
interface Endpoint {
  api: string; method: string; path: string; user_limit: number | null; app_limit: number | null; write: boolean;
  auth: string[]; scopes: string[]; body: string[]; params: Param[];
}
interface Sent { status: number; ms: number; headers: Record<string, string>; body: string; curl: string }

const AUTH_NAMES: Record<string, string> = { oauth1: 'OAuth 1.0a user', 'oauth2-user': 'OAuth 2.0 user', 'app-only': 'app-only bearer' };

/** A v2 write's JSON body (none when it declares no members): each filled member as text, or as the object or array it spells. */
function jsonBody(e: Endpoint, members: { name: string; input: HTMLInputElement }[]): Record<string, unknown> | null {
  if (e.api !== 'v2' || (e.method !== 'POST' && e.method !== 'PUT') || e.body.length === 0) return null;
  const body: Record<string, unknown> = {};
  for (const { name, input } of members) {
    const v = input.value.trim();
    if (v === '') continue;
    if (/^[[{]/.test(v)) {
      try {
        body[name] = JSON.parse(v);
        continue;
      } catch { /* sent as typed */ }
    }
    body[name] = input.value;
  }
  return body;
}

export async function builderPage(root: HTMLElement): Promise<void> {
  const [{ endpoints }, creds] = await Promise.all([
    api.get<{ endpoints: Endpoint[] }>('endpoints'),
    api.get<{ apps: { name: string }[]; tokens: { name: string; screen_name: string; access: string }[] }>('apps'),
  ]);
  const credential = h('select', { id: 'b-credential' },
    h('option', { value: '' }, '(none)'),
    ...creds.tokens.map((t) => h('option', { value: t.name }, `${t.name} (@${t.screen_name}, OAuth 1.0a, ${t.access})`)),
    ...creds.tokens.map((t) => h('option', { value: `oauth2:${t.name}` }, `${t.name} (@${t.screen_name}, OAuth 2.0, the endpoint's scopes)`)),
    ...creds.apps.map((a) => h('option', { value: `app:${a.name}` }, `app-only: ${a.name}`)));
  if (creds.tokens[0]) credential.value = creds.tokens[0].name;
  const endpoint = h('select', { id: 'b-endpoint' }, ...endpoints.map((e, i) => h('option', { value: String(i) }, `${e.method} ${e.path}`)));
  const paramsBox = h('div', { class: 'params' });
  const limits = h('p', { class: 'muted' });
  const out = h('div', { class: 'reply', 'aria-live': 'polite' });
  let inputs: { p: Param; input: HTMLInputElement }[] = [];
  let members: { name: string; input: HTMLInputElement }[] = [];

  const showParams = () => {
    const e = endpoints[Number(endpoint.value)]!;
    const takes = e.auth.map((a) => AUTH_NAMES[a] ?? a).join(', ');
    limits.textContent = `${e.api} · per user ${e.user_limit ?? '—'} / 15 min · app-only ${e.app_limit ?? 'refused'}${e.write ? ' · writes' : ''} · takes ${takes}${e.scopes.length ? ` (scopes ${e.scopes.join(' ')})` : ''}`;
    clear(paramsBox);
    inputs = e.params.map((p) => {
      const hint = [p.type, p.default !== undefined ? `default ${String(p.default)}` : '', p.min !== undefined ? `${p.min}–${p.max}` : ''].filter(Boolean).join(', ');
      const input = h('input', { type: 'text', name: p.name, placeholder: hint, 'data-param': p.name });
      paramsBox.append(field(`${p.name}${p.in === 'path' ? ' (path)' : ''}`, input));
      return { p, input };
    });
    members = e.body.map((name) => {
      const input = h('input', { type: 'text', name: `body.${name}`, placeholder: 'text, or JSON for an object', 'data-body': name });
      paramsBox.append(field(`${name} (JSON body)`, input));
      return { name, input };
    });
  };
  endpoint.addEventListener('change', showParams);
  showParams();

  const send = h('button', { type: 'submit' }, 'Send');
  const form = h('form', { class: 'builder' }, field('Credential', credential), field('Endpoint', endpoint), limits, paramsBox, send);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const e = endpoints[Number(endpoint.value)]!;
    let path = e.path;
    const params: Record<string, string> = {};
    for (const { p, input } of inputs) {
      if (p.in === 'path') path = path.replace(`:${p.name}`, encodeURIComponent(input.value));
      else if (input.value !== '') params[p.name] = input.value;
    }
    const json = jsonBody(e, members);
    clear(out);
    out.append(h('p', {}, 'Sending…'));
    try {
      const r = await api.post<Sent>('send', { credential: credential.value, method: e.method, path, params, scopes: e.scopes, ...(json ? { json } : {}) });
      const body = prettyJson(r.body);
      clear(out);
      out.append(
        h('h3', { 'data-testid': 'builder-status' }, `${r.status} · ${r.ms} ms`),
        h('div', { class: 'toolbar' }, copyButton(() => r.curl, 'Copy as curl')),
        h('pre', { class: 'wrap', 'aria-label': 'curl command' }, r.curl),
        h('h4', {}, 'Reply headers'),
        h('pre', {}, Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`).join('\n')),
        h('h4', {}, 'Reply body'),
        h('pre', { class: 'body', 'data-testid': 'builder-body' }, body));
    } catch (err) {
      clear(out);
      out.append(h('p', { class: 'error', role: 'alert' }, messageOf(err)));
    }
  });
  root.append(section('Request builder', form, out));
}
