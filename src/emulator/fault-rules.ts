// Scripted faults: which requests (method, path, caller) get which failure, how often. Rules come
// from fixtures and the admin routes; the Fastify hook that applies them is faults.ts.
import { V1_ENDPOINTS, v1Path } from '../http/v1/endpoints.js';
import { V2_ENDPOINTS } from '../http/v2/endpoints.js';
import { WINDOW_MS } from '../limits/rate-limiter.js';
import type { SeededRandom } from './seeded-random.js';
import { Signal } from '../signal.js';

export type FaultAction =
  /** limit null: the endpoint's own limit for the caller (the endpoint tables) */
  | { kind: 'rate-limit'; limit: number | null; resetSeconds: number }
  | { kind: 'over-capacity' }
  | { kind: 'internal-error' }
  | { kind: 'delay'; ms: number }
  | { kind: 'drop' }
  /** not an answer: the matching endpoints' rate-limit window (and limit) for the caller */
  | { kind: 'window'; windowMs: number; limit: number | null };

export interface FaultSpec {
  method: string | null;
  /** a glob over the path: `*` one segment (or a `:param`), `**` any run of segments */
  path: string;
  /** a screen name, a fixture token name, or an app's name (for app-only callers) */
  caller: string | null;
  action: FaultAction;
  /** how many more times it fires; null: every time */
  times: number | null;
  /** the chance it fires for a matching request, drawn from the seeded generator; null: always */
  probability: number | null;
}

export interface FaultRule extends FaultSpec {
  id: number;
  fired: number;
}

export class FaultSpecError extends Error {
  constructor(readonly key: string | null, message: string) {
    super(message);
  }
}

const KEYS = ['method', 'path', 'caller', 'action', 'times', 'probability', 'delay_ms', 'window_seconds', 'limit', 'reset_seconds'];

function wholeNumber(o: Record<string, unknown>, key: string, min: number): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new FaultSpecError(key, `${key} must be a whole number >= ${min}`);
  return v;
}

function text(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '') throw new FaultSpecError(key, `${key} must be a non-empty string`);
  return v;
}

function action(o: Record<string, unknown>): FaultAction {
  const raw = o.action;
  switch (typeof raw === 'number' ? String(raw) : raw) {
    case '429': return { kind: 'rate-limit', limit: wholeNumber(o, 'limit', 1) ?? null, resetSeconds: wholeNumber(o, 'reset_seconds', 0) ?? WINDOW_MS / 1000 };
    case '503': return { kind: 'over-capacity' };
    case '500': return { kind: 'internal-error' };
    case 'drop': return { kind: 'drop' };
    case 'delay': {
      const ms = wholeNumber(o, 'delay_ms', 0);
      if (ms === undefined) throw new FaultSpecError('delay_ms', 'delay_ms is required with action delay');
      return { kind: 'delay', ms };
    }
    case 'window': {
      const seconds = wholeNumber(o, 'window_seconds', 1);
      if (seconds === undefined) throw new FaultSpecError('window_seconds', 'window_seconds is required with action window');
      return { kind: 'window', windowMs: seconds * 1000, limit: wholeNumber(o, 'limit', 1) ?? null };
    }
    default:
      throw new FaultSpecError('action', 'action must be one of 429, 503, 500, delay, drop, window');
  }
}

/** A rule from its JSON (or YAML) form; errors name the key at fault. */
export function parseFaultSpec(raw: unknown): FaultSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FaultSpecError(null, 'a fault rule must be a mapping');
  const o = raw as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !KEYS.includes(k));
  if (unknown) throw new FaultSpecError(unknown, `unknown key "${unknown}" (known: ${KEYS.join(', ')})`);
  const method = text(o, 'method')?.toUpperCase() ?? null;
  const path = text(o, 'path') ?? '/**';
  if (!path.startsWith('/')) throw new FaultSpecError('path', 'path must start with /');
  const probability = o.probability ?? null;
  if (probability !== null && (typeof probability !== 'number' || !(probability >= 0 && probability <= 1))) {
    throw new FaultSpecError('probability', 'probability must be a number from 0 to 1');
  }
  return { method, path, caller: text(o, 'caller') ?? null, action: action(o), times: wholeNumber(o, 'times', 1) ?? null, probability };
}

