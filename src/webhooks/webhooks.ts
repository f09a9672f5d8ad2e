// What the webhook routes ask for: registering a URL (after the CRC check passes), listing,
// re-validating, deleting, replaying a window of the event log, and Account Activity
// subscriptions. Failures are WebhookErrors named as X names them (CrcValidationFailed,
// UrlValidationFailed, DuplicateUrlFailed, WebhookLimitExceeded, WebhookIdInvalid, ...).
// Also runs the deliverer and the periodic CRC re-check while a server is up.
import type { Clock } from '../clock.js';
import type { WebhookSettings } from '../config.js';
import type { EventLog } from '../events/types.js';
import type { AppRow, UserId } from '../store/types.js';
import type { ReplayRow, WebhookRow, WebhookStore } from '../store/webhook-types.js';
import type { AssetHosts } from '../wire/v1/user.js';
import { checkCrc } from './crc.js';
import { Deliverer } from './deliverer.js';
import { parseWebhookUrl, WebhookUrlError, type UrlPolicy } from './url-guard.js';

export class WebhookError extends Error {
  constructor(readonly reason: string, detail: string) {
    super(`${reason}: ${detail}`);
  }
}

export interface WebhooksDeps {
  hooks: WebhookStore;
  events: EventLog;
  deliverer: Deliverer;
  settings: WebhookSettings;
  policy: UrlPolicy;
  clock: Clock;
  newId(): bigint;
  appById(id: bigint): Promise<AppRow | undefined>;
  warn(message: string): void;
  /** the image origins user objects in bodies name */
  assets: { current: AssetHosts; fixed: boolean };
}

/** yyyymmddhhmm, UTC, to ms; null when malformed. */
function minuteOf(text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi);
  const back = new Date(ms);
  return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 ? ms : null;
}

