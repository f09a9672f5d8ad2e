// The console's shell: navigation by the address's hash (#requests, #builder, #data[/name],
// #events, #run, #usage), and the theme (the system's, or the one chosen with the toggle).
import { messageOf } from './api.js';
import { builderPage } from './builder.js';
import { stopChanges } from './changes.js';
import { dataPage } from './data.js';
import { h } from './dom.js';
import { disconnectEvents, eventsPage } from './events.js';
import { disconnectRequests, requestsPage } from './requests.js';
import { runPage } from './run.js';
import { usagePage } from './usage.js';

const PAGES: [string, string][] = [['requests', 'Requests'], ['builder', 'Request builder'], ['data', 'Data'], ['events', 'Events'], ['run', 'Shape the run'], ['usage', 'Usage']];

function theme(): HTMLButtonElement {
  const saved = localStorage.getItem('roost-theme');
  if (saved) document.documentElement.dataset.theme = saved;
  const b = h('button', { type: 'button', class: 'theme', 'aria-label': 'Switch between dark and light' }, 'Theme');
  b.addEventListener('click', () => {
    const dark = document.documentElement.dataset.theme ? document.documentElement.dataset.theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
    const next = dark ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    localStorage.setItem('roost-theme', next);
  });
  return b;
}

const nav = h('nav', { 'aria-label': 'Console pages' }, ...PAGES.map(([id, label]) => h('a', { href: `#${id}`, 'data-page': id }, label)));
const main = h('main', { id: 'main', tabindex: '-1' });
const logout = h('form', { method: 'post', action: '/_roost/console/logout' }, h('button', { type: 'submit', class: 'small' }, 'Sign out'));

async function route(): Promise<void> {
  const [page = 'requests', arg] = location.hash.replace(/^#/, '').split('/');
  for (const a of nav.querySelectorAll('a')) a.toggleAttribute('aria-current', a.dataset.page === page);
  if (page !== 'requests') disconnectRequests();
  if (page !== 'events') disconnectEvents();
  // A page that wants live changes asks again as it is drawn.
  stopChanges();
  main.replaceChildren();
  document.title = `${PAGES.find(([id]) => id === page)?.[1] ?? 'roost'} · roost console`;
  try {
    switch (page) {
      case 'builder': await builderPage(main); break;
      case 'data': await dataPage(main, arg ? decodeURIComponent(arg) : null); break;
      case 'events': await eventsPage(main); break;
      case 'run': await runPage(main); break;
      case 'usage': await usagePage(main); break;
      default: requestsPage(main);
    }
  } catch (err) {
    main.append(h('p', { class: 'error', role: 'alert' }, messageOf(err)));
  }
  main.dataset.ready = page;
}

document.getElementById('app')!.append(
  h('a', { href: '#main', class: 'skip' }, 'Skip to content'),
  h('header', {}, h('h1', {}, 'roost console'), nav, h('div', { class: 'tools' }, theme(), logout)),
  main);
addEventListener('hashchange', () => void route());
void route();
