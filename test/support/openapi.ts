// Validates v2 responses against X's OpenAPI document for API v2 (twitter-openapi-v2.json,
// version 2.134, OpenAPI 3.0) with ajv: the schema of (path template, method, status, content
// type) is compiled from the document, its $refs resolved against the document's components.
// The document is test/fixtures/openapi-v2.json: the operations roost serves and the components
// they reference (scripts/gen-fixtures.ts); a path roost does not serve has no operation here.
//
// OpenAPI 3.0 specifics:
// - the whole document is registered under the id `openapi`; a response schema is compiled as
//   `{ $ref: 'openapi#/paths/<template>/<method>/responses/<status>/content/<type>/schema' }`;
// - `strict: false`: `example`, `discriminator` and the other OpenAPI-only keywords are ignored;
// - `Problem` carries an inheritance-style `discriminator` (the subtypes are `allOf: [Problem, …]`,
//   there is no `oneOf`), which ajv's own `discriminator` option cannot take. It is rewritten
//   here: `ProblemBase` is the plain object schema, and `Problem` becomes `ProblemBase` plus, for
//   every `type` in the mapping, "if type is this URI then the mapped subtype" (whose own
//   `allOf` now points at `ProblemBase`). A problem is therefore checked against its subtype
//   (ResourceNotFoundProblem requires parameter/value/resource_id/resource_type, and so on);
// - formats: ajv-formats (`date-time`, `uri`) plus the document's own `int32`, `long`, `double`,
//   `binary` and a pattern used as a format name;
// - the document has no `nullable`; ajv understands it anyway.
//
// Endpoints roost serves that the document lacks: POST /2/users/{id}/blocking and DELETE
// /2/users/{source_user_id}/blocking/{target_user_id} were removed by X in 2023 and are absent
// from every saved document. They are validated against the v2 contract's stated shape instead
// (§8.2-8.3: `BlockUserMutationResponse`, `{"data":{"blocking":bool}}`, declared below in the
// document's own style), and their errors against `Problem` like every other v2 route (§5.1).
// Unknown /2 paths have no operation at all: `validateProblem` checks them against `Problem`.
// The Activity API's operations come from X's current document (scripts/fixtures/build.ts).
import assert from 'node:assert/strict';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { fixture } from './recorded.js';

// ajv-formats is CommonJS: TypeScript (NodeNext) types its default import as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin;

type Obj = Record<string, any>;

const DOC: Obj = fixture('openapi-v2.json');
const REF = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Block writes: absent from the document (see above), in the contract's shape (§8.2, §8.3). */
function addBlockWrites(doc: Obj): void {
  doc.components.schemas.BlockUserMutationResponse = {
    type: 'object',
    properties: {
      data: { type: 'object', properties: { blocking: { type: 'boolean' } } },
      errors: { type: 'array', minItems: 1, items: REF('Problem') },
    },
  };
  const op = {
    responses: {
      200: { content: { 'application/json': { schema: REF('BlockUserMutationResponse') } } },
      default: { content: { 'application/json': { schema: REF('Error') }, 'application/problem+json': { schema: REF('Problem') } } },
    },
  };
  doc.paths['/2/users/{id}/blocking'].post ??= structuredClone(op);
  doc.paths['/2/users/{source_user_id}/blocking/{target_user_id}'] ??= {};
  doc.paths['/2/users/{source_user_id}/blocking/{target_user_id}'].delete ??= structuredClone(op);
}

/** Replaces Problem's inheritance discriminator by explicit if/then dispatch (see above). */
function dispatchProblems(doc: Obj): void {
  const schemas = doc.components.schemas;
  const { discriminator, ...base } = schemas.Problem;
  schemas.ProblemBase = base;
  const branches: Obj[] = [];
  for (const [type, ref] of Object.entries(discriminator.mapping as Record<string, string>)) {
    const name = ref.split('/').pop()!;
    const sub = schemas[name];
    for (const part of sub.allOf ?? []) if (part.$ref === '#/components/schemas/Problem') part.$ref = '#/components/schemas/ProblemBase';
    branches.push({ if: { properties: { type: { const: type } }, required: ['type'] }, then: { $ref: ref } });
  }
  schemas.Problem = { allOf: [REF('ProblemBase'), ...branches] };
}

/**
 * An activity event's payload is chosen by the event_type beside it (a discriminator at
 * `../event_type`, which ajv cannot follow), and its oneOf cannot choose alone: a like's schema
 * requires nothing, so every payload matches it. Rewritten as "if event_type is T then payload
 * is T's schema", for every T in the mapping.
 */
function dispatchActivityPayloads(doc: Obj): void {
  const schemas = doc.components.schemas;
  const payload = schemas.ActivityStreamingResponsePayload;
  if (!payload) return;
  const data = schemas.ActivityStreamResponse.properties.data;
  const branches = Object.entries(payload.discriminator.mapping as Record<string, string>).map(([type, ref]) => ({
    if: { properties: { event_type: { const: type } }, required: ['event_type'] }, then: { properties: { payload: { $ref: ref } } },
  }));
  schemas.ActivityStreamResponse.properties.data = { ...data, properties: { ...data.properties, payload: { type: 'object' } }, allOf: branches };
}

