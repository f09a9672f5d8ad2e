// v2 parameters, typed: each endpoint declares its path and query parameters with their types
// (endpoints.ts); the pipeline's parameter step checks them all, reports every failure in one
// 400 (query.ts), and hands the handler typed values.
import type { Incoming } from '../incoming.js';
import { invalidValue } from '../../wire/v2/problems.js';
import { decodeToken, type TokenStyle } from '../../wire/v2/pagination-token.js';
import { MAX_SEARCH_TERMS, searchTerms } from '../../graph/types.js';
import { SEARCH_WINDOW } from '../../graph/reads.js';
import { QueryCheck } from './query.js';

export type V2Param =
  | { name: string; in: 'path'; type: 'id' | 'username' | 'text' } // text: checked elsewhere (the caller's id)
  | { name: string; in: 'query'; type: 'ids' | 'usernames' | 'fields' | 'search-query' | 'search-token' }
  | { name: string; in: 'query'; type: 'int'; default: number; min: number; max: number }
  | { name: string; in: 'query'; type: 'token'; style: TokenStyle }
  | { name: string; in: 'query'; type: 'time' }; // YYYY-MM-DDTHH:mm:ssZ (fractions allowed); ms since epoch, or absent

type Value = bigint | string | string[] | number;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const USERNAME = /^[A-Za-z0-9_]{1,15}$/;

function checkOne(q: QueryCheck, p: V2Param, path: Record<string, string>): Value | undefined {
  if (p.in === 'path') {
    const raw = path[p.name]!;
    if (p.type === 'id') return q.id(p.name, raw) ?? undefined;
    if (p.type === 'username' && !USERNAME.test(raw)) q.fail(invalidValue(p.name, raw, `does not match ${USERNAME.source}`));
    return raw;
  }
  const raw = q.values.get(p.name);
  switch (p.type) {
    case 'ids': return q.terms(p.name, 'id');
    case 'usernames': return q.terms(p.name, 'username');
    case 'fields': return q.list(p.name);
    case 'int': {
      if (raw === undefined) return p.default;
      if (!/^\d{1,7}$/.test(raw) || Number(raw) < p.min || Number(raw) > p.max) {
        q.fail(invalidValue(p.name, raw, `is not between ${p.min} and ${p.max}`));
        return p.default;
      }
      return Number(raw);
    }
    case 'token': {
      const cursor = raw === undefined ? -1n : decodeToken(raw, p.style);
      if (cursor === null) q.fail(invalidValue(p.name, raw!));
      return cursor ?? undefined;
    }
    case 'time': {
      if (raw === undefined) return undefined;
      const ms = TIME.test(raw) ? Date.parse(raw) : NaN;
      if (Number.isNaN(ms)) q.fail(invalidValue(p.name, raw, 'does not match the pattern YYYY-MM-DDTHH:mm:ssZ'));
      return Number.isNaN(ms) ? undefined : ms;
    }
    case 'search-query': {
      if (raw === undefined && q.given.has(p.name)) {
        // repeated: already reported
      } else if (raw === undefined || raw.trim() === '') {
        q.fail({ parameters: { [p.name]: raw === undefined ? [] : [raw] }, message: `The \`${p.name}\` query parameter can not be empty` });
      } else if (!/^[A-Za-z0-9_' ]{1,50}$/.test(raw)) {
        q.fail({ parameters: { [p.name]: [raw] }, message: `The \`${p.name}\` query parameter value [${raw}] does not match ^[A-Za-z0-9_' ]{1,50}$` });
      }
      const terms = searchTerms((raw ?? '').trim().split(/\s+/));
      if (terms.length > MAX_SEARCH_TERMS) {
        q.fail({ parameters: { [p.name]: [raw!] }, message: `The number of terms in the \`${p.name}\` query parameter [${terms.length}] is not between 1 and ${MAX_SEARCH_TERMS}` });
      }
      return terms;
    }
    case 'search-token': {
      // base-36 offsets into the first SEARCH_WINDOW matches
      const offset = raw === undefined ? 0 : /^[0-9a-z]{1,6}$/.test(raw) ? parseInt(raw, 36) : NaN;
      if (!Number.isSafeInteger(offset) || offset >= SEARCH_WINDOW) {
        q.fail({ parameters: { [p.name]: [raw ?? ''] }, message: `The \`${p.name}\` query parameter value [${raw}] is not valid` });
      }
      return offset;
    }
  }
}

/** A v2 endpoint's parameters, checked; reading one it did not declare (or as another type) is a bug. */
export class V2Args {
  private constructor(
    private readonly specs: ReadonlyMap<string, V2Param>,
    private readonly values: ReadonlyMap<string, Value | undefined>,
    /** the parsed JSON body of a POST, or undefined */
    readonly body: unknown,
  ) {}

  /**
   * Checks the query's names (unknown, repeated, field values), then `extra` (the caller check),
   * then each declared parameter in order; throws every failure at once.
   */
  static parse(params: readonly V2Param[], incoming: Incoming, path: Record<string, string>, body: unknown, extra: (q: QueryCheck) => void): V2Args {
    const q = new QueryCheck(incoming.query.filter(([k]) => !k.startsWith('oauth_')), namesIn(params, 'path'), namesIn(params, 'query'));
    extra(q);
    const specs = new Map<string, V2Param>();
    const values = new Map<string, Value | undefined>();
    for (const p of params) {
      specs.set(p.name, p);
      values.set(p.name, checkOne(q, p, path));
    }
    q.done();
    return new V2Args(specs, values, body);
  }

  private read(name: string, ...types: V2Param['type'][]): Value {
    const spec = this.specs.get(name);
    if (spec === undefined || !types.includes(spec.type)) throw new Error(`parameter ${name} is not declared as ${types.join(' or ')}`);
    return this.values.get(name)!;
  }

  id(name: string): bigint {
    return this.read(name, 'id') as bigint;
  }

  /** A path value as given (a username, the caller's id). */
  text(name: string): string {
    return this.read(name, 'username', 'text') as string;
  }

  /** ids or usernames as given (duplicates removed), field names, search terms. */
  list(name: string): string[] {
    return this.read(name, 'ids', 'usernames', 'fields', 'search-query') as string[];
  }

  int(name: string): number {
    return this.read(name, 'int', 'search-token') as number;
  }

  /** A time as ms since epoch; undefined when not given. */
  time(name: string): number | undefined {
    const spec = this.specs.get(name);
    if (spec?.type !== 'time') throw new Error(`parameter ${name} is not declared as time`);
    return this.values.get(name) as number | undefined;
  }

  /** A pagination token as the cursor it stands for; -1 when absent. */
  cursor(name: string): bigint {
    return this.read(name, 'token') as bigint;
  }

  /** How the endpoint writes its tokens (X's OpenAPI shapes differ by list). */
  tokenStyle(name: string): TokenStyle {
    const spec = this.specs.get(name);
    if (spec?.type !== 'token') throw new Error(`parameter ${name} is not declared as token`);
    return spec.style;
  }
}

export const namesIn = (params: readonly V2Param[], where: 'path' | 'query'): string[] =>
  params.filter((p) => p.in === where).map((p) => p.name);
