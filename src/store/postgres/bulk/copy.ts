// COPY ... FROM STDIN in PostgreSQL's text format, written with back-pressure.
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { PoolClient, Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A value in COPY's text format: \N is NULL; backslash, tab and line breaks are escaped. */
export function copyValue(v: string | number | bigint | boolean | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v !== 'string') return String(v);
  return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

export class CopyIn {
  private readonly stream;
  private chunk = '';

  constructor(client: Client | PoolClient, sql: string) {
    this.stream = client.query(copyFrom(sql));
  }

  async row(values: readonly (string | number | bigint | boolean | null | undefined)[]): Promise<void> {
    this.chunk += `${values.map(copyValue).join('\t')}\n`;
    if (this.chunk.length >= 1 << 16) await this.flush();
  }

  async end(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
  }

  private async flush(): Promise<void> {
    const ok = this.stream.write(this.chunk);
    this.chunk = '';
    if (!ok) await once(this.stream, 'drain');
  }
}
