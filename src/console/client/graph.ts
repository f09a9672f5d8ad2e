// A two-hop follow neighbourhood as SVG: the user in the centre, one hop on an inner ring, two
// hops on an outer one; arrows point from follower to followed.
import { h, s } from './dom.js';

interface Node { screen_name: string; hop: number; followers_count: number }
interface Edge { from: string; to: string }

export function graphView(nodes: Node[], edges: Edge[], onPick: (name: string) => void): HTMLElement {
  const W = 640;
  const H = 480;
  const pos = new Map<string, { x: number; y: number }>();
  for (const hop of [0, 1, 2]) {
    const ring = nodes.filter((n) => n.hop === hop);
    ring.forEach((n, i) => {
      const r = hop * 150;
      const a = (2 * Math.PI * i) / Math.max(1, ring.length) - Math.PI / 2 + hop * 0.3;
      pos.set(n.screen_name, { x: W / 2 + r * Math.cos(a) * 1.3, y: H / 2 + r * Math.sin(a) * 0.95 });
    });
  }
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `follow graph of ${nodes[0]?.screen_name ?? ''}`, class: 'graph' },
    s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 18, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' },
      s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }))));
  for (const e of edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (a && b) svg.appendChild(s('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: 'edge', 'marker-end': 'url(#arrow)' }));
  }
  for (const n of nodes) {
    const p = pos.get(n.screen_name)!;
    const g = s('g', { class: `node hop${n.hop}`, tabindex: 0, role: 'button', 'data-key': n.screen_name, 'aria-label': `@${n.screen_name}, ${n.followers_count} followers` },
      s('circle', { cx: p.x, cy: p.y, r: n.hop === 0 ? 14 : 10 }),
      s('text', { x: p.x, y: p.y + 26, 'text-anchor': 'middle' }, `@${n.screen_name}`));
    g.addEventListener('click', () => onPick(n.screen_name));
    g.addEventListener('keydown', (ev) => {
      if ((ev as KeyboardEvent).key === 'Enter' || (ev as KeyboardEvent).key === ' ') onPick(n.screen_name);
    });
    svg.appendChild(g);
  }
  return h('figure', { class: 'graphbox' }, svg, h('figcaption', { class: 'muted' }, `${nodes.length} accounts within two hops, ${edges.length} follows (at most 12 per list)`));
}
