// Lists the import cycles among src/ modules and exits 1 when there is one. `--types` counts
// `import type` too (erased at run time, but a circle all the same for whoever reads the code).
// Usage: node --import tsx scripts/import-cycles.ts [--types]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..', 'src');
const WITH_TYPES = process.argv.includes('--types');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function typeOnly(s: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(s)) return s.isTypeOnly;
  const clause = s.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  // `import { type A, type B } from` is erased too
  const named = clause.namedBindings;
  return !clause.name && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
}

/** The src modules a file imports (for their values, unless --types). */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const out: string[] = [];
  for (const s of source.statements) {
    if (!(ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) || !s.moduleSpecifier) continue;
    if (!WITH_TYPES && typeOnly(s)) continue;
    const spec = (s.moduleSpecifier as ts.StringLiteral).text;
    if (spec.startsWith('.')) out.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
  }
  return out;
}

const graph = new Map(files(ROOT).map((f) => [f, valueImports(f)]));
const cycles: string[][] = [];
const state = new Map<string, 'open' | 'done'>();
const stack: string[] = [];
function visit(f: string): void {
  state.set(f, 'open');
  stack.push(f);
  for (const g of graph.get(f) ?? []) {
    if (state.get(g) === 'open') cycles.push([...stack.slice(stack.indexOf(g)), g]);
    else if (!state.has(g)) visit(g);
  }
  stack.pop();
  state.set(f, 'done');
}
for (const f of graph.keys()) if (!state.has(f)) visit(f);
for (const c of cycles) console.log(c.map((f) => relative(ROOT, f)).join(' -> '));
console.log(cycles.length === 0 ? 'no import cycles' : `${cycles.length} import cycle(s)`);
process.exitCode = cycles.length === 0 ? 0 : 1;
