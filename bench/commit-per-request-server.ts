// The write baseline: follow/unfollow on the same SQLite file, one transaction and one COMMIT per
// request, at the file's synchronous mode (the same edge and count statements as a follow, without
// authentication, graph rules or a rendered reply). Group commit is measured against it.
// Usage: node --import tsx bench/commit-per-request-server.ts <db> [NORMAL|FULL]
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const [dbPath, sync = 'NORMAL'] = process.argv.slice(2);
if (!dbPath) throw new Error('usage: commit-per-request-server.ts <db> [NORMAL|FULL]');
const db = new Database(dbPath);
db.defaultSafeIntegers(true);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${sync}`);
db.pragma('busy_timeout = 5000');
const big = (v: string | undefined) => BigInt(v ?? 0);
type Q = Record<string, string | undefined>;
const app = Fastify({ logger: false });
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
  done(null, Object.fromEntries(new URLSearchParams(body as string)));
});

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
