// The data explorer: users (search, create, suspend, protect, edit), a user's page with counts,
// lists with cursors and the two-hop graph; apps and tokens; export, import, reset, snapshots.
// Live: a graph change or a reset re-fetches what is shown, leaving the fields being typed in.
import { api, messageOf } from './api.js';
import { watchChanges } from './changes.js';
import { clear, copyButton, field, h, refill, section, table } from './dom.js';
import { graphView } from './graph.js';

export interface User {
  id_str: string; screen_name: string; name: string; description: string; location: string; url: string | null;
  protected: boolean; verified: boolean; state: string; locked: boolean; followers_count: number; friends_count: number;
}

const LISTS = ['followers', 'following', 'requests_in', 'requests_out', 'blocks', 'mutes'];

function status(el: HTMLElement, text: string, bad = false): void {
  el.textContent = text;
  el.className = bad ? 'error' : 'muted';
}

function userLink(u: User, open: (name: string) => void): HTMLElement {
  return h('button', { type: 'button', class: 'link', onclick: () => open(u.screen_name) }, `@${u.screen_name}`);
}

async function usersSection(open: (name: string) => void): Promise<{ el: HTMLElement; load(): Promise<void> }> {
  const q = h('input', { type: 'search', 'aria-label': 'Search users', placeholder: 'search screen names and names' });
  const list = h('div', {});
  const note = h('p', { class: 'muted', 'aria-live': 'polite' });
  const load = async () => {
    const { users } = await api.get<{ users: User[] }>(`users${q.value ? `?q=${encodeURIComponent(q.value)}` : ''}`);
    refill(list, table(['user', 'name', 'followers', 'following', 'state'], users.map((u) => [userLink(u, open), u.name, u.followers_count, u.friends_count,
      `${u.state}${u.protected ? ', protected' : ''}${u.locked ? ', locked' : ''}`]), 'users'));
  };
  q.addEventListener('input', () => void load());
  const sn = h('input', { name: 'screen_name', required: true, pattern: '[A-Za-z0-9_]{1,15}' });
  const nm = h('input', { name: 'name' });
  const prot = h('input', { type: 'checkbox', name: 'protected' });
  const create = h('form', { class: 'inline' }, field('Screen name', sn), field('Name', nm), field('Protected', prot), h('button', { type: 'submit' }, 'Create user'));
  create.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api.post('users', { screen_name: sn.value, name: nm.value || undefined, protected: prot.checked });
      status(note, `Created @${sn.value}`);
      sn.value = '';
      await load();
    } catch (err) {
      status(note, messageOf(err), true);
    }
  });
  await load();
  return { el: section('Users', q, list, create, note), load };
}

async function listView(name: string, list: string, open: (n: string) => void): Promise<{ el: HTMLElement; reload(): Promise<void> }> {
  const box = h('div', { class: 'listview' });
  const cursors: string[] = ['-1'];
  const load = async (cursor: string) => {
    const page = await api.get<{ users: User[]; next_cursor_str: string; previous_cursor_str: string }>(`users/${name}/lists/${list}?count=10&cursor=${cursor}`);
    const nav = h('div', { class: 'toolbar' });
    if (cursors.length > 1) nav.append(h('button', { type: 'button', class: 'small', onclick: () => { cursors.pop(); void load(cursors[cursors.length - 1]!); } }, 'Newer'));
    if (page.next_cursor_str !== '0') nav.append(h('button', { type: 'button', class: 'small', onclick: () => { cursors.push(page.next_cursor_str); void load(page.next_cursor_str); } }, 'Older'));
    refill(box, page.users.length ? h('ul', {}, ...page.users.map((u) => h('li', {}, userLink(u, open), ` ${u.name}`))) : h('p', { class: 'muted' }, 'none'), nav);
  };
  await load('-1');
  // A live update reloads the page of the list being read, not the first.
  return { el: h('div', { class: 'card inner' }, h('h3', {}, list.replace('_', ' ')), box), reload: () => load(cursors[cursors.length - 1]!) };
}

