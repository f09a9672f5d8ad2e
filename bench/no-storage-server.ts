// The gate roost is measured against: a bare Fastify route per endpoint that builds a page of the
// same shape in memory on every request (the same number of 64-bit ids, or v1.1/v2 user objects
// with the same fields) and answers JSON.stringify of it. No storage, no authentication: what
// HTTP plus encoding cost on this machine. Mode `bytes` encodes each URL's answer once and serves
// the bytes: the ceiling of the HTTP layer itself.
// Usage: node --import tsx bench/no-storage-server.ts <stringify|bytes>
import Fastify from 'fastify';
import { NO_RELATION, type UserRow } from '../src/store/types.js';
import { renderRelationship } from '../src/wire/v1/relationship.js';
import { renderUserV1 } from '../src/wire/v1/user.js';

const mode = process.argv[2] ?? 'stringify';
if (mode !== 'stringify' && mode !== 'bytes') throw new Error('usage: no-storage-server.ts <stringify|bytes>');
const ASSETS = { http: 'http://127.0.0.1', https: 'https://127.0.0.1' };
const BASE_ID = 1_500_000_000_000_000_000; // 19 digits, as snowflakes have; past 2^53 but a double prints the same length

// One user as roost renders it in a list (profile of typical length, a relation), with bigints
// turned into numbers, since JSON.stringify cannot write a bigint.
const sample: UserRow = {
  id: 1_500_000_000_000_000_000n, screenName: 'sample_user', name: 'Sample User',
  description: 'Writes about graphs, databases and the web. Opinions are my own. https://example.com/about',
  location: 'Lisbon, Portugal', url: 'https://example.com', email: null, protected: false, verified: false,
  state: 'active', locked: false, theme: 'plain', followersCount: 1234, friendsCount: 321, createdAt: Date.UTC(2015, 4, 6, 7, 8, 9),
};
const plain = (o: unknown): Record<string, unknown> =>
  JSON.parse(JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))) as Record<string, unknown>;
const relation = NO_RELATION;
const v1Template = plain(renderUserV1(sample, { variant: 'list', includeEntities: true, relation, isViewer: false, assets: ASSETS }));
const lookupTemplate = plain(renderUserV1(sample, { variant: 'lookup', includeEntities: true, relation, isViewer: false, assets: ASSETS }));

const relationship = plain(renderRelationship(sample, { ...sample, id: sample.id + 1n, screenName: 'target' }, NO_RELATION, true)).relationship as Record<string, object>;

const ids = (n: number) => Array.from({ length: n }, (_, i) => BASE_ID + i * 4096);
const v1Users = (n: number, template: Record<string, unknown>) => ids(n).map((id, i) => ({ ...template, id, id_str: String(id), screen_name: `user${i}` }));
const cursors = (more: boolean) => {
  const next = more ? BASE_ID : 0;
  return { next_cursor: next, next_cursor_str: String(next), previous_cursor: 0, previous_cursor_str: '0', total_count: null };
};
const countOf = (q: Q, name: string, dflt: number) => Number(q[name] ?? dflt);
const listCount = (q: Q) => (typeof q.user_id === 'string' ? q.user_id.split(',').length : 1);

type Q = Record<string, string | undefined>;
const ROUTES: Record<string, (q: Q) => unknown> = {
  '/1.1/followers/ids.json': (q) => ({ ids: ids(countOf(q, 'count', 5000)), ...cursors(true) }),
  '/1.1/followers/list.json': (q) => ({ users: v1Users(countOf(q, 'count', 20), v1Template), ...cursors(true) }),
  '/1.1/users/lookup.json': (q) => v1Users(listCount(q), lookupTemplate),
  '/1.1/users/show.json': () => v1Users(1, lookupTemplate)[0],
  '/1.1/friendships/lookup.json': (q) => ids(listCount(q)).map((id, i) => ({ name: `User ${i}`, screen_name: `user${i}`, id, id_str: String(id), connections: ['none'] })),
  '/1.1/friendships/show.json': () => ({ relationship: { source: { ...relationship.source }, target: { ...relationship.target } } }),
};

const app = Fastify({ logger: false });
const encoded = new Map<string, Buffer>();
const answer = (key: string, build: () => unknown): string | Buffer => {
  if (mode !== 'bytes') return JSON.stringify(build());
  let b = encoded.get(key);
  if (!b) encoded.set(key, (b = Buffer.from(JSON.stringify(build()))));
  return b;
};
for (const [path, build] of Object.entries(ROUTES)) {
  app.get(path, async (req, reply) => {
    reply.header('content-type', 'application/json;charset=utf-8');
    return answer(req.url, () => build(req.query as Q));
  });
}
app.get('/2/users/:id/followers', async (req, reply) => {
  reply.header('content-type', 'application/json; charset=utf-8');
  return answer(req.url, () => {
    const data = ids(countOf(req.query as Q, 'max_results', 100)).map((id, i) => ({ id: String(id), name: `User ${i}`, username: `user${i}` }));
    return { data, meta: { result_count: data.length, next_token: 'bx3q5kr9z7qm' } };
  });
});

const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`baseline serving ${url}\n`);
process.once('SIGTERM', () => { void app.close().then(() => process.exit(0)); });
