import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import ts from 'typescript';

/**
 * The import graph of a source tree, read with the TypeScript parser (so comments and strings never
 * count, and every kind of import does): `import`, `import type`, `export … from`, `import()`,
 * `import('x').T` in types, `import x = require()`. Paths are relative to the root, with `/`.
 */

export interface ImportEdge {
  /** The importing file. */
  from: string;
  /** The imported file (relative imports) or package name (bare imports). */
  to: string;
  kind: 'file' | 'package';
  typeOnly: boolean;
  line: number;
}

export interface SourceFacts {
  file: string;
  lines: number;
  imports: ImportEdge[];
  /** Property names read anywhere in the file (`x.sequelize` → "sequelize"), with their lines. */
  properties: Array<{ name: string; line: number }>;
  /** Calls of `process.exit`, with their lines. */
  exits: number[];
  /** Lines of string literals that read as SQL statements (SELECT … FROM, INSERT INTO, UPDATE … SET, DELETE FROM). */
  sql: number[];
  /** Lines of string literals naming a database dialect ('sqlite', 'mssql', 'postgres'). */
  dialects: number[];
  /** Exported function declarations: name, line, whether they return a promise, their first parameter. */
  functions: Array<{ name: string; line: number; async: boolean; first?: { name: string; type: string } }>;
}

export interface ImportGraph {
  files: Map<string, SourceFacts>;
}

const SQL = /\b(SELECT\s+[\s\S]+?\s+FROM|INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM)\s/i;
const DIALECTS = new Set(['sqlite', 'mssql', 'postgres']);

/** The package an import names: `@scope/name` or `name` (`node:` built-ins keep their prefix). */
export function packageOf(specifier: string): string {
  if (specifier.startsWith('node:')) return specifier;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The facts of one file, from its text. `resolveFile` maps a relative specifier to a file of the graph. */
export function scanSource(file: string, text: string, resolveFile: (specifier: string) => string): SourceFacts {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const facts: SourceFacts = {
    file,
    lines: text.replace(/\n$/, '').split('\n').length,
    imports: [],
    properties: [],
    exits: [],
    sql: [],
    dialects: [],
    functions: [],
  };
  const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const add = (specifier: string, typeOnly: boolean, node: ts.Node) => {
    const relativeImport = specifier.startsWith('.');
    facts.imports.push({
      from: file,
      to: relativeImport ? resolveFile(specifier) : packageOf(specifier),
      kind: relativeImport ? 'file' : 'package',
      typeOnly,
      line: lineOf(node),
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const everyNameTyped = !!named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly) && !clause?.name;
      add(node.moduleSpecifier.text, !!clause && (clause.isTypeOnly || everyNameTyped), node);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly, node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expr = node.moduleReference.expression;
      if (ts.isStringLiteral(expr)) add(expr.text, node.isTypeOnly, node);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) add(arg.text, false, node);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true, node);
    } else if (ts.isPropertyAccessExpression(node)) {
      facts.properties.push({ name: node.name.text, line: lineOf(node.name) });
      if (ts.isIdentifier(node.expression) && node.expression.text === 'process' && node.name.text === 'exit') facts.exits.push(lineOf(node));
    } else if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node)) {
      if (SQL.test(node.text)) facts.sql.push(lineOf(node));
      if (DIALECTS.has(node.text)) facts.dialects.push(lineOf(node));
    } else if (ts.isFunctionDeclaration(node) && node.name && node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      const returns = node.type?.getText(sf) ?? '';
      const first = node.parameters[0];
      facts.functions.push({
        name: node.name.text,
        line: lineOf(node),
        async: !!node.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) || /^(Promise|AsyncGenerator|AsyncIterable)</.test(returns),
        first: first ? { name: first.name.getText(sf), type: first.type?.getText(sf) ?? '' } : undefined,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return facts;
}

/** Every .ts file under `dir` (recursively). */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}

/** The import graph of the .ts files under `root/dir`; a relative import of a missing file throws. */
export function readGraph(root: string, dir: string): ImportGraph {
  const sources = new Map(sourceFiles(join(root, dir)).map((path) => [relative(root, path).split('\\').join('/'), readFileSync(path, 'utf8')]));
  return graphOf(sources, (file) => existsSync(join(root, file)));
}

/**
 * The import graph of sources given by path (relative, with `/`): the real tree, or a made-up one
 * in a test. A relative import of a file that does not exist throws.
 */
export function graphOf(sources: ReadonlyMap<string, string>, exists: (file: string) => boolean = (file) => sources.has(file)): ImportGraph {
  const files = new Map<string, SourceFacts>();
  for (const [file, text] of sources) {
    const resolveFile = (specifier: string) => {
      const target = posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
      if (!exists(target)) throw new Error(`${file} imports a missing ${specifier}`);
      return target;
    };
    files.set(file, scanSource(file, text, resolveFile));
  }
  return { files };
}

/** The top folder of a file under `server/` (`server/db/repos/x.ts` → "db"). */
export function folderOf(file: string): string {
  const parts = file.split('/');
  return parts[0] === 'server' && parts.length > 2 ? parts[1]! : '';
}

/** Folder → the folders it imports (type-only imports included), from a graph of file edges. */
export function folderEdges(edges: Iterable<Pick<ImportEdge, 'from' | 'to' | 'kind'>>): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const e of edges) {
    if (e.kind !== 'file') continue;
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (!a || !b || a === b) continue;
    const targets = out.get(a) ?? new Map<string, string>();
    if (!targets.has(b)) targets.set(b, `${e.from} → ${e.to}`);
    out.set(a, targets);
  }
  return out;
}

/** The cycles of a directed graph: its strongly connected components of two or more nodes (Tarjan). */
export function cycles(edges: ReadonlyMap<string, ReadonlyMap<string, string>>): string[][] {
  const nodes = new Set<string>([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const connect = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of [...nodes].sort()) if (!index.has(v)) connect(v);
  return out;
}

/** Every file reachable from `entry` through file imports (type-only ones included), and the packages they name. */
export function reachable(graph: ImportGraph, entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const e of graph.files.get(file)?.imports ?? []) {
      if (e.kind === 'file') visit(e.to);
      else packages.add(e.to);
    }
  };
  visit(entry);
  return { files, packages };
}
