// A small element builder: h('button', { onclick }, 'Save'). Text is always set as text, never as HTML.
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
}

const SVG = 'http://www.w3.org/2000/svg';
export function s(tag: string, attrs: Record<string, string | number> = {}, ...children: (Node | string)[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

export function clear(el: Element): void {
  el.replaceChildren();
}

/** A button that copies text, and says so. */
export function copyButton(text: () => string, label = 'Copy'): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'small' }, label);
  b.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text());
      b.textContent = 'Copied';
    } catch {
      b.textContent = 'Copy failed';
    }
    setTimeout(() => { b.textContent = label; }, 1200);
  });
  return b;
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

export function table(head: string[], rows: Child[][], label: string): HTMLTableElement {
  return h('table', { 'aria-label': label },
    h('thead', {}, h('tr', {}, ...head.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))));
}

export function field(label: string, input: HTMLElement): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', {}, label), input);
}

/** What names a control across a redraw: its data-key, else its label, else its text. */
const keyOf = (el: Element) => `${el.tagName}|${el.getAttribute('data-key') ?? el.getAttribute('aria-label') ?? el.textContent}`;
const FOCUSABLE = 'a, button, input, select, textarea, [tabindex]';

/**
 * Replaces `el`'s children, as a live update does: the control that had the keyboard focus
 * (known by keyOf) has it again, and scrolled regions keep their place.
 */
export function refill(el: Element, ...children: Child[]): void {
  const active = document.activeElement;
  const focused = active && active !== el && el.contains(active) ? keyOf(active) : null;
  const scrolls = [...el.querySelectorAll('.scroll')].map((s) => [s.scrollTop, s.scrollLeft] as const);
  el.replaceChildren();
  append(el, ...children);
  el.querySelectorAll('.scroll').forEach((s, i) => {
    const at = scrolls[i];
    if (at) [s.scrollTop, s.scrollLeft] = at;
  });
  if (focused) for (const c of el.querySelectorAll<HTMLElement | SVGElement>(FOCUSABLE)) if (keyOf(c) === focused) { c.focus({ preventScroll: true }); break; }
}
