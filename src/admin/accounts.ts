// Creating users, apps and tokens: shared by the CLI and the tests.
import type { Clock } from '../clock.js';
import type { Snowflake } from '../graph/snowflake.js';
import type { AccessLevel, AppRow, ClientType, Store, TokenRow, UserRow } from '../store/types.js';
import { accessTokenFor, bearerToken, randomToken } from '../auth/credentials.js';
import { hashPassword, PasswordError, type ScryptParams } from '../auth/passwords.js';

export class AccountError extends Error {
  /** the input field at fault, when one is */
  constructor(message: string, readonly field?: 'screenName' | 'name' | 'url' | 'callbackUrls') {
    super(message);
  }
}

export interface UserInput {
  screenName: string;
  name?: string;
  description?: string;
  location?: string;
  url?: string | null;
  email?: string | null;
  protected?: boolean;
  verified?: boolean;
}

const SCREEN_NAME = /^[A-Za-z0-9_]{1,15}$/;

/** Refuses a profile Twitter would refuse (the screen name's uniqueness aside). */
export function checkUserInput(input: UserInput): void {
  if (!SCREEN_NAME.test(input.screenName)) {
    throw new AccountError(`screen name "${input.screenName}" must be 1-15 letters, digits or underscores`, 'screenName');
  }
  if ([...(input.name ?? input.screenName)].length > 50) throw new AccountError('name must be at most 50 characters', 'name');
  if (input.url && !/^https?:\/\/\S+$/.test(input.url)) throw new AccountError(`url "${input.url}" must start with http:// or https://`, 'url');
}

export async function createUser(store: Store, ids: Snowflake, clock: Clock, input: UserInput): Promise<UserRow> {
  checkUserInput(input);
  if (await store.userByScreenName(input.screenName)) throw new AccountError(`screen name "${input.screenName}" is taken`);
  const name = input.name ?? input.screenName;
  return store.transaction((tx) => tx.insertUser({
    id: ids.next(),
    screenName: input.screenName,
    name,
    description: input.description ?? '',
    location: input.location ?? '',
    url: input.url ?? null,
    email: input.email ?? null,
    protected: input.protected ?? false,
    verified: input.verified ?? false,
    createdAt: clock.now(),
  }));
}

/** Callback URLs must be absolute http(s) URLs without a fragment: they are matched exactly. */
export function checkCallbackUrls(urls: readonly string[]): void {
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new AccountError(`callback URL "${u}" is not an absolute URL`, 'callbackUrls');
    }
    if (!['http:', 'https:'].includes(parsed.protocol) || parsed.hash) {
      throw new AccountError(`callback URL "${u}" must be http(s) and have no fragment`, 'callbackUrls');
    }
  }
}

/** The secrets an app is created with; each one not given is drawn at random. */
export type AppCredentials = Pick<AppRow, 'consumerKey' | 'consumerSecret' | 'bearerToken' | 'clientId' | 'clientSecret'>;

export async function createApp(
  store: Store, ids: Snowflake, clock: Clock, name: string, callbackUrls: string[] = [], clientType: ClientType = 'confidential',
  credentials: Partial<AppCredentials> = {},
): Promise<AppRow> {
  if (name.trim() === '') throw new AccountError('app name must not be empty');
  checkCallbackUrls(callbackUrls);
  const app: AppRow = {
    id: ids.next(),
    name,
    consumerKey: credentials.consumerKey ?? randomToken(25),
    consumerSecret: credentials.consumerSecret ?? randomToken(50),
    bearerToken: credentials.bearerToken ?? bearerToken(),
    clientId: credentials.clientId ?? randomToken(34),
    clientSecret: credentials.clientSecret ?? randomToken(50),
    accessLevel: 'read-write-directmessages',
    callbackUrls,
    clientType,
    createdAt: clock.now(),
  };
  await store.insertApp(app);
  return app;
}

/** One token per (app, user, access level): re-authorising returns the same one (§16 #29). */
export async function createToken(
  store: Store, clock: Clock, app: AppRow, user: UserRow, level: AccessLevel = app.accessLevel, credentials: { token?: string; secret?: string } = {},
): Promise<TokenRow> {
  const existing = await store.tokenFor(app.id, user.id, level);
  if (existing) return existing;
  const token: TokenRow = {
    token: credentials.token ?? accessTokenFor(user.id), secret: credentials.secret ?? randomToken(45), appId: app.id, userId: user.id, accessLevel: level, createdAt: clock.now(),
  };
  await store.insertToken(token);
  return token;
}

/**
 * Sets (or replaces) the password a user signs in with on roost's pages; stored as a scrypt hash.
 * `params` lowers or raises the cost (tests use a cheap one); the hash records what was used.
 */
export async function setPassword(store: Store, user: UserRow, password: string, params?: ScryptParams): Promise<void> {
  let hash: string;
  try {
    hash = await hashPassword(password, params);
  } catch (err) {
    if (err instanceof PasswordError) throw new AccountError(err.message);
    throw err;
  }
  await store.setPasswordHash(user.id, hash);
}
