// Rows and id pages served from memory, never stale. This process holds the only writer
// connection it uses, so it knows every change it makes: a write transaction notes the users,
// tokens, apps and lists it touched, and those entries are dropped right AFTER its COMMIT (before
// it, a reader could cache the old row again) and before any caller is answered. Changes made by
// other processes (`bin/roost users suspend` while serving) show in the writer connection's
// `PRAGMA data_version`, which moves only when another connection commits: it is asked at the
// start of every request (refresh), and by every cached read made outside one, and everything is
// cleared when it moved. better-sqlite3 reads are synchronous, so nothing interleaves between a
// check and the read.
import type { AppRow, Direction, EdgePage, GraphKind, JsonPage, OAuth2TokenRow, Relation, TokenRow, UserId, UserRow } from '../types.js';

/** A Map bounded by entries; the oldest inserted goes first (a hit costs no reordering). */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) { super(); }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}

const listKey = (kind: GraphKind, dir: Direction, user: UserId) => `${kind}|${dir}|${user}`;

/** A cached page: the JSON of one (pageJson) or its items (page). */
type CachedPage = JsonPage | EdgePage;
/** Bytes a page holds, roughly: its JSON, or ~40 per item. */
const sizeOf = (p: CachedPage) => ('json' in p ? p.json.length : 40 * p.items.length + 64);

/** Id pages by list, bounded by their bytes; a list goes whole. */
class PageCache {
  private readonly lists = new Map<string, Map<string, CachedPage>>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(list: string, window: string): CachedPage | undefined {
    return this.lists.get(list)?.get(window);
  }

  set(list: string, window: string, page: CachedPage): void {
    let pages = this.lists.get(list);
    if (!pages) this.lists.set(list, (pages = new Map()));
    const old = pages.get(window);
    if (old) this.bytes -= sizeOf(old);
    pages.set(window, page);
    this.bytes += sizeOf(page);
    for (const key of this.lists.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(key);
    }
  }

  drop(list: string): void {
    const pages = this.lists.get(list);
    if (!pages) return;
    for (const p of pages.values()) this.bytes -= sizeOf(p);
    this.lists.delete(list);
  }

  clear(): void {
    this.lists.clear();
    this.bytes = 0;
  }
}

export interface ReadCacheLimits {
  users: number;
  relations: number;
  tokens: number;
  apps: number;
  pageBytes: number;
}

export const DEFAULT_LIMITS: ReadCacheLimits = { users: 50_000, relations: 100_000, tokens: 20_000, apps: 2_000, pageBytes: 32 * 1024 * 1024 };

export class ReadCache {
  readonly users: BoundedMap<UserId, UserRow>;
  /** screen_name_key -> id; the row itself is looked up (and dropped) by id only */
  readonly userKeys: BoundedMap<string, UserId>;
  readonly tokens: BoundedMap<string, TokenRow>;
  readonly oauth2: BoundedMap<string, OAuth2TokenRow>;
  /** by `k:` consumer key, `b:` bearer, `c:` client id, `i:` id; any app write clears them all */
  readonly apps: BoundedMap<string, AppRow>;
  /** `viewer|other` -> the edges between them (null: none); any edge between the two drops it */
  readonly relations: BoundedMap<string, Relation | null>;
  private readonly pages: PageCache;
  private seenVersion: bigint;
  /** a request checked in this turn of the event loop: reads until its end need not ask again */
  private checkedThisTurn = false;
  private readonly endTurn = () => { this.checkedThisTurn = false; };
  /** what the running write batch changed, dropped once it commits */
  private readonly touched = { users: new Set<UserId>(), tokens: new Set<string>(), lists: new Set<string>(), pairs: new Set<string>(), apps: false, allPages: false };
  /** changed users' rows as the batch's finished transactions left them: cached at COMMIT instead of dropped */
  private readonly staged = new Map<UserId, UserRow>();
  readonly stats = { clears: 0 };

  constructor(private readonly dataVersion: () => bigint, limits: ReadCacheLimits = DEFAULT_LIMITS) {
    this.users = new BoundedMap(limits.users);
    this.userKeys = new BoundedMap(limits.users);
    this.tokens = new BoundedMap(limits.tokens);
    this.oauth2 = new BoundedMap(limits.tokens);
    this.apps = new BoundedMap(limits.apps * 4);
    this.relations = new BoundedMap(limits.relations);
    this.pages = new PageCache(limits.pageBytes);
    this.seenVersion = dataVersion();
  }

