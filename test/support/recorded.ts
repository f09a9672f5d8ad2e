// Real Twitter responses (tweepy's cassettes) and the spec's own examples, and a shape
// comparison: key order and JSON types, never values. They are read from test/fixtures/, where
// scripts/gen-fixtures.ts keeps only their skeletons (key names, order and types): the recordings
// went through JSON.parse, so their big ids lost digits, and no value of theirs is trusted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/** A file of test/fixtures/, parsed. */
export const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));

export interface Interaction {
  method: string;
  /** the recorded path; query values are dropped (`?screen_name=`) */
  path: string;
  status: number;
  /** the body's skeleton: strings "", numbers 0 */
  body: unknown;
}

const RECORDED = fixture('recorded.json') as Record<string, Interaction[]>;

export function loadRecording(name: string): Interaction[] {
  const found = RECORDED[name];
  assert.ok(found, `no recording ${name} in test/fixtures/recorded.json`);
  return found;
}

/** Bodies of every interaction in `name` whose method and path (query names included) start as given. */
export function recordedBodies(name: string, method: string, pathPrefix: string): unknown[] {
  const found = loadRecording(name).filter((i) => i.method === method && i.path.startsWith(pathPrefix));
  assert.ok(found.length > 0, `recording ${name} has no ${method} ${pathPrefix}`);
  return found.map((i) => i.body);
}

/** The user objects of a recorded body: a bare user, an array of users, or a cursored `users` page. */
export function usersOf(body: unknown): Record<string, unknown>[] {
  if (Array.isArray(body)) return body as Record<string, unknown>[];
  const o = body as Record<string, unknown>;
  if (Array.isArray(o.users)) return o.users as Record<string, unknown>[];
  return [o];
}

/**
 * Every recorded v1.1 user object, from every endpoint that answers with users. Whether a
 * field may be null, and what `entities` holds, depends on the account rather than on the
 * endpoint, and no single endpoint's recording has every kind of account (users/show has no
 * user without a url), so type and nested-shape checks pool them (`pool` of assertShape).
 */
export function allRecordedUsers(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const [name, interactions] of Object.entries(RECORDED)) {
    if (name.startsWith('test_client')) continue;
    for (const i of interactions) {
      if (!i.path.startsWith('/1.1/') || i.path.startsWith('/1.1/statuses/')) continue;
      const b = i.body as Record<string, unknown> | unknown[];
      if (Array.isArray(b) || Array.isArray(b.users) || typeof b.screen_name === 'string') out.push(...usersOf(b));
    }
  }
  return out;
}

/** The skeleton of the first ```json block after a heading of the v1.1 contract (e.g. '### 12.2'). */
export function specExample(heading: string): unknown {
  const example = (fixture('spec.json') as { v1_examples: Record<string, unknown> }).v1_examples[heading];
  assert.ok(example !== undefined, `no example of ${heading} in test/fixtures/spec.json (see V1_EXAMPLES in scripts/fixtures/build.ts)`);
  return example;
}

export type JsonType = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean';

export function jsonType(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as JsonType;
}

/**
 * Keys roost never emits, by the spec: `status` (no tweets are stored, §11.6) and
 * `profile_banner_url` (no banner is ever set, §11.1). They are dropped from recorded objects,
 * wherever they occur, before comparing; roost emitting either of them fails the comparison.
 */
export const ROOST_OMITS: readonly string[] = ['status', 'profile_banner_url'];

interface Shape {
  /** path → JSON types seen there */
  types: Map<string, Set<JsonType>>;
  /** path of an object → the key orders seen there */
  keys: Map<string, Set<string>>;
}

function walk(v: unknown, path: string, omit: readonly string[], into: Shape): void {
  const t = jsonType(v);
  let types = into.types.get(path);
  if (!types) into.types.set(path, (types = new Set()));
  types.add(t);
  if (t === 'array') {
    for (const item of v as unknown[]) walk(item, `${path}[]`, omit, into);
  } else if (t === 'object') {
    const keys = Object.keys(v as object).filter((k) => !omit.includes(k));
    let orders = into.keys.get(path);
    if (!orders) into.keys.set(path, (orders = new Set()));
    orders.add(keys.join(','));
    for (const k of keys) walk((v as Record<string, unknown>)[k], `${path}.${k}`, omit, into);
  }
}

export function shapeOf(samples: readonly unknown[], omit: readonly string[] = ROOST_OMITS): Shape {
  const s: Shape = { types: new Map(), keys: new Map() };
  for (const v of samples) walk(v, '$', omit, s);
  return s;
}

export interface ShapeOptions {
  /** keys dropped from the recorded samples as well (beyond ROOST_OMITS) */
  omit?: readonly string[];
  /** more samples that widen the types and nested key orders, but not the top-level key order */
  pool?: readonly unknown[];
  label?: string;
}

/**
 * Asserts that `actual` has the recorded shape:
 * - at the top level, exactly the key set and order the samples share (they must agree);
 * - below it, at every object path, a key order that at least one sample had there
 *   (`entities` has `url` only when the user has one);
 * - at every path, a JSON type seen there in some sample (`url` is a string or null).
 * `pool` adds samples to the last two checks only.
 * Paths that no sample reaches (an empty recorded array) cannot be checked and are skipped.
 */
export function assertShape(actual: unknown, samples: readonly unknown[], o: ShapeOptions = {}): void {
  const omit = [...ROOST_OMITS, ...(o.omit ?? [])];
  const label = o.label ?? 'response';
  assert.ok(samples.length > 0, `${label}: no recorded samples`);
  const want = shapeOf([...samples, ...(o.pool ?? [])], omit);
  const have = shapeOf([actual], []);
  const topWant = [...(shapeOf(samples, omit).keys.get('$') ?? [])];
  if (jsonType(samples[0]) === 'object') {
    assert.equal(topWant.length, 1, `${label}: recorded samples disagree on top-level keys: ${topWant.join(' | ')}`);
    assert.deepEqual(Object.keys(actual as object), topWant[0]!.split(','), `${label}: top-level keys and order`);
  }
  for (const [path, orders] of have.keys) {
    const allowed = want.keys.get(path);
    if (!allowed) continue;
    const [order] = orders;
    assert.ok(allowed.has(order!), `${label}: keys at ${path} are ${order}; recorded: ${[...allowed].join(' | ')}`);
  }
  for (const [path, types] of have.types) {
    const allowed = want.types.get(path);
    if (!allowed) continue;
    for (const t of types) {
      assert.ok(allowed.has(t), `${label}: ${path} is ${t}; recorded: ${[...allowed].join('/')}`);
    }
  }
}

/** The key order of a recorded object with `key` inserted right after `after`. */
export function keysWith(keys: readonly string[], key: string, after: string): string[] {
  const i = keys.indexOf(after);
  assert.ok(i >= 0, `${after} not among ${keys.join(',')}`);
  return [...keys.slice(0, i + 1), key, ...keys.slice(i + 1)];
}
