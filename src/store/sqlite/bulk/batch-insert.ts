// Multi-row INSERTs: one statement call per many rows, so per-call overhead stops dominating.
import type Database from 'better-sqlite3';

export class BatchInsert {
  private readonly full;
  private readonly params: unknown[];
  private rows = 0;
  private readonly partials = new Map<number, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly head: string,
    private readonly row: string,
    private readonly width: number,
    private readonly batch = 256,
  ) {
    this.full = db.prepare(this.sql(batch));
    this.params = new Array(width * batch);
  }

  /** Appends one row's values; runs the statement when the batch is full. */
  push(...values: unknown[]): void {
    const at = this.rows * this.width;
    for (let i = 0; i < this.width; i++) this.params[at + i] = values[i];
    if (++this.rows === this.batch) {
      this.full.run(this.params);
      this.rows = 0;
    }
  }

  flush(): void {
    if (this.rows === 0) return;
    let stmt = this.partials.get(this.rows);
    if (!stmt) this.partials.set(this.rows, (stmt = this.db.prepare(this.sql(this.rows))));
    stmt.run(this.params.slice(0, this.rows * this.width));
    this.rows = 0;
  }

  private sql(rows: number): string {
    return `${this.head} VALUES ${Array(rows).fill(this.row).join(',')}`;
  }
}