async function userPage(root: HTMLElement, name: string, open: (n: string) => void): Promise<void> {
  clear(root);
  const note = h('p', { class: 'muted', 'aria-live': 'polite' });
  const about = h('p', {});
  const counts = h('p', { class: 'counts' });
  const tools = h('div', { class: 'toolbar' });
  const hoodBox = h('div', {});
  const act = (action: string, label: string) => h('button', { type: 'button', 'data-key': action.replace(/^un/, ''), onclick: async () => {
    try {
      await api.post(`users/${name}/${action}`);
      await refresh();
    } catch (err) {
      status(note, messageOf(err), true);
    }
  } }, label);
  const fields = { name: h('input', {}), description: h('input', {}), location: h('input', {}), url: h('input', {}) };
  /** What each field was last set to from the server: one the user has changed since is theirs. */
  const shown: Record<string, string> = {};
  const edit = h('form', { class: 'inline' }, ...Object.entries(fields).map(([k, i]) => field(k, i)), h('button', { type: 'submit' }, 'Save profile'));
  edit.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api.post(`users/${name}`, Object.fromEntries(Object.entries(fields).map(([k, i]) => [k, i.value])));
      for (const [k, i] of Object.entries(fields)) shown[k] = i.value;
      status(note, 'Saved');
    } catch (err) {
      status(note, messageOf(err), true);
    }
  });
  const refresh = async (): Promise<User> => {
    const { user: u } = await api.get<{ user: User }>(`users/${name}`);
    const hood = await api.get<{ nodes: { screen_name: string; hop: number; followers_count: number }[]; edges: { from: string; to: string }[] }>(`users/${name}/neighbourhood`);
    about.replaceChildren(h('strong', {}, u.name), ` · id ${u.id_str} · ${u.state}${u.protected ? ' · protected' : ''}${u.locked ? ' · locked' : ''}`);
    counts.replaceChildren(h('span', { 'data-testid': 'followers-count' }, `${u.followers_count} followers`), ' · ', h('span', { 'data-testid': 'friends-count' }, `${u.friends_count} following`));
    refill(tools, u.state === 'suspended' ? act('unsuspend', 'Unsuspend') : act('suspend', 'Suspend'),
      u.protected ? act('unprotect', 'Unprotect') : act('protect', 'Protect'),
      h('button', { type: 'button', onclick: () => open('') }, 'Back to users'));
    for (const [k, input] of Object.entries(fields)) {
      const v = String(u[k as keyof typeof fields] ?? '');
      if (document.activeElement !== input && (shown[k] === undefined || input.value === shown[k])) input.value = shown[k] = v;
    }
    refill(hoodBox, graphView(hood.nodes, hood.edges, open));
    return u;
  };
  const u = await refresh();
  const lists = await Promise.all(LISTS.map((l) => listView(name, l, open)));
  const reloadAll = () => Promise.all([refresh(), ...lists.map((l) => l.reload())]);
  watchChanges({ graph: reloadAll, state: reloadAll });
  root.append(section(`@${u.screen_name}`, about, counts, tools, edit, note, hoodBox, h('div', { class: 'grid' }, ...lists.map((l) => l.el))));
}

async function credentialsSection(): Promise<{ el: HTMLElement; load(): Promise<void> }> {
  const box = h('div', {});
  let secrets = false;
  const load = async () => {
    const r = await api.get<{ apps: Record<string, string | null>[]; tokens: Record<string, string | null>[] }>(`apps${secrets ? '?secrets=1' : ''}`);
    const cell = (v: string | null | undefined) => (v ? h('span', { class: 'secret' }, h('code', {}, v), v === '••••' ? null : copyButton(() => v)) : '—');
    refill(box,
      table(['app', 'consumer key', 'consumer secret', 'bearer token'], r.apps.map((a) => [a.name ?? '', cell(a.consumer_key), cell(a.consumer_secret), cell(a.bearer_token)]), 'apps'),
      table(['token', 'user', 'app', 'access', 'oauth_token', 'oauth_token_secret'], r.tokens.map((t) => [t.name ?? '', `@${t.screen_name}`, t.app ?? '', t.access ?? '', cell(t.oauth_token), cell(t.oauth_token_secret)]), 'tokens'),
      h('button', { type: 'button', 'data-key': 'secrets', onclick: () => { secrets = !secrets; void load(); } }, secrets ? 'Hide secrets' : 'Show secrets'));
  };
  await load();
  return { el: section('Apps and tokens', box), load };
}