const prepared = structuredClone(DOC);
addBlockWrites(prepared);
dispatchProblems(prepared);
dispatchActivityPayloads(prepared);

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, logger: false });
addFormats(ajv);
ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
ajv.addFormat('long', { type: 'number', validate: (n: number) => Number.isInteger(n) });
ajv.addFormat('double', { type: 'number', validate: () => true });
ajv.addFormat('binary', true);
ajv.addFormat('^[0-9]{1,19}$', /^[0-9]{1,19}$/);
ajv.addSchema(prepared, 'openapi');

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const compiled = new Map<string, ValidateFunction>();

function validator(ref: string): ValidateFunction {
  let v = compiled.get(ref);
  if (!v) compiled.set(ref, (v = ajv.compile({ $ref: ref })));
  return v;
}

/** The document's path template for a concrete /2 path and method, or undefined. */
export function templateOf(method: string, path: string): string | undefined {
  const p = path.split('?')[0]!;
  const m = method.toLowerCase();
  const candidates = Object.keys(prepared.paths).filter((t) => prepared.paths[t][m]);
  // Literal segments beat parameters (/2/users/me before /2/users/{id}).
  const score = (t: string) => t.split('/').filter((s) => !s.startsWith('{')).length;
  return candidates
    .filter((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(p))
    .sort((a, b) => score(b) - score(a))[0];
}

export interface ResponseUnderTest {
  method: string;
  /** a path template (`/2/users/{id}`) or a concrete path (`/2/users/123?x=1`) */
  path: string;
  status: number;
  /** the Content-Type header; its media type picks the schema */
  contentType?: string | null;
  body: unknown;
}

/**
 * Asserts the body matches the document's schema for this operation and status (`default`
 * when the status has no entry), for the reply's media type. Error statuses must be problem objects.
 */
export function validateResponse(r: ResponseUnderTest): void {
  const template = r.path.includes('{') ? r.path : templateOf(r.method, r.path);
  const label = `${r.method.toUpperCase()} ${r.path} → ${r.status}`;
  assert.ok(template, `${label}: no operation in the OpenAPI document`);
  const op = prepared.paths[template][r.method.toLowerCase()];
  const statusKey = op.responses[String(r.status)] ? String(r.status) : 'default';
  const response = op.responses[statusKey];
  assert.ok(response?.content, `${label}: the document defines no ${statusKey} response`);
  const mediaType = (r.contentType ?? (r.status < 400 ? 'application/json' : 'application/problem+json')).split(';')[0]!.trim();
  if (r.status >= 400) assert.equal(mediaType, 'application/problem+json', `${label}: errors are problem objects`);
  else assert.equal(mediaType, 'application/json', `${label}: content type`);
  assert.ok(response.content[mediaType], `${label}: no ${mediaType} content for ${statusKey}`);
  check(validator(`openapi#/${pointer('paths', template, r.method.toLowerCase(), 'responses', statusKey, 'content', mediaType, 'schema')}`), r.body, label);
}

/** A problem object not tied to an operation (unknown /2 routes): checked against `Problem`. */
export function validateProblem(body: unknown, label = 'problem'): void {
  check(validator('openapi#/components/schemas/Problem'), body, label);
}

/** Asserts a value matches a named component schema (e.g. `User`, `ResourceNotFoundProblem`). */
export function validateComponent(name: string, value: unknown): void {
  assert.ok(prepared.components.schemas[name], `no component schema ${name}`);
  check(validator(`openapi#/components/schemas/${name}`), value, name);
}

/** Asserts a value matches the schema of a query or path parameter of an operation (e.g. `pagination_token`). */
export function validateParameter(method: string, template: string, name: string, value: unknown): void {
  const op = prepared.paths[template]?.[method.toLowerCase()];
  assert.ok(op, `no operation ${method} ${template}`);
  const params = [...(prepared.paths[template].parameters ?? []), ...(op.parameters ?? [])] as Obj[];
  const resolved = params.map((p) => (p.$ref ? prepared.components.parameters[p.$ref.split('/').pop()] : p));
  const i = resolved.findIndex((p) => p.name === name);
  assert.ok(i >= 0, `${method} ${template} has no parameter ${name}`);
  const at = params[i]!.$ref
    ? pointer('components', 'parameters', params[i]!.$ref.split('/').pop())
    : pointer('paths', template, method.toLowerCase(), 'parameters', String(i - (prepared.paths[template].parameters ?? []).length));
  check(validator(`openapi#/${at}/schema`), value, `${method} ${template} ${name}`);
}

function check(validate: ValidateFunction, value: unknown, label: string): void {
  if (validate(value)) return;
  const errors = (validate.errors ?? [])
    .filter((e) => e.keyword !== 'if') // the failed branch is reported on its own
    .map((e) => `${e.instancePath || '/'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
  assert.fail(`${label}: does not match the OpenAPI schema:\n  ${errors.join('\n  ')}\nbody: ${JSON.stringify(value).slice(0, 2000)}`);
}

/** The exact bodies of the v2 contract's §5.6 catalogue, by the start of their label (`401`, `429`, `403 — app-only`). */
export function catalogueBody(labelStart: string): string {
  const catalogue = (fixture('spec.json') as { v2_catalogue: { label: string; body: string }[] }).v2_catalogue;
  const matches = catalogue.filter((c) => c.label.startsWith(labelStart)).map((c) => c.body);
  assert.equal(matches.length, 1, `§5.6 has ${matches.length} bodies labelled "${labelStart}…"`);
  return matches[0]!;
}
