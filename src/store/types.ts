// The storage ports: what the layers above may ask of a database, in three parts so each
// depends on the one it uses: GraphStore (the rules), UserStore, CredentialStore (auth).
// `Store` is all three; the adapters (sqlite/, postgres/) implement it, and nothing above this
// file sees SQL. Bulk loads have a port of their own (bulk/bulk-target.ts).
import type { ActivitySubscriptionStore } from './activity-subscriptions.js';
import type { EventFeed, EventLog, NewEvent } from '../events/types.js';

import type { WebhookStore } from './webhook-types.js';

export type UserId = bigint;

export type UserState = 'active' | 'suspended' | 'deactivated';

/**
 * The profile design an account was given: 'theme1', Twitter's default until 2016 (kept by
 * accounts stored before roost had the second), or 'plain', the default of accounts since.
 */
export type ProfileTheme = 'theme1' | 'plain';

export interface UserRow {
  id: UserId;
  screenName: string;
  name: string;
  description: string;
  location: string;
  url: string | null;
  email: string | null;
  protected: boolean;
  verified: boolean;
  state: UserState;
  locked: boolean;
  followersCount: number;
  friendsCount: number;
  createdAt: number; // ms since epoch
  theme: ProfileTheme;
}

export interface NewUser {
  id: UserId;
  screenName: string;
  name: string;
  description?: string;
  location?: string;
  url?: string | null;
  email?: string | null;
  protected?: boolean;
  verified?: boolean;
  createdAt: number;
}

export type UserPatch = Partial<Pick<UserRow, 'name' | 'description' | 'location' | 'url' | 'email' | 'protected' | 'verified' | 'state' | 'locked'>>;

/** The four graphs share one shape: an ordered edge list stored forward and backward. */
export type GraphKind = 'follow' | 'request' | 'block' | 'mute';
export const GRAPH_KINDS: readonly GraphKind[] = ['follow', 'request', 'block', 'mute'];

/** 'out': edges whose source is the user (friends, outgoing); 'in': whose target is (followers, incoming). */
export type Direction = 'out' | 'in';

export interface FollowAttrs {
  notifications: boolean;
  wantRetweets: boolean;
}

export interface EdgeEntry {
  seq: number;
  id: UserId; // the user at the other end
}

/** Keyset window over an edge list, newest (highest seq) first. */
export type PageWindow =
  | { kind: 'before'; seq: number } // items with seq < seq (next pages; the first page uses +Infinity)
  | { kind: 'after'; seq: number }; // items with seq > seq (a previous page)

export interface EdgePage {
  items: EdgeEntry[];
  /** whether items exist beyond this page in the direction of travel */
  more: boolean;
  /** whether items exist on the other side of the window */
  behind: boolean;
}

export interface JsonPage {
  /** the ids, newest first, as a JSON array of integers */
  json: string;
  count: number;
  /** seq of the first and last item (0 when empty) */
  firstSeq: number;
  lastSeq: number;
  more: boolean;
  behind: boolean;
}

/** The edges between a viewer V and one other user U, as booleans. */
export interface Relation {
  following: boolean; // V -> U follow
  followedBy: boolean; // U -> V follow
  requestSent: boolean; // V -> U pending request
  requestReceived: boolean; // U -> V pending request
  blocking: boolean; // V blocks U
  blockedBy: boolean; // U blocks V
  muting: boolean; // V mutes U
  notifications: boolean; // on V -> U follow
  wantRetweets: boolean; // on V -> U follow
}

export const NO_RELATION: Relation = Object.freeze({
  following: false, followedBy: false, requestSent: false, requestReceived: false,
  blocking: false, blockedBy: false, muting: false, notifications: false, wantRetweets: false,
});

export type AccessLevel = 'read' | 'read-write' | 'read-write-directmessages';

/** OAuth 2.0 client type: confidential clients hold a secret, public ones (SPAs, native apps) do not. */
export type ClientType = 'confidential' | 'public';

export interface AppRow {
  id: bigint;
  name: string;
  consumerKey: string;
  consumerSecret: string;
  bearerToken: string | null;
  clientId: string;
  clientSecret: string;
  accessLevel: AccessLevel;
  callbackUrls: string[];
  clientType: ClientType;
  createdAt: number;
}

export interface AppPatch {
  callbackUrls?: string[];
  clientType?: ClientType;
}

