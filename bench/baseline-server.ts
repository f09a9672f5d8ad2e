// The baselines roost is measured against, on the same SQLite file and the same URLs:
//   stringify: a bare Fastify route per endpoint that reads the same rows (same keyset page,
//              same users) and answers JSON.stringify of the same shape; no auth, no relations.
//   bytes:     the same answers computed once per URL and then served as pre-encoded bytes (the
//              ceiling of the HTTP layer itself).
// Writes (follow/unfollow) commit one transaction per request, at the file's synchronous mode.
// Usage: node --import tsx bench/baseline-server.ts <db> <stringify|bytes> [NORMAL|FULL]
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { toUser, type Raw } from '../src/store/sqlite/rows.js';
import type { UserRow } from '../src/store/types.js';
import { renderUserV1 } from '../src/wire/v1/user.js';

const [dbPath, mode = 'stringify', sync = 'NORMAL'] = process.argv.slice(2);
if (!dbPath) throw new Error('usage: baseline-server.ts <db> <stringify|bytes> [NORMAL|FULL]');
const db = new Database(dbPath);
db.defaultSafeIntegers(true);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${sync}`);
db.pragma('busy_timeout = 5000');
const ASSETS = { http: 'http://127.0.0.1', https: 'https://127.0.0.1' };

const page = db.prepare(`SELECT seq, src AS id FROM edges_bwd
  WHERE kind = 0 AND dst = ? AND hidden = 0 AND seq < ? ORDER BY seq DESC LIMIT ?`);
const usersByIds = db.prepare('SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?))');
const userById = db.prepare('SELECT * FROM users WHERE id = ?');

type Q = Record<string, string | undefined>;
const num = (v: string | undefined) => Number(v ?? 0);
const big = (v: string | undefined) => BigInt(v ?? 0);

function pageOf(q: Q, limit: number) {
  const cursor = q.cursor && q.cursor !== '-1' ? num(q.cursor) : Number.MAX_SAFE_INTEGER;
  const rows = page.all(big(q.user_id ?? q.id), cursor, limit + 1) as { seq: bigint; id: bigint }[];
  const items = rows.slice(0, limit);
  return { ids: items.map((r) => r.id), next: rows.length > limit ? Number(items[items.length - 1]!.seq) : 0 };
}

function users(ids: readonly (bigint | string)[]): UserRow[] {
  const byId = new Map<string, UserRow>();
  for (const r of usersByIds.all(`[${ids.join(',')}]`)) {
    const u = toUser(r as Raw);
    byId.set(u.id.toString(), u);
  }
  return ids.map((id) => byId.get(id.toString())).filter((u): u is UserRow => u !== undefined);
}

// A bare route writes ids as doubles: JSON.stringify cannot write a bigint.
const n = (id: bigint) => Number(id);
const v1User = (u: UserRow) => ({ ...renderUserV1(u, { variant: 'list', includeEntities: false, relation: null, isViewer: false, assets: ASSETS }), id: n(u.id) });
const cursorFields = (next: number) => ({ next_cursor: next, next_cursor_str: String(next), previous_cursor: 0, previous_cursor_str: '0', total_count: null });

const ROUTES: Record<string, (q: Q) => unknown> = {
  '/1.1/followers/ids.json': (q) => { const p = pageOf(q, num(q.count) || 5000); return { ids: p.ids.map(n), ...cursorFields(p.next) }; },
  '/1.1/followers/list.json': (q) => { const p = pageOf(q, num(q.count) || 20); return { users: users(p.ids).map(v1User), ...cursorFields(p.next) }; },
  '/1.1/users/lookup.json': (q) => users((q.user_id ?? '').split(',')).map(v1User),
  '/1.1/friendships/lookup.json': (q) => users((q.user_id ?? '').split(',')).map((u) => ({ name: u.name, screen_name: u.screenName, id: n(u.id), id_str: String(u.id), connections: ['none'] })),
  '/1.1/friendships/show.json': (q) => {
    const [s, t] = [userById.get(big(q.source_id)), userById.get(big(q.target_id))].map((r) => toUser(r as Raw));
    const side = (u: UserRow) => ({ id: n(u.id), id_str: String(u.id), screen_name: u.screenName, following: false, followed_by: false });
    return { relationship: { source: side(s!), target: side(t!) } };
  },
};

const app = Fastify({ logger: false });
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
  done(null, Object.fromEntries(new URLSearchParams(body as string)));
});
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
    const q = req.query as Q;
    const p = pageOf({ user_id: (req.params as Q).id }, num(q.max_results) || 100);
    const data = users(p.ids).map((u) => ({ id: String(u.id), name: u.name, username: u.screenName }));
    return { data, meta: { result_count: data.length, next_token: String(p.next) } };
  });
});

// One commit per request: the rate group commit is measured against.
const hasEdge = db.prepare('SELECT seq FROM edges_fwd WHERE kind = 0 AND src = ? AND dst = ?');
const nextSeq = db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'edge_seq' RETURNING value");
const insFwd = db.prepare('INSERT INTO edges_fwd (kind, src, seq, dst, notify, retweets) VALUES (0, ?, ?, ?, 0, 1)');
const insBwd = db.prepare('INSERT INTO edges_bwd (kind, dst, seq, src) VALUES (0, ?, ?, ?)');
const delFwd = db.prepare('DELETE FROM edges_fwd WHERE kind = 0 AND src = ? AND dst = ?');
const delBwd = db.prepare('DELETE FROM edges_bwd WHERE kind = 0 AND dst = ? AND seq = ?');
const adjust = db.prepare('UPDATE users SET followers_count = followers_count + ?, friends_count = friends_count + ? WHERE id = ?');
const follow = db.transaction((src: bigint, dst: bigint, on: boolean) => {
  const edge = hasEdge.get(src, dst) as { seq: bigint } | undefined;
  if (on && !edge) {
    const seq = (nextSeq.get() as { value: bigint }).value;
    insFwd.run(src, seq, dst);
    insBwd.run(dst, seq, src);
  } else if (!on && edge) {
    delFwd.run(src, dst);
    delBwd.run(dst, edge.seq);
  } else return;
  adjust.run(0, on ? 1 : -1, src);
  adjust.run(on ? 1 : -1, 0, dst);
});
for (const [path, on] of [['/1.1/friendships/create.json', true], ['/1.1/friendships/destroy.json', false]] as const) {
  app.post(path, async (req, reply) => {
    const q = req.body as Q;
    follow.immediate(big(req.headers['x-actor'] as string), big(q.user_id), on);
    reply.header('content-type', 'application/json;charset=utf-8');
    return JSON.stringify({ ok: true });
  });
}

const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`baseline serving ${url}\n`);
process.once('SIGTERM', () => { void app.close().then(() => { db.close(); process.exit(0); }); });
