// Shape the run: fault rules (add, hits, remove), the clock (freeze, advance) and the rate-limit
// windows per caller and endpoint with their reset times. Live: hits, the clock and the windows
// follow the server's changes; the fields being typed in are never redrawn.
import { api, messageOf } from './api.js';
import { watchChanges } from './changes.js';
import { field, h, refill, section, table } from './dom.js';

interface Fault { id: number; method: string | null; path: string; caller: string | null; action: string | number; times: number | null; fired: number; probability: number | null }

export async function runPage(root: HTMLElement): Promise<void> {
  const note = h('p', { class: 'muted', 'aria-live': 'polite' });
  const fail = (err: unknown) => { note.textContent = messageOf(err); note.className = 'error'; };
  const faults = h('div', {});
  const limits = h('div', {});

  const loadFaults = async () => {
    const r = await api.get<{ faults: Fault[] }>('faults');
    refill(faults, r.faults.length === 0 ? h('p', { class: 'muted' }, 'No fault rules.') : table(['id', 'method', 'path', 'caller', 'action', 'times left', 'hits', ''], r.faults.map((f) => [
      String(f.id), f.method ?? 'any', h('code', {}, f.path), f.caller ?? 'any', String(f.action), f.times === null ? '∞' : String(f.times),
      h('span', { 'data-testid': `fault-hits-${f.id}` }, String(f.fired)),
      h('button', { type: 'button', class: 'small', onclick: async () => { await api.del(`faults/${f.id}`).catch(fail); await loadFaults(); } }, `Remove rule ${f.id}`)]), 'fault rules'));
  };
  const method = h('select', { }, ...['', 'GET', 'POST', 'DELETE'].map((m) => h('option', { value: m }, m || 'any')));
  const path = h('input', { value: '/1.1/followers/ids.json'});
  const caller = h('input', { placeholder: 'any'});
  const action = h('select', { }, ...['429', '503', '500', 'delay', 'drop'].map((a) => h('option', { value: a }, a)));
  const times = h('input', { type: 'number', min: '1', placeholder: 'every time'});
  const add = h('form', { class: 'inline' }, field('Method', method), field('Path', path), field('Caller', caller), field('Action', action), field('Times', times), h('button', { type: 'submit' }, 'Add fault'));
  add.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api.post('faults', {
        ...(method.value ? { method: method.value } : {}), path: path.value, ...(caller.value ? { caller: caller.value } : {}),
        action: /^\d+$/.test(action.value) ? Number(action.value) : action.value, ...(action.value === 'delay' ? { delay_ms: 1000 } : {}),
        ...(times.value ? { times: Number(times.value) } : {}),
      });
      note.textContent = 'Fault added';
      note.className = 'muted';
      await loadFaults();
    } catch (err) {
      fail(err);
    }
  });

  // Built once: a live update sets the time and the mode button's label, never the two fields.
  let mode = 'real';
  const now = h('strong', { 'data-testid': 'clock-now' });
  const modeText = h('span', {});
  const secs = h('input', { type: 'number', min: '0', value: '900', 'aria-label': 'Seconds to advance' });
  const at = h('input', { type: 'datetime-local', 'aria-label': 'Set the clock to' });
  const toggle = h('button', { type: 'button', onclick: async () => {
    await api.post('clock', { mode: mode === 'frozen' ? 'real' : 'frozen' }).catch(fail);
    await loadClock();
  } });
  const loadClock = async () => {
    const c = await api.get<{ mode: string; now: string }>('clock');
    mode = c.mode;
    modeText.textContent = `${c.mode} clock at `;
    now.textContent = c.now;
    toggle.textContent = c.mode === 'frozen' ? 'Let it run' : 'Freeze';
  };
  const clock = h('div', {}, h('p', {}, modeText, now),
    h('div', { class: 'toolbar' }, secs, h('button', { type: 'button', onclick: async () => {
      await api.post('clock', { advance_seconds: Number(secs.value) }).catch(fail);
      await Promise.all([loadClock(), loadLimits()]);
    } }, 'Advance'), at, h('button', { type: 'button', onclick: async () => {
      if (at.value) await api.post('clock', { now: new Date(`${at.value}Z`).toISOString() }).catch(fail);
      await Promise.all([loadClock(), loadLimits()]);
    } }, 'Set (UTC)'), toggle));

  const loadLimits = async () => {
    const r = await api.get<{ now: string; windows: { caller: string; endpoint: string; limit: number; remaining: number; reset: string }[] }>('rate-limits');
    refill(limits, r.windows.length === 0 ? h('p', { class: 'muted' }, 'No window is open: nobody has used a counted endpoint since the last reset.')
      : table(['caller', 'endpoint', 'limit', 'remaining', 'resets at'], r.windows.map((w) => [w.caller, h('code', {}, w.endpoint), String(w.limit), String(w.remaining), w.reset]), 'rate-limit windows'));
  };

  root.append(section('Fault rules', faults, add), section('Clock', clock), section('Rate limits', limits), note);
  const all = () => Promise.all([loadFaults(), loadClock(), loadLimits()]);
  const clockAndLimits = () => Promise.all([loadClock(), loadLimits()]);
  // Counted requests move the windows; a moved clock may close them.
  watchChanges({ faults: loadFaults, clock: clockAndLimits, usage: loadLimits, state: all });
  try {
    await all();
  } catch (err) {
    fail(err);
  }
}