export class Webhooks {
  readonly deliverer: Deliverer;
  private crcTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: WebhooksDeps) {
    this.deliverer = deps.deliverer;
  }

  /**
   * Starts delivery and the periodic CRC check. `origin`: where the server listens, for the image
   * URLs of user objects (unless a public URL is configured).
   */
  start(origin?: string): void {
    if (origin && !this.deps.assets.fixed) this.deps.assets.current = { http: origin, https: origin };
    this.deliverer.start();
    this.crcTimer = setInterval(() => void this.recheckAll(), this.deps.settings.crcIntervalMs).unref();
  }

  /** Where user objects in bodies point for images (a kind renders users with it). */
  assetHosts(): AssetHosts {
    return this.deps.assets.current;
  }

  async stop(): Promise<void> {
    if (this.crcTimer) clearInterval(this.crcTimer);
    await this.deliverer.stop();
  }

  private crc(url: string, app: AppRow) {
    return checkCrc(url, app.consumerSecret, this.deps.policy, this.deps.settings.crcTimeoutMs);
  }

  /** Every webhook's CRC again; a webhook that fails stops receiving until it passes. */
  async recheckAll(): Promise<void> {
    try {
      for (const w of await this.deps.hooks.allWebhooks()) {
        const app = await this.deps.appById(w.appId);
        if (!app) continue;
        const { ok } = await this.crc(w.url, app);
        if (ok !== w.valid) await this.deps.hooks.setValid(w.id, ok);
        if (ok && !w.valid) this.deliverer.wake();
      }
    } catch (err) {
      this.deps.warn(`webhook CRC re-check: ${(err as Error).message}`);
    }
  }

  async create(app: AppRow, url: string): Promise<WebhookRow> {
    const { hooks, settings } = this.deps;
    if (url.length === 0 || url.length > 200) throw new WebhookError('UrlValidationFailed', 'the URL must be 1 to 200 characters');
    try {
      parseWebhookUrl(url, this.deps.policy);
    } catch (err) {
      if (err instanceof WebhookUrlError) throw new WebhookError('UrlValidationFailed', err.message);
      throw err;
    }
    const existing = await hooks.webhooksOf(app.id);
    if (existing.some((w) => w.url === url)) throw new WebhookError('DuplicateUrlFailed', 'a webhook is already registered for this URL');
    if (existing.length >= settings.maxPerApp) throw new WebhookError('WebhookLimitExceeded', `an app may register at most ${settings.maxPerApp} webhooks`);
    const crc = await this.crc(url, app);
    if (!crc.ok) throw new WebhookError(crc.urlRefused ? 'UrlValidationFailed' : 'CrcValidationFailed', crc.reason);
    // Deliveries start with the events after this moment.
    const row = { id: this.deps.newId(), appId: app.id, url, valid: true, createdAt: this.deps.clock.now(), cursor: await this.deps.events.headSeq() };
    await hooks.insertWebhook(row);
    this.deliverer.wake(); // it follows commits from now on
    return row;
  }

  list(app: AppRow): Promise<WebhookRow[]> {
    return this.deps.hooks.webhooksOf(app.id);
  }

  /** The app's webhook, or WebhookIdInvalid. */
  async owned(app: AppRow, id: bigint): Promise<WebhookRow> {
    const w = await this.deps.hooks.webhook(id);
    if (!w || w.appId !== app.id) throw new WebhookError('WebhookIdInvalid', 'the webhook_id was not found or is not associated with this app');
    return w;
  }

  /** PUT: the CRC again; the webhook is valid or invalid by its outcome. */
  async validate(app: AppRow, id: bigint): Promise<true> {
    const w = await this.owned(app, id);
    const crc = await this.crc(w.url, app);
    if (crc.ok !== w.valid) await this.deps.hooks.setValid(id, crc.ok);
    if (!crc.ok) throw new WebhookError('CrcValidationFailed', crc.reason);
    this.deliverer.wake();
    return true;
  }

  async remove(app: AppRow, id: bigint): Promise<void> {
    await this.owned(app, id);
    await this.deps.hooks.deleteWebhook(id);
  }

  async replay(app: AppRow, id: bigint, from: string, to: string): Promise<ReplayRow> {
    const w = await this.owned(app, id);
    const fromMs = minuteOf(from);
    const toStart = minuteOf(to);
    if (fromMs === null || toStart === null) throw new WebhookError('QueryParamInvalid', 'from_date or to_date is not in yyyymmddhhmm format');
    const now = this.deps.clock.now();
    if (fromMs > now) throw new WebhookError('QueryParamInvalid', 'from_date is in the future');
    if (toStart > now) throw new WebhookError('QueryParamInvalid', 'to_date is in the future');
    if (fromMs > toStart) throw new WebhookError('QueryParamInvalid', 'from_date is more recent than to_date');
    if (!w.valid) throw new WebhookError('CrcValidationFailed', 'the webhook is not valid; PUT /2/webhooks/:webhook_id to check it again');
    if ((await this.deps.hooks.replays()).some((j) => j.webhookId === id)) {
      throw new WebhookError('ReplayConflictError', 'a replay job is already in progress for this webhook');
    }
    // to_date names a whole minute, all of it included.
    const job = { id: this.deps.newId(), webhookId: id, fromMs, toMs: toStart + 59_999, cursor: 0n, createdAt: now };
    await this.deps.hooks.insertReplay(job);
    this.deliverer.wake();
    return job;
  }

  async subscribe(app: AppRow, webhookId: bigint, user: UserId): Promise<void> {
    await this.owned(app, webhookId);
    if (await this.deps.hooks.countSubscriptions(app.id) >= this.deps.settings.maxSubscriptions) {
      throw new WebhookError('SubscriptionLimitExceeded', 'the application has reached its subscription limit across all webhooks');
    }
    if (!await this.deps.hooks.subscribe(webhookId, user, this.deps.clock.now())) {
      throw new WebhookError('DuplicateSubscriptionFailed', 'a subscription for this user already exists for this webhook_id');
    }
  }

  async isSubscribed(app: AppRow, webhookId: bigint, user: UserId): Promise<boolean> {
    await this.owned(app, webhookId);
    return (await this.deps.hooks.subscribedAmong(webhookId, [user])).length > 0;
  }

  async unsubscribe(app: AppRow, webhookId: bigint, user: UserId): Promise<void> {
    await this.owned(app, webhookId);
    if (!await this.deps.hooks.unsubscribe(webhookId, user)) {
      throw new WebhookError('SubscriptionNotFound', 'no subscription exists for this user_id on this webhook_id');
    }
  }

  async subscribers(app: AppRow, webhookId: bigint): Promise<{ webhook: WebhookRow; users: UserId[] }> {
    const webhook = await this.owned(app, webhookId);
    return { webhook, users: await this.deps.hooks.subscribers(webhookId) };
  }

  countSubscriptions(app: AppRow): Promise<number> {
    return this.deps.hooks.countSubscriptions(app.id);
  }
}