function stateSection(refresh: () => void, note: HTMLElement): HTMLElement {
  const doing = (label: string, run: () => Promise<string>, after = true) => h('button', { type: 'button', onclick: async () => {
    try {
      status(note, await run());
      if (after) refresh();
    } catch (err) {
      status(note, messageOf(err), true);
    }
  } }, label);
  const file = h('input', { type: 'file', accept: '.yaml,.yml,.json', 'aria-label': 'Fixture file to import' });
  const text = h('textarea', { rows: 4, 'aria-label': 'Fixture text to import', placeholder: 'paste a fixture (YAML or JSON), or choose a file' });
  file.addEventListener('change', async () => { text.value = (await file.files?.[0]?.text()) ?? ''; });
  const download = h('a', { download: 'roost-state.yaml', hidden: true }, 'Download roost-state.yaml');
  const snapName = h('input', { 'aria-label': 'Snapshot name', placeholder: 'snapshot name', pattern: '[A-Za-z0-9_\\-]{1,64}' });
  const snaps = h('div', {});
  const loadSnaps = async () => {
    try {
      const { snapshots } = await api.get<{ snapshots: { name: string; at: string; clock: string; bytes: number }[] }>('snapshots');
      clear(snaps);
      const path = (sn: string) => `snapshots/${encodeURIComponent(sn)}`;
      snaps.append(table(['snapshot', 'saved', 'emulator clock', 'size', ''], snapshots.map((sn) => [sn.name, sn.at, sn.clock, `${Math.ceil(sn.bytes / 1024)} KB`,
        h('span', { class: 'toolbar' },
          doing(`Restore ${sn.name}`, async () => {
            await api.post(`${path(sn.name)}/restore`);
            return `Restored ${sn.name}`;
          }),
          doing(`Delete ${sn.name}`, async () => {
            if (!confirm(`Delete the snapshot ${sn.name}?`)) return 'Not deleted';
            await api.del(path(sn.name));
            await loadSnaps();
            return `Deleted ${sn.name}`;
          }, false))]), 'snapshots'));
    } catch (err) {
      status(note, messageOf(err), true);
    }
  };
  void loadSnaps();
  return section('State',
    h('div', { class: 'toolbar' },
      doing('Export', async () => {
        const yaml = await api.text('export');
        text.value = yaml;
        download.href = URL.createObjectURL(new Blob([yaml], { type: 'application/yaml' }));
        download.hidden = false;
        return 'Exported: the fixture is in the box below';
      }, false),
      doing('Import', async () => {
        await api.post('fixture', text.value);
        return 'Imported';
      }),
      doing('Reset', async () => {
        if (!confirm('Reset to the fixture? The current state is dropped.')) return 'Not reset';
        await api.post('reset');
        return 'Reset';
      })),
    download, file, text,
    h('div', { class: 'toolbar' }, snapName, doing('Save snapshot', async () => {
      await api.post('snapshots', { name: snapName.value });
      await loadSnaps();
      return `Saved ${snapName.value}`;
    })),
    snaps, note);
}

export async function dataPage(root: HTMLElement, userName: string | null): Promise<void> {
  const open = (name: string) => { location.hash = name ? `#data/${name}` : '#data'; };
  if (userName) return userPage(root, userName, open);
  const body = h('div', {});
  // Outside what a redraw replaces, so "Reset" or "Imported" stays to be read.
  const note = h('p', { class: 'muted', 'aria-live': 'polite' });
  const draw = async () => {
    clear(body);
    try {
      const users = await usersSection(open);
      const credentials = await credentialsSection();
      body.append(users.el, credentials.el, stateSection(() => void draw(), note), note);
      // The state section's fields (a fixture being pasted, a snapshot's name) are not redrawn.
      watchChanges({ graph: users.load, state: () => Promise.all([users.load(), credentials.load()]) });
    } catch (err) {
      body.append(h('p', { class: 'error', role: 'alert' }, messageOf(err)));
    }
  };
  root.append(body);
  await draw();
}
