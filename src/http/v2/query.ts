// v2 parameter rules (§1.2, §2.2, §5.4 of the v2 contract): unknown and repeated parameters are
// errors, enum lists are checked, and every failed check is reported together in one 400.
import type { Param } from '../form.js';
import { invalidRequest, invalidValue, type ParameterError } from '../../wire/v2/problems.js';
import { USER_FIELDS } from '../../wire/v2/user.js';

export const EXPANSIONS = ['affiliation.user_id', 'most_recent_tweet_id', 'pinned_tweet_id'] as const;
export const TWEET_FIELDS = [
  'article', 'attachments', 'author_id', 'card_uri', 'community_id', 'context_annotations', 'conversation_id', 'created_at',
  'display_text_range', 'edit_controls', 'edit_history_tweet_ids', 'entities', 'geo', 'id', 'in_reply_to_user_id', 'lang',
  'media_metadata', 'non_public_metrics', 'note_tweet', 'organic_metrics', 'possibly_sensitive', 'promoted_metrics',
  'public_metrics', 'referenced_tweets', 'reply_settings', 'scopes', 'source', 'text', 'withheld',
] as const;

export const WEBHOOK_FIELDS = ['created_at', 'id', 'url', 'valid'] as const;

const ENUMS: Record<string, readonly string[]> = {
  'user.fields': USER_FIELDS, expansions: EXPANSIONS, 'tweet.fields': TWEET_FIELDS, 'webhook_config.fields': WEBHOOK_FIELDS,
};
const ID = /^[0-9]{1,19}$/;
const USERNAME = /^[A-Za-z0-9_]{1,15}$/;

/** Collects failed checks, then throws them as one invalid-request problem. */
export class QueryCheck {
  readonly errors: ParameterError[] = [];
  readonly values = new Map<string, string>();
  /** every parameter name the request gave, valid or not */
  readonly given = new Set<string>();

  constructor(query: readonly Param[], pathParams: readonly string[], allowed: readonly string[]) {
    const seen = new Map<string, string[]>();
    for (const [k, v] of query) seen.set(k, [...(seen.get(k) ?? []), v]);
    for (const k of seen.keys()) this.given.add(k);
    for (const [name, vals] of seen) {
      if (!allowed.includes(name)) {
        this.errors.push({ parameters: { [name]: vals }, message: `The query parameter [${name}] is not one of [${[...pathParams, ...allowed].join(',')}]` });
      } else if (vals.length > 1) {
        this.errors.push({ parameters: { [name]: vals }, message: `Duplicate parameters are not allowed: the \`${name}\` query parameter` });
      } else {
        this.values.set(name, vals[0]!);
      }
    }
    for (const [name, allowedValues] of Object.entries(ENUMS)) {
      for (const v of this.list(name)) {
        if (!allowedValues.includes(v)) this.errors.push(invalidValue(name, v, `is not one of [${allowedValues.join(',')}]`));
      }
    }
  }

  list(name: string): string[] {
    const v = this.values.get(name);
    return v === undefined ? [] : [...new Set(v.split(',').filter((x) => x !== ''))];
  }

  /** A path or query id; null (with an error recorded) when it fails the pattern. */
  id(name: string, value: string): bigint | null {
    if (ID.test(value) && BigInt(value) > 0n && BigInt(value) < 2n ** 63n) return BigInt(value);
    this.errors.push(invalidValue(name, value));
    return null;
  }

  /** A comma list of 1-100 ids or usernames. */
  terms(name: string, kind: 'id' | 'username'): string[] {
    const raw = this.values.get(name);
    if (raw === undefined && this.given.has(name)) return []; // repeated: already reported
    if (raw === undefined || raw === '') {
      this.errors.push({ parameters: { [name]: raw === undefined ? [] : [raw] }, message: `The \`${name}\` query parameter can not be empty` });
      return [];
    }
    const items = raw.split(',');
    if (items.length > 100) {
      this.errors.push({ parameters: { [name]: [raw] }, message: `The number of values in the \`${name}\` query parameter list [${items.length}] is not between 1 and 100` });
      return [];
    }
    for (const item of items) {
      if (kind === 'id' && !ID.test(item)) this.errors.push(invalidValue(name, item));
      if (kind === 'username' && !USERNAME.test(item)) this.errors.push(invalidValue(name, item, `does not match ${USERNAME.source}`));
    }
    return [...new Set(items)];
  }

  fail(error: ParameterError): void {
    this.errors.push(error);
  }

  /** Throws every recorded failure at once. */
  done(): void {
    if (this.errors.length > 0) throw invalidRequest(this.errors);
  }
}
