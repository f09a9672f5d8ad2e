// Bulk loads into PostgreSQL: COPY in key order, inside one transaction that also holds the
// edge tables against other writers while it reserves a range of positions.
import pg from 'pg';
import type { NewUser, UserId, UserRow } from '../../types.js';
import { PostgresStore, parsePostgresUrl } from '../postgres-store.js';
import { INT8_AS_BIGINT, toUser, type Raw } from '../rows.js';
import type { BulkTarget, BulkWriter, CountDrift, EdgeRecord } from '../../bulk/bulk-target.js';
import { markIds, NO_RETWEETS, NOTIFY, orderBy, SKIP, type EdgeList } from '../../bulk/edge-list.js';
import { step, type Progress } from '../../bulk/progress.js';
import { CopyIn } from './copy.js';
import { DRIFT_SQL, RECOUNT_SQL, REPAIR_SQL } from './recount-sql.js';
import { USERS } from '../queries.js';

const CHUNK = 10_000;

class PostgresWriter implements BulkWriter {
  constructor(private readonly c: pg.Client) {}

  async insertUsers(users: Iterable<NewUser>, total: number, progress: Progress): Promise<number> {
    const copy = new CopyIn(this.c, 'COPY users (id, screen_name, screen_name_key, name, description, location, url, email, protected, verified, created_at) FROM STDIN');
    let n = 0;
    progress.start('users', total);
    for (const u of users) {
      await copy.row([u.id, u.screenName, u.screenName.toLowerCase(), u.name, u.description ?? '', u.location ?? '', u.url ?? null,
        u.email ?? null, u.protected ?? false, u.verified ?? false, u.createdAt]);
      n++;
      progress.tick(1);
    }
    await copy.end();
    // Their names into the lookup that keeps names unique (migration 7): a name taken twice fails on its key.
    await this.c.query(`INSERT INTO screen_names (key, user_id) SELECT u.screen_name_key, u.id FROM users u
      WHERE NOT EXISTS (SELECT 1 FROM screen_names s WHERE s.key = u.screen_name_key AND s.user_id = u.id)`);
    progress.stop();
    return n;
  }

  async insertFollows(edges: EdgeList, progress: Progress): Promise<{ added: number; existing: number }> {
    const existing = await this.markStored(edges);
    const base = BigInt((await this.c.query("SELECT nextval('edge_seq') AS v")).rows[0].v) - 1n;
    if (edges.count > 0) await this.c.query("SELECT setval('edge_seq', $1)", [(base + BigInt(edges.count)).toString()]);
    const { ids, src, dst, flags } = edges;
    // Rows naming a suspended or deactivated user go to that list's hidden range, as Tx.addEdge puts them.
    const stored = await this.c.query('SELECT id FROM users WHERE state <> 0');
    const hidden = markIds(ids, (stored.rows as Raw[]).map((r) => r.id as bigint));
    const fwd = new CopyIn(this.c, 'COPY edges_fwd (kind, src, hidden, seq, dst, notify, retweets) FROM STDIN');
    let added = 0;
    progress.start('edge rows', edges.count * 2);
    for (const i of orderBy(edges, 'src')) {
      const f = flags[i]!;
      if (f & SKIP) continue;
      await fwd.row([0, ids[src[i]!], hidden[dst[i]!] === 1, base + BigInt(i + 1), ids[dst[i]!], (f & NOTIFY) !== 0, (f & NO_RETWEETS) === 0]);
      added++;
      progress.tick(1);
    }
    await fwd.end();
    const bwd = new CopyIn(this.c, 'COPY edges_bwd (kind, dst, hidden, seq, src) FROM STDIN');
    for (const i of orderBy(edges, 'dst')) {
      if (flags[i]! & SKIP) continue;
      await bwd.row([0, ids[dst[i]!], hidden[src[i]!] === 1, base + BigInt(i + 1), ids[src[i]!]]);
      progress.tick(1);
    }
    await bwd.end();
    progress.stop();
    return { added, existing };
  }

  /** Marks edges already stored, found by one join against a temporary copy of the pairs. */
  private async markStored(edges: EdgeList): Promise<number> {
    if ((await this.c.query('SELECT 1 FROM edges_fwd WHERE kind = 0 LIMIT 1')).rowCount === 0) return 0;
    await this.c.query('CREATE TEMP TABLE bulk_pairs (i int NOT NULL, src bigint NOT NULL, dst bigint NOT NULL) ON COMMIT DROP');
    const copy = new CopyIn(this.c, 'COPY bulk_pairs (i, src, dst) FROM STDIN');
    for (let i = 0; i < edges.count; i++) if (!(edges.flags[i]! & SKIP)) await copy.row([i, edges.ids[edges.src[i]!], edges.ids[edges.dst[i]!]]);
    await copy.end();
    const found = await this.c.query('SELECT b.i FROM bulk_pairs b JOIN edges_fwd e ON e.kind = 0 AND e.src = b.src AND e.dst = b.dst');
    for (const r of found.rows as { i: number }[]) edges.flags[r.i]! |= SKIP;
    return found.rowCount ?? 0;
  }

  async existingIds(ids: BigInt64Array): Promise<Set<bigint>> {
    const found = new Set<bigint>();
    for (let at = 0; at < ids.length; at += CHUNK) {
      const part = Array.from(ids.subarray(at, at + CHUNK), (id) => id.toString());
      const r = await this.c.query('SELECT id FROM users WHERE id = ANY($1::bigint[])', [part]);
      for (const row of r.rows as Raw[]) found.add(row.id as bigint);
    }
    return found;
  }