  /** Call before serving anything from the cache: clears it when another connection committed. */
  check(): this {
    if (!this.checkedThisTurn) this.sync();
    return this;
  }

  /**
   * A request begins: asks data_version now, so whatever another connection committed before the
   * request arrived is seen, and lets the reads that follow in the same turn of the event loop
   * (a request's synchronous run and its microtasks) skip the question. The turn ends in the
   * check phase (setImmediate), before any later I/O callback; a read after it asks again.
   * One system-call-bound check per request instead of one per cached read (~8 us each).
   */
  refresh(): void {
    this.sync();
    if (!this.checkedThisTurn) {
      this.checkedThisTurn = true;
      setImmediate(this.endTurn);
    }
  }

  private sync(): void {
    const v = this.dataVersion();
    if (v !== this.seenVersion) {
      this.seenVersion = v;
      this.clear();
    }
  }

  user(row: UserRow): UserRow {
    Object.freeze(row);
    this.users.set(row.id, row);
    return row;
  }

  /** A page of one list; `window` names the window and limit, and whether it is JSON ("j") or items. */
  page(kind: GraphKind, dir: Direction, user: UserId, window: string): CachedPage | undefined {
    return this.pages.get(listKey(kind, dir, user), window);
  }

  setPage(kind: GraphKind, dir: Direction, user: UserId, window: string, page: CachedPage): void {
    if ('items' in page) { for (const item of page.items) Object.freeze(item); Object.freeze(page.items); }
    this.pages.set(listKey(kind, dir, user), window, Object.freeze(page));
  }

  // What a write changes; applied by committed().
  touchUser(id: UserId): void {
    this.touched.users.add(id);
    this.staged.delete(id); // whatever was staged for it is older than this change
  }
  /**
   * A transaction finished (its savepoint released) holding these rows exactly as the database
   * now has them: the changed ones are cached at COMMIT rather than read again.
   */
  stage(rows: Iterable<UserRow>): void {
    for (const row of rows) if (this.touched.users.has(row.id)) this.staged.set(row.id, row);
  }
  /** The batch did not commit: nothing staged may be cached. */
  aborted(): void { this.staged.clear(); }
  touchToken(token: string): void { this.touched.tokens.add(token); }
  touchApps(): void { this.touched.apps = true; }
  touchEdge(kind: GraphKind, src: UserId, dst: UserId): void {
    this.touched.lists.add(listKey(kind, 'out', src));
    this.touched.lists.add(listKey(kind, 'in', dst));
    this.touchPair(src, dst);
  }
  /** The relation of each to the other (follow settings live on the edge too). */
  touchPair(a: UserId, b: UserId): void {
    this.touched.pairs.add(`${a}|${b}`);
    this.touched.pairs.add(`${b}|${a}`);
  }
  /** A set-based change of edges whose lists are not named (a state move rewrites many). */
  touchAllPages(): void { this.touched.allPages = true; }

  /** Runs right after a COMMIT, before any caller of that batch is answered. */
  committed(): void {
    const t = this.touched;
    for (const id of t.users) {
      const row = this.staged.get(id);
      if (row) this.user(row);
      else this.users.delete(id);
    }
    this.staged.clear();
    for (const token of t.tokens) { this.tokens.delete(token); this.oauth2.delete(token); }
    if (t.allPages) this.pages.clear();
    else for (const list of t.lists) this.pages.drop(list);
    for (const pair of t.pairs) this.relations.delete(pair);
    if (t.apps) this.apps.clear();
    t.users.clear();
    t.tokens.clear();
    t.lists.clear();
    t.pairs.clear();
    t.apps = false;
    t.allPages = false;
  }

  clear(): void {
    this.stats.clears++;
    this.staged.clear();
    this.users.clear();
    this.userKeys.clear();
    this.tokens.clear();
    this.oauth2.clear();
    this.apps.clear();
    this.relations.clear();
    this.pages.clear();
  }
}
