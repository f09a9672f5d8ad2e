// Reports import cycles among the modules of src/: `npm run check-imports [-- --strict]`.
// A cycle makes load order matter (a module can see another's bindings before they are set) and
// ties layers that should only point one way. Only imports that run at load count: `import type`
// and `export type` are erased, and `await import()` loads later, on demand. (Under
// verbatimModuleSyntax `import { type A } from` stays as `import {} from`, so it counts.)
// Parsed with the TypeScript compiler API. With --strict a cycle fails (exit 1).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');

/** The relative specifiers a module imports or re-exports at load time. */
function runtimeImports(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && !st.importClause?.isTypeOnly) out.push((st.moduleSpecifier as ts.StringLiteral).text);
    else if (ts.isExportDeclaration(st) && st.moduleSpecifier && !st.isTypeOnly) out.push((st.moduleSpecifier as ts.StringLiteral).text);
  }
  return out.filter((s) => s.startsWith('.'));
}

function modules(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}

/** src/a/b.ts → the modules it loads (a `.js` specifier names the `.ts` file). */
export function importGraph(dir = SRC): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of modules(dir)) {
    graph.set(file, runtimeImports(file).map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts')).filter((f) => f.endsWith('.ts')));
  }
  return graph;
}

/** Each cycle as a closed path (first module repeated at the end), one per strongly connected group (Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) groups.push(group);
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return groups.map((g) => shortestLoop(graph, new Set(g)));
}

/** A shortest closed path through a group, from its first module in name order. */
function shortestLoop(graph: Map<string, string[]>, group: Set<string>): string[] {
  const start = [...group].sort()[0]!;
  const from = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!group.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(from.get(path[0]!)!);
        return [...path, start];
      }
      if (!from.has(w)) from.set(w, v), queue.push(w);
    }
  }
  return [start, start];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const found = cycles(importGraph());
  for (const c of found) process.stdout.write(`import cycle: ${c.map((f) => relative(ROOT, f)).join(' -> ')}\n`);
  process.stdout.write(`${found.length} import cycle${found.length === 1 ? '' : 's'} in src/\n`);
  if (found.length > 0 && process.argv.includes('--strict')) process.exit(1);
}