/** An OAuth 2.0 user token; stored by the SHA-256 of its value, never the value itself. */
export interface OAuth2TokenRow {
  tokenHash: string;
  kind: 'access' | 'refresh';
  appId: bigint;
  userId: UserId;
  scopes: string[];
  expiresAt: number | null; // ms; null: no expiry
  createdAt: number;
  /**
   * The authorization the token descends from: tokens issued for one code and every refresh
   * after it share it, so a reused refresh token can revoke them all. Absent on insert: its own.
   */
  family?: string;
}

/** OAuth 2.0 token writes inside a transaction, so a rotation and a family's revocation never interleave. */
export interface OAuth2Tx {
  /** The token by hash, revoked or not. */
  token(tokenHash: string): Promise<(OAuth2TokenRow & { family: string; revoked: boolean }) | undefined>;
  insert(token: OAuth2TokenRow): Promise<void>;
  /** Revokes one live token; false if it was not live. */
  revoke(tokenHash: string): Promise<boolean>;
  /** Revokes every live token of the family; how many. */
  revokeFamily(family: string): Promise<number>;
}

export interface TokenRow {
  token: string;
  secret: string;
  appId: bigint;
  userId: UserId;
  accessLevel: AccessLevel;
  createdAt: number;
}

/** Work done inside one write transaction. Every method sees the transaction's own writes. */
export interface Tx {
  /**
   * `forUpdate`: this transaction will change the user's state or protection. A store that locks
   * takes its strongest lock on the user now, rather than upgrade a shared one later.
   */
  user(id: UserId, opts?: { forUpdate?: boolean }): Promise<UserRow | undefined>;
  /** Every edge between a and b in both directions, in one read; absent: the graph asks edge by edge. */
  relation?(a: UserId, b: UserId): Promise<Relation>;
  hasEdge(kind: GraphKind, src: UserId, dst: UserId): Promise<boolean>;
  followAttrs(src: UserId, dst: UserId): Promise<FollowAttrs | undefined>;
  /** Adds the edge with a fresh position; false if it already existed (left untouched). */
  addEdge(kind: GraphKind, src: UserId, dst: UserId, attrs?: FollowAttrs): Promise<boolean>;
  /** Removes the edge; false if there was none. */
  removeEdge(kind: GraphKind, src: UserId, dst: UserId): Promise<boolean>;
  setFollowAttrs(src: UserId, dst: UserId, attrs: FollowAttrs): Promise<void>;
  /** Ids at the other end of every edge of the user in one direction (for bulk rules). */
  allEdges(kind: GraphKind, dir: Direction, user: UserId): Promise<UserId[]>;
  adjustCounts(user: UserId, followers: number, friends: number): Promise<void>;
  /** Adds delta to followers_count of everyone `user` follows and friends_count of everyone following `user`. */
  adjustNeighbourCounts(user: UserId, delta: number): Promise<void>;
  insertUser(user: NewUser): Promise<UserRow>;
  /**
   * A state change between active and hidden (suspended, deactivated) also moves the user's rows
   * in other users' lists, in this transaction: visibility lives in the edge (see Store.page).
   */
  updateUser(id: UserId, patch: UserPatch): Promise<void>;
  setCounts(user: UserId, followers: number, friends: number): Promise<void>;
  /** True follow-edge counts of active users, read inside this transaction (see Store.countEdges). */
  countEdges(user: UserId): Promise<{ followers: number; friends: number }>;
  /** Appends to the event outbox, committed or rolled back with this transaction (see StoreEventLog). */
  recordEvent(e: NewEvent): Promise<void>;
  readonly oauth2: OAuth2Tx;
}

/** Users: rows by id or by screen name, and search. */
export interface UserStore {
  userById(id: UserId): Promise<UserRow | undefined>;
  userByScreenName(screenName: string): Promise<UserRow | undefined>;
  usersByIds(ids: readonly UserId[]): Promise<Map<UserId, UserRow>>;
  usersByScreenNames(names: readonly string[]): Promise<Map<string, UserRow>>; // keyed by lower-cased name
  countUsers(): Promise<number>;
  allUserIds(): Promise<UserId[]>;
  /**
   * Active users whose name, screen name or description contain every term (at most
   * MAX_SEARCH_TERMS distinct ones, any case), ranked; the best `cap`, less the first `skip`.
   */
  searchUsers(terms: readonly string[], cap: number, skip?: number): Promise<UserRow[]>;
}

/**
 * The four graphs: write transactions (which the rules run in), pages, relations and counts.
 * Reads see only edges whose other end is an active user, each row carrying that user's state,
 * so a page is one keyset range of the edge index with no per-edge lookup.
 */
