// JSON text with 64-bit ids written as exact integer tokens: a bigint becomes its digits,
// never a rounded double. Everything else follows JSON.stringify (undefined members dropped).
export type Json = string | number | boolean | bigint | null | undefined | readonly Json[] | { readonly [key: string]: Json };

export function toJson(value: Json): string {
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'null';
    default:
      break;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((v: Json) => toJson(v)).join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as { [key: string]: Json })) {
    if (v !== undefined) parts.push(`${JSON.stringify(k)}:${toJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}
