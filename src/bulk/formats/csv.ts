// CSV files with a header row, read record by record with the line each record ends on.
import { parse } from 'csv-parse';
import { BadLineError, openInput, type BadLines } from './files.js';

export interface CsvRecord {
  line: number;
  fields: Record<string, string>;
}

/** Records of a CSV file; a header lacking a required column is fatal whatever the mode. */
export async function* readCsv(path: string, bad: BadLines, required: readonly string[]): AsyncGenerator<CsvRecord> {
  const parser = (await openInput(path)).pipe(parse({
    bom: true, info: true, skip_empty_lines: true, skip_records_with_error: true,
    columns: (header: string[]) => {
      const names = header.map((h) => h.trim());
      const missing = required.filter((c) => !names.includes(c));
      if (missing.length > 0) throw new BadLineError(path, 1, `header lacks ${missing.map((c) => `"${c}"`).join(', ')}`);
      return names;
    },
    on_skip: (err) => {
      bad.add((err as { lines?: number } | undefined)?.lines ?? 0, err?.message ?? 'unreadable record');
      return undefined;
    },
  }));
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    yield { line: info.lines, fields: record };
  }
}

export function csvBool(value: string | undefined): boolean | null {
  const v = (value ?? '').trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0' || v === '') return false;
  return null;
}