  async usersByScreenNames(keys: readonly string[]): Promise<Map<string, UserId>> {
    const out = new Map<string, UserId>();
    for (let at = 0; at < keys.length; at += CHUNK) {
      const r = await this.c.query('SELECT id, screen_name_key FROM users WHERE screen_name_key = ANY($1::text[])', [keys.slice(at, at + CHUNK)]);
      for (const row of r.rows as Raw[]) out.set(row.screen_name_key as string, row.id as bigint);
    }
    return out;
  }
}

export class PostgresTarget implements BulkTarget {
  readonly backend = 'postgres' as const;

  private constructor(private readonly c: pg.Client) {}

  static async open(location: string): Promise<PostgresTarget> {
    await (await PostgresStore.open(location, { poolSize: 1 })).close(); // applies pending migrations
    const parsed = parsePostgresUrl(location);
    const c = new pg.Client({
      connectionString: parsed.connectionString, types: INT8_AS_BIGINT,
      ...(parsed.schema ? { options: `-c search_path=${parsed.schema}` } : {}),
    });
    await c.connect();
    return new PostgresTarget(c);
  }

  async load<T>(work: (w: BulkWriter) => Promise<T>, progress: Progress): Promise<T> {
    await this.c.query('BEGIN');
    try {
      // Edge writers wait until the load commits, so no one takes a position inside the range it reserves.
      await this.c.query('LOCK TABLE edges_fwd, edges_bwd IN SHARE ROW EXCLUSIVE MODE');
      const result = await work(new PostgresWriter(this.c));
      await step(progress, 'counts', async () => {
        await this.c.query(RECOUNT_SQL);
        await this.c.query(REPAIR_SQL);
      });
      await this.c.query('COMMIT');
      return result;
    } catch (err) {
      await this.c.query('ROLLBACK');
      throw err;
    }
  }

  async recount(repair: boolean): Promise<CountDrift[]> {
    await this.c.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    try {
      await this.c.query(RECOUNT_SQL);
      const drift = (await this.c.query(DRIFT_SQL)).rows.map((r: Raw) => ({
        userId: r.id as bigint,
        stored: { followers: Number(r.followers_count), friends: Number(r.friends_count) },
        actual: { followers: Number(r.followers), friends: Number(r.friends) },
      }));
      if (repair && drift.length > 0) await this.c.query(REPAIR_SQL);
      await this.c.query('COMMIT');
      return drift;
    } catch (err) {
      await this.c.query('ROLLBACK');
      throw err;
    }
  }

  async screenNameKeys(): Promise<Set<string>> {
    return new Set((await this.c.query('SELECT screen_name_key FROM users')).rows.map((r: Raw) => r.screen_name_key as string));
  }
  async countFollows(): Promise<number> {
    return Number((await this.c.query('SELECT count(*) AS n FROM edges_fwd WHERE kind = 0')).rows[0].n);
  }
  async countUsers(): Promise<number> {
    return Number((await this.c.query('SELECT count(*) AS n FROM users')).rows[0].n);
  }

  /** Rows of a query through a cursor, a batch at a time, so a whole table never sits in memory. */
  private async *cursor(sql: string, params: unknown[] = []): AsyncGenerator<Raw[]> {
    await this.c.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    try {
      await this.c.query(`DECLARE bulk_out NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const { rows } = await this.c.query(`FETCH ${CHUNK} FROM bulk_out`);
        if (rows.length === 0) break;
        yield rows as Raw[];
      }
    } finally {
      await this.c.query('COMMIT');
    }
  }

  async *follows(): AsyncIterable<EdgeRecord[]> {
    for await (const rows of this.cursor('SELECT src, dst, notify, retweets FROM edges_fwd WHERE kind = 0 ORDER BY seq')) {
      yield rows.map((r) => ({ src: r.src as bigint, dst: r.dst as bigint, notify: r.notify as boolean, retweets: r.retweets as boolean }));
    }
  }

  async *following(user: UserId): AsyncIterable<EdgeRecord & { screenName: string }> {
    const sql = `SELECT e.src, e.dst, e.notify, e.retweets, u.screen_name FROM edges_fwd e JOIN users u ON u.id = e.dst
      WHERE e.kind = 0 AND e.src = $1 ORDER BY e.seq`;
    for await (const rows of this.cursor(sql, [user.toString()])) {
      yield* rows.map((r) => ({ src: r.src as bigint, dst: r.dst as bigint, notify: r.notify as boolean, retweets: r.retweets as boolean, screenName: r.screen_name as string }));
    }
  }

  async *users(): AsyncIterable<UserRow> {
    for await (const rows of this.cursor(`${USERS} ORDER BY u.id`)) yield* rows.map(toUser);
  }

  async userByScreenName(screenName: string): Promise<UserRow | undefined> {
    const r = (await this.c.query(`${USERS} WHERE u.screen_name_key = $1`, [screenName.toLowerCase()])).rows[0] as Raw | undefined;
    return r && toUser(r);
  }

  /** Tables with their indexes and TOAST, in the connection's schema. */
  async diskBytes(): Promise<number> {
    const r = await this.c.query(`SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS n FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'`);
    return Number(r.rows[0].n);
  }

  async close(): Promise<void> {
    await this.c.end();
  }
}