/** The rule's JSON form, as parseFaultSpec reads it. */
export function faultJson(r: FaultRule): Record<string, string | number | null> {
  const a = r.action;
  const out: Record<string, string | number | null> = { id: r.id, method: r.method, path: r.path, caller: r.caller };
  switch (a.kind) {
    case 'rate-limit': Object.assign(out, { action: 429, limit: a.limit, reset_seconds: a.resetSeconds }); break;
    case 'over-capacity': out.action = 503; break;
    case 'internal-error': out.action = 500; break;
    case 'delay': Object.assign(out, { action: 'delay', delay_ms: a.ms }); break;
    case 'drop': out.action = 'drop'; break;
    case 'window': Object.assign(out, { action: 'window', window_seconds: a.windowMs / 1000, limit: a.limit }); break;
  }
  return { ...out, times: r.times, probability: r.probability, fired: r.fired };
}

/** A rule as parseFaultSpec reads it back (a fixture's faults, a snapshot's): no id, no count of hits. */
export function faultSpecJson(r: FaultRule): Record<string, string | number> {
  const { id: _id, fired: _fired, ...spec } = faultJson(r);
  return Object.fromEntries(Object.entries(spec).filter((e): e is [string, string | number] => e[1] !== null));
}

export function globRegExp(glob: string): RegExp {
  const body = glob.split(/(\*\*|\*|:[A-Za-z_]+)/).map((part) => {
    if (part === '**') return '.*';
    if (part === '*' || /^:[A-Za-z_]+$/.test(part)) return '[^/]*';
    return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }).join('');
  return new RegExp(`^${body}$`);
}

/** Every rate-limit key with the method and route template of the endpoints counted under it. */
const RATE_KEYS: ReadonlyMap<string, readonly { method: string; path: string }[]> = (() => {
  const m = new Map<string, { method: string; path: string }[]>();
  const add = (key: string, method: string, path: string) => m.set(key, [...(m.get(key) ?? []), { method, path }]);
  for (const e of V1_ENDPOINTS) if (e.rateKey) for (const method of e.methods) add(e.rateKey, method, v1Path(e));
  for (const e of V2_ENDPOINTS) add(e.rateKey, e.method, e.path);
  return m;
})();

/** Who a request (or a rate-limit bucket) is: every name a rule's `caller` may use for it. */
export type CallerNames = readonly string[];

export class FaultBook {
  private rules: FaultRule[] = [];
  private nextId = 1;

  /** `changed`: emitted after a rule is added, removed or fires (a book replaced on reset hands it on) */
  constructor(private readonly random: SeededRandom, readonly changed = new Signal()) {}

  add(spec: FaultSpec): FaultRule {
    const rule: FaultRule = { ...spec, id: this.nextId++, fired: 0 };
    this.rules.push(rule);
    this.changed.emit();
    return rule;
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    this.changed.emit();
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
    this.nextId = 1;
    this.changed.emit();
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  /**
   * The first answering rule that matches and fires, counted; window rules are not answers.
   * A rule that matches but loses its coin flip lets the next one try.
   */
  fire(method: string, path: string, caller: CallerNames): FaultRule | null {
    for (const r of this.rules) {
      if (r.action.kind === 'window' || r.times === 0) continue;
      if (!this.matches(r, method, path, caller)) continue;
      if (r.probability !== null && this.random.float() >= r.probability) continue;
      r.fired += 1;
      if (r.times !== null) r.times -= 1;
      this.changed.emit();
      return r;
    }
    return null;
  }

  /** The window rule for an endpoint's rate-limit key, given who the caller is. */
  windowFor(rateKey: string, caller: CallerNames): { windowMs: number; limit?: number } | undefined {
    const routes = RATE_KEYS.get(rateKey) ?? [];
    for (const r of this.rules) {
      if (r.action.kind !== 'window') continue;
      if (!routes.some((route) => this.matches(r, route.method, route.path, caller))) continue;
      return { windowMs: r.action.windowMs, ...(r.action.limit !== null ? { limit: r.action.limit } : {}) };
    }
    return undefined;
  }

  private matches(r: FaultRule, method: string, path: string, caller: CallerNames): boolean {
    if (r.method !== null && r.method !== method) return false;
    if (r.caller !== null && !caller.some((n) => n.toLowerCase() === r.caller!.toLowerCase())) return false;
    return globRegExp(r.path).test(path);
  }
}
