import { cycles, folderEdges, folderOf, reachable, type ImportEdge, type ImportGraph } from './import-graph.js';

/**
 * Herald's folder rules as data: which folders are processes and which are libraries, and every
 * "never" of the architecture that can be read off the source. Each rule lists its violations
 * (file:line and why); the boundaries test wants none on the real tree, and proves on made-up trees
 * that each rule does catch what it forbids.
 */

/** Folders that are a process (`herald <module>`, or the `herald` command itself): each has a main.ts. */
export const PROCESSES = ['cli', 'inmail', 'mta', 'push', 'sms', 'stat', 'tracking', 'watchdog', 'web', 'wfserver'] as const;

/** Folders that are libraries, imported by processes and by each other (never by shared/, never in a cycle). */
export const LIBRARIES = ['api', 'bounce', 'db', 'delivery', 'events', 'recipients', 'routing', 'shared', 'tracking-data', 'webhooks', 'workflows'] as const;

/** Packages that talk to a database: only server/db imports them. */
export const DATABASE_PACKAGES = ['sequelize', 'sqlite3', 'mssql', 'tedious', 'pg', 'pg-hstore'] as const;

/** Packages of the HTTP framework: the console and the REST API only (the tracking hot path is plain node:http). */
export const KOA_PACKAGES = ['koa', '@koa/router', '@koa/bodyparser'] as const;

/** The longest a process entry (main.ts) may be: load config, open resources, wire, start, return stop. */
export const MAIN_MAX_LINES = 40;

export interface Rule {
  /** The rule as a sentence (the test title). */
  rule: string;
  violations(graph: ImportGraph): string[];
}

const isProcess = (folder: string) => (PROCESSES as readonly string[]).includes(folder);
const isLibrary = (folder: string) => (LIBRARIES as readonly string[]).includes(folder);
const edges = (graph: ImportGraph): ImportEdge[] => [...graph.files.values()].flatMap((f) => f.imports);
const at = (e: ImportEdge) => `${e.from}:${e.line} → ${e.to}`;
const serverFiles = (graph: ImportGraph) => [...graph.files.values()].filter((f) => f.file.startsWith('server/'));
const inDb = (file: string) => file.startsWith('server/db/');

