// Checks the imports among the modules of src/: `npm run check-imports [-- --strict]`.
// - Cycles. A cycle makes load order matter (a module can see another's bindings before they are
//   set). Only imports that run at load count: `import type` and `export type` are erased, and
//   `await import()` loads later, on demand. (Under verbatimModuleSyntax `import { type A } from`
//   stays as `import {} from`, so it counts.)
// - Layers. src/ is a stack of layers (LAYERS); a module imports its own layer and those below,
//   never one above. Here every import counts, types and `import()` included: a type names what
//   a module depends on as surely as a value does.
// Parsed with the TypeScript compiler API. With --strict a cycle, an upward import or a module in
// no layer fails (exit 1).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');

/**
 * src/'s layers, top first. A name is a folder or a file of src/ (without `.ts`), matched by the
 * longest one that holds a module, so a single file can be placed apart from its folder.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['cli', 'docs'], // commands, and the generator of docs/api.md
  ['server'], // one process: http, the emulator, observability, TLS
  ['console'], // the web console: its routes and request capture, over the emulator and http
  ['emulator'], // a server with fixtures, a clock and faults, around http
  ['http'], // the pipeline, routes and pages
  ['observability'],
  ['services', 'tls'], // what a route may use, built once; certificates
  ['webhooks'], // registration, CRC, delivery, Account Activity
  ['bulk'], // file formats, the generator, imports
  ['admin'], // accounts, apps and tokens made by an operator
  ['limits'],
  ['auth'],
  ['wire'], // v1.1 and v2 JSON
  ['config'],
  ['graph'], // the rules
  ['events'], // event feeds across processes, retention; the Activity API's rules over the outbox
  ['store', 'events/types', 'graph/snowflake'], // the ports and their adapters; the event contract; id minting
  ['shared-state', 'clock', 'signal'],
];

/** The relative specifiers a module imports or re-exports: at load time only, or every one. */
function importsOf(file: string, loadTimeOnly: boolean): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && (!loadTimeOnly || !node.importClause?.isTypeOnly)) out.push((node.moduleSpecifier as ts.StringLiteral).text);
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && (!loadTimeOnly || !node.isTypeOnly)) out.push((node.moduleSpecifier as ts.StringLiteral).text);
    else if (!loadTimeOnly && ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0]!)) out.push(node.arguments[0].text);
    else if (!loadTimeOnly && ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) out.push(node.argument.literal.text);
    if (!loadTimeOnly) ts.forEachChild(node, visit);
  };
  sf.statements.forEach(visit);
  return out.filter((s) => s.startsWith('.'));
}

function modules(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}

/**
 * src/a/b.ts → the modules it loads (a `.js` specifier names the `.ts` file); with `every`, the
 * modules it names in any way, types and later loads included.
 */
export function importGraph(dir = SRC, every = false): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of modules(dir)) {
    graph.set(file, importsOf(file, !every).map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts')).filter((f) => f.endsWith('.ts')));
  }
  return graph;
}

/** The rank of a module's layer (0 is the top), or undefined when no layer names it. */
function rankOf(module: string, layers: readonly (readonly string[])[]): number | undefined {
  let best: { rank: number; length: number } | undefined;
  layers.forEach((names, rank) => {
    for (const name of names) {
      if ((module === name || module.startsWith(`${name}/`)) && name.length > (best?.length ?? -1)) best = { rank, length: name.length };
    }
  });
  return best?.rank;
}

export interface LayerBreach {
  from: string;
  to: string;
  /** the layer names of each end, or null for a module that no layer holds */
  fromLayer: string | null;
  toLayer: string | null;
}

/** Every import that points to a higher layer, and every module no layer holds (as `to` = `from`). */
export function layerBreaches(graph: Map<string, string[]>, dir = SRC, layers = LAYERS): LayerBreach[] {
  const name = (file: string) => relative(dir, file).replace(/\.ts$/, '');
  const layerName = (rank: number | undefined) => (rank === undefined ? null : layers[rank]!.join(', '));
  const out: LayerBreach[] = [];
  for (const [file, targets] of graph) {
    const rank = rankOf(name(file), layers);
    if (rank === undefined) {
      out.push({ from: file, to: file, fromLayer: null, toLayer: null });
      continue;
    }
    for (const target of new Set(targets)) {
      const above = rankOf(name(target), layers);
      if (above !== undefined && above < rank) out.push({ from: file, to: target, fromLayer: layerName(rank), toLayer: layerName(above) });
    }
  }
  return out;
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
  const breaches = layerBreaches(importGraph(SRC, true));
  for (const b of breaches) {
    process.stdout.write(b.fromLayer === null
      ? `in no layer: ${relative(ROOT, b.from)} (place it in LAYERS, scripts/check-imports.ts)\n`
      : `upward import: ${relative(ROOT, b.from)} (${b.fromLayer}) -> ${relative(ROOT, b.to)} (${b.toLayer})\n`);
  }
  process.stdout.write(`${breaches.length} layer breach${breaches.length === 1 ? '' : 'es'} in src/\n`);
  if (found.length + breaches.length > 0 && process.argv.includes('--strict')) process.exit(1);
}
