import { toJson, type Json } from '../wire/json.js';
import type { UserRow } from '../store/types.js';
import { renderUserV1 } from '../wire/v1/user.js';
import type { ServerConfig } from '../config.js';

export class CliError extends Error {}

export function print(value: Json): void {
  process.stdout.write(`${toJson(value)}\n`);
}

export function userJson(user: UserRow, config: ServerConfig): Json {
  const host = config.publicUrl ? new URL(config.publicUrl).host : `${config.host}:${config.port}`;
  return renderUserV1(user, {
    variant: 'show', relation: null, isViewer: false, includeEntities: true, assets: { http: `http://${host}`, https: `https://${host}` },
  });
}