export interface GraphStore {
  /**
   * Runs `work` in one write transaction. The work may run more than once (PostgreSQL replays a
   * transaction chosen as a deadlock's victim): anything it does outside the Tx must be
   * safe to repeat, or done once across attempts.
   */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  page(kind: GraphKind, dir: Direction, user: UserId, window: PageWindow, limit: number): Promise<EdgePage>;
  /**
   * A forward page of ids as a JSON array built by the database, skipping one JS value per id.
   * Optional: an adapter without it is paged through page().
   */
  pageJson?(kind: GraphKind, dir: Direction, user: UserId, window: PageWindow & { kind: 'before' }, limit: number): Promise<JsonPage>;
  relations(viewer: UserId, others: readonly UserId[]): Promise<Map<UserId, Relation>>;
  /** Followees whose retweets the user has turned off. */
  noRetweetIds(user: UserId): Promise<UserId[]>;
  /** True edge counts of active users, for recount. */
  countEdges(user: UserId): Promise<{ followers: number; friends: number }>;
}

/** What callers prove who they are with: apps, OAuth 1.0a and 2.0 tokens, sign-in passwords. */
export interface CredentialStore {
  // apps and tokens
  insertApp(app: AppRow): Promise<void>;
  appByConsumerKey(key: string): Promise<AppRow | undefined>;
  appByBearer(token: string): Promise<AppRow | undefined>;
  appByClientId(clientId: string): Promise<AppRow | undefined>;
  appById(id: bigint): Promise<AppRow | undefined>;
  listApps(): Promise<AppRow[]>;
  setBearer(appId: bigint, token: string | null): Promise<void>;
  insertToken(token: TokenRow): Promise<void>;
  tokenByValue(token: string): Promise<TokenRow | undefined>;
  /**
   * What a signed request needs, in one read: the app with this consumer key, the unrevoked
   * access token, and that token's user (each undefined when absent). Optional: an adapter that
   * serves them from memory does without, and they are read one by one.
   */
  oauthCaller?(consumerKey: string, token: string): Promise<{ app?: AppRow; token?: TokenRow; user?: UserRow }>;
  tokenFor(appId: bigint, userId: UserId, level: AccessLevel): Promise<TokenRow | undefined>;
  revokeToken(token: string): Promise<boolean>;
  updateApp(appId: bigint, patch: AppPatch): Promise<void>;

  // OAuth 2.0 user tokens, looked up by hash; revoked ones are not returned
  insertOAuth2Token(token: OAuth2TokenRow): Promise<void>;
  oauth2Token(tokenHash: string): Promise<OAuth2TokenRow | undefined>;
  revokeOAuth2Token(tokenHash: string): Promise<boolean>;

  // passwords for the sign-in pages (a slow hash, never the password)
  setPasswordHash(userId: UserId, hash: string | null): Promise<void>;
  passwordHash(userId: UserId): Promise<string | null>;
}

/** Where an event's id and time come from: the server's clock and snowflake minting (seeded in emulator mode). */
export interface EventStamp {
  now(): number;
  nextId(): bigint;
}

/** The outbox as its adapter keeps it: the reader's port plus what the process around it needs. */
export interface StoreEventLog extends EventLog {
  /** Called in this process after each COMMIT that recorded events (a hint: page with eventsAfter). */
  onLocalCommit(listener: () => void): () => void;
  /**
   * Wake-ups for commits of any process on this database, this one's included: LISTEN/NOTIFY on
   * PostgreSQL, a poll of headSeq while someone listens on SQLite (every `pollMs`, default 25).
   */
  openFeed(opts?: { pollMs?: number }): EventFeed;
  /** Deletes at most `batch` events created before `beforeMs`; how many went. */
  deleteOlderThan(beforeMs: number, batch: number): Promise<number>;
}

/** One database, every port: what an adapter implements and what the server holds. */
export interface Store extends GraphStore, UserStore, CredentialStore {
  readonly backend: 'sqlite' | 'postgres';
  /** the Activity API's subscriptions (activity-subscriptions.ts) */
  readonly activity: ActivitySubscriptionStore;
  /** webhooks, Account Activity subscriptions and delivery state */
  readonly webhooks: WebhookStore;
  /** the event outbox that graph writes fill through Tx.recordEvent */
  readonly events: StoreEventLog;
  /**
   * A request begins: what other connections or processes committed before now must be seen by
   * the reads that follow. Adapters that cache rows check for those commits here, once per request.
   */
  refresh?(): void;
  close(): Promise<void>;
}