export const RULES: Rule[] = [
  {
    rule: 'every folder of server/ is either a process or a library',
    violations: (graph) =>
      [...new Set(serverFiles(graph).map((f) => folderOf(f.file)))]
        .filter((folder) => folder && !isProcess(folder) && !isLibrary(folder))
        .map((folder) => `server/${folder}/ is neither in PROCESSES nor in LIBRARIES`),
  },
  {
    rule: 'no two folders of server/ import each other, even through others or for types only',
    violations: (graph) => {
      const byFolder = folderEdges(edges(graph));
      return cycles(byFolder).map((cycle) => {
        const links = cycle.flatMap((a) => cycle.filter((b) => byFolder.get(a)?.has(b)).map((b) => byFolder.get(a)!.get(b)!));
        return `cycle {${cycle.join(', ')}}: ${links.join('; ')}`;
      });
    },
  },
  {
    rule: "a process never imports another process's files, except the CLI starting a module through its main.ts",
    violations: (graph) =>
      edges(graph)
        .filter((e) => e.kind === 'file' && isProcess(folderOf(e.to)) && folderOf(e.from) !== folderOf(e.to) && folderOf(e.from) !== '')
        .filter((e) => !(folderOf(e.from) === 'cli' && e.to === `server/${folderOf(e.to)}/main.ts`))
        .map(at),
  },
  {
    rule: 'a library never imports a process',
    violations: (graph) =>
      edges(graph)
        .filter((e) => e.kind === 'file' && isLibrary(folderOf(e.from)) && isProcess(folderOf(e.to)))
        .map(at),
  },
  {
    rule: 'shared/ imports no other folder (everything may import it)',
    violations: (graph) =>
      edges(graph)
        .filter((e) => e.kind === 'file' && folderOf(e.from) === 'shared' && folderOf(e.to) !== 'shared')
        .map(at),
  },
  {
    rule: 'db/ imports nothing of Herald but shared/ (the dependency direction ends at the database)',
    violations: (graph) =>
      edges(graph)
        .filter((e) => e.kind === 'file' && folderOf(e.from) === 'db' && !['db', 'shared'].includes(folderOf(e.to)))
        .map(at),
  },
  {
    rule: 'only server/db imports a database package (Sequelize and the drivers)',
    violations: (graph) =>
      edges(graph)
        .filter((e) => e.kind === 'package' && e.from.startsWith('server/') && !inDb(e.from) && (DATABASE_PACKAGES as readonly string[]).includes(e.to))
        .map(at),
  },
  {
    rule: 'outside server/db, nothing reaches Sequelize through the database: no .sequelize, no .models, model classes imported for their types only',
    violations: (graph) =>
      serverFiles(graph)
        .filter((f) => !inDb(f.file))
        .flatMap((f) => [
          ...f.properties.filter((p) => p.name === 'sequelize' || p.name === 'models').map((p) => `${f.file}:${p.line} reads .${p.name}`),
          ...f.imports.filter((e) => e.kind === 'file' && e.to.startsWith('server/db/models/') && !e.typeOnly).map((e) => `${at(e)} (a value import)`),
        ]),
  },
  {
    rule: 'SQL stays in server/db: no SQL statement text anywhere else',
    violations: (graph) =>
      serverFiles(graph)
        .filter((f) => !inDb(f.file))
        .flatMap((f) => f.sql.map((line) => `${f.file}:${line} holds SQL`)),
  },
  {
    rule: 'dialects are told apart only in server/db and the config schema',
    violations: (graph) =>
      serverFiles(graph)
        .filter((f) => !inDb(f.file) && !f.file.startsWith('server/shared/config/'))
        .flatMap((f) => f.dialects.map((line) => `${f.file}:${line} names a dialect`)),
  },
  {
    rule: 'every repository function that reads or writes takes the database (db: Database) first',
    violations: (graph) =>
      serverFiles(graph)
        .filter((f) => f.file.startsWith('server/db/repos/'))
        .flatMap((f) =>
          f.functions
            .filter((fn) => fn.async && (fn.first?.name !== 'db' || fn.first.type !== 'Database'))
            .map((fn) => `${f.file}:${fn.line} ${fn.name}(${fn.first ? `${fn.first.name}: ${fn.first.type}` : ''}…)`),
        ),
  },
  {
    rule: 'the tracking module never reaches the database, its drivers, the tracking-data library or Koa',
    violations: (graph) => {
      const entry = 'server/tracking/main.ts';
      if (!graph.files.has(entry)) return [];
      const { files, packages } = reachable(graph, entry);
      return [
        ...[...files].filter((f) => inDb(f) || f.startsWith('server/tracking-data/')).map((f) => `${entry} reaches ${f}`),
        ...[...DATABASE_PACKAGES, ...KOA_PACKAGES].filter((p) => packages.has(p)).map((p) => `${entry} reaches the ${p} package`),
      ];
    },
  },
  {
    rule: 'the stat server never reaches the database or its drivers (it keeps its ledger in memory)',
    violations: (graph) => {
      const entry = 'server/stat/main.ts';
      if (!graph.files.has(entry)) return [];
      const { files, packages } = reachable(graph, entry);
      return [
        ...[...files].filter((f) => inDb(f)).map((f) => `${entry} reaches ${f}`),
        ...DATABASE_PACKAGES.filter((p) => packages.has(p)).map((p) => `${entry} reaches the ${p} package`),
      ];
    },
  },
  {
    rule: 'only the console and the REST API (web/, api/) import Koa',
    violations: (graph) =>
      edges(graph)
        .filter((e) => e.kind === 'package' && e.from.startsWith('server/') && (KOA_PACKAGES as readonly string[]).includes(e.to))
        .filter((e) => !['web', 'api'].includes(folderOf(e.from)))
        .map(at),
  },
  {
    rule: `every process has a main.ts of at most ${MAIN_MAX_LINES} lines, and no library has one`,
    violations: (graph) => {
      const folders = new Set(serverFiles(graph).map((f) => folderOf(f.file)));
      return [...folders].flatMap((folder) => {
        const main = graph.files.get(`server/${folder}/main.ts`);
        if (isLibrary(folder)) return main ? [`server/${folder}/main.ts: a library has no process entry`] : [];
        if (!isProcess(folder)) return [];
        if (!main) return [`server/${folder}/ has no main.ts`];
        return main.lines > MAIN_MAX_LINES ? [`server/${folder}/main.ts has ${main.lines} lines`] : [];
      });
    },
  },
  {
    rule: 'process.exit is called only by a process entry (main.ts) or the process lifecycle (shared/run-process.ts)',
    violations: (graph) =>
      serverFiles(graph)
        .filter((f) => !f.file.endsWith('/main.ts') && f.file !== 'server/shared/run-process.ts')
        .flatMap((f) => f.exits.map((line) => `${f.file}:${line} calls process.exit`)),
  },
];
