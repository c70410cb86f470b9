import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { databaseServer, databaseTarget, openDatabase } from '../../db/connect.js';
import { migrate } from '../../db/migrate.js';
import { fromRoot } from '../../shared/app-root.js';
import { initSiteConfig } from '../../shared/config/init-site.js';
import { duplicateHosts, normalizeHost } from '../../shared/config/host-table.js';
import { addedInstances, instanceNameProblem, instanceSiteFile, mainSiteFile, type InstanceEntry } from '../../shared/config/instances.js';
import { loadConfig } from '../../shared/config/load.js';
import { instancePaths } from '../../shared/config/paths.js';
import { MODULE_NAMES, type HeraldConfig } from '../../shared/config/schema.js';
import { describeError, HeraldError, UsageError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import type { Command, CommandInput } from '../command.js';
import { mainControl, runningInstance } from '../instance-state.js';
import { StoppedInstances } from '../../shared/stopped-instances.js';
import { statServerChoice } from '../instance-stat.js';

/**
 * `herald instance add|list|remove`: the instances of this appliance. The install's own site
 * config is the default instance; every added one gets its own site config (instances/<name>.toml
 * beside it) with its own generated secrets, data folder and database (its own SQLite file, or the
 * networked database given with --database), migrated at once.
 */

interface Listed extends InstanceEntry {
  config?: HeraldConfig;
  problem?: string;
}

function everyInstance(input: CommandInput): { main: string; list: Listed[] } {
  const main = mainSiteFile(input.siteFile);
  const load = (e: InstanceEntry): Listed => {
    try {
      return { ...e, config: loadConfig({ siteFile: e.siteFile, overrides: input.overrides }).config };
    } catch (err) {
      return { ...e, problem: describeError(err) };
    }
  };
  const primary = loadConfig({ siteFile: main, overrides: input.overrides }).config;
  return {
    main,
    list: [{ name: primary.instanceName, siteFile: main, isDefault: true, config: primary }, ...addedInstances(main).map(load)],
  };
}

/**
 * `--host` and `--tracking-host`: the host names the one web and the one tracking process serve the
 * new instance under (its public URLs follow, in https). A host another instance declares is refused.
 */
function hostFlags(input: CommandInput, list: readonly Listed[], name: string): Array<{ path: string[]; value: unknown }> {
  const values: Array<{ path: string[]; value: unknown }> = [];
  const given = [
    ['web', input.flags.host as string | undefined],
    ['tracking', input.flags['tracking-host'] as string | undefined],
  ] as const;
  for (const [module, flag] of given) {
    if (flag === undefined) continue;
    const host = normalizeHost(flag);
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/.test(host))
      throw new UsageError(`--${module === 'web' ? 'host' : 'tracking-host'}: "${flag}" is not a host name`);
    const claims = [
      ...list.filter((i) => i.config).map((i) => ({ instance: i.name, siteFile: i.siteFile, key: `${module}.hosts`, hosts: i.config![module].hosts })),
      { instance: name, siteFile: '(new)', key: `${module}.hosts`, hosts: [host] },
    ];
    const clash = duplicateHosts(claims).find((p) => p.instance === name);
    if (clash) throw new UsageError(`--${module === 'web' ? 'host' : 'tracking-host'}: ${clash.reason}`);
    values.push({ path: [module, 'hosts'], value: [host] }, { path: [module, 'publicUrl'], value: `https://${host}` });
  }
  return values;
}

/** The inMail port of a new instance: the one asked for, else one above the highest any instance uses. */
function nextInmailPort(list: readonly Listed[]): number {
  return Math.max(...list.map((i) => i.config?.inmail.port ?? 0).filter((p) => p > 0), 2524) + 1;
}

async function add(input: CommandInput): Promise<number> {
  const name = input.args[0]!;
  const { main, list } = everyInstance(input);
  const primary = list[0]!.config!;
  const problem = instanceNameProblem(name, primary.instanceName);
  if (problem) throw new UsageError(problem);
  const file = instanceSiteFile(main, name);
  if (existsSync(file)) throw new UsageError(`instance "${name}" exists already (${file})`);
  const url = input.flags.database as string | undefined;
  const portFlag = input.flags['inmail-port'] as string | undefined;
  const inmailPort = portFlag === undefined ? nextInmailPort(list) : Number(portFlag);
  if (!Number.isInteger(inmailPort) || inmailPort < 0 || inmailPort > 65535) throw new UsageError(`--inmail-port: "${portFlag}" is not a TCP port (0-65535)`);
  const hosts = hostFlags(input, list, name);
  const dataDir = join(primary.dataDir, 'instances', name);
  const stat = statServerChoice(primary, {
    server: input.flags['stat-server'] as string | undefined,
    keyFile: input.flags['stat-key-file'] as string | undefined,
  });
  const values = [
    ...hosts,
    // The one tracking process of the appliance serves every instance: this one's URL pushes and log shipping go to it.
    { path: ['tracking', 'host'], value: primary.tracking.host },
    { path: ['tracking', 'port'], value: primary.tracking.port },
    // Its tracked links carry its name, signed: the shared tracking process hands their hits to it.
    { path: ['tracking', 'instanceTag'], value: true },
    { path: ['instanceName'], value: name },
    { path: ['inmail', 'port'], value: inmailPort },
    // One watchdog serves every instance; each module of an added instance takes any free metrics
    // port (herald metrics finds it through the watchdog), so instances never collide on them.
    ...['watchdog', ...MODULE_NAMES].map((m) => ({ path: ['metrics', 'ports', m], value: 0 })),
    ...(url ? [{ path: ['database', 'url'], value: url, secret: true }] : []),
    ...stat.values,
  ];
  initSiteConfig(file, { dataDir, env: {}, values });
  let config: HeraldConfig;
  try {
    config = loadConfig({ siteFile: file, overrides: input.overrides }).config;
  } catch (err) {
    rmSync(file, { force: true }); // nothing was made from it yet: leave no half-made instance behind
    throw err;
  }
  const paths = instancePaths(config);
  mkdirSync(paths.dataDir, { recursive: true, mode: 0o750 });
  input.out.write(`added instance ${name}\n  site config: ${file} (secrets generated)\n  data folder: ${paths.dataDir}\n`);
  input.out.write(`  database:    ${databaseTarget(config, paths)}\n  inMail port: ${inmailPort}\n  stat server: ${stat.shown}\n`);
  if (config.web.hosts.length > 0) input.out.write(`  web host:    ${config.web.hosts.join(', ')}\n`);
  if (config.tracking.hosts.length > 0) input.out.write(`  tracking:    ${config.tracking.hosts.join(', ')}\n`);
  try {
    const db = await openDatabase(config, paths);
    try {
      const applied = await migrate(db);
      input.out.write(`  migrated:    ${applied.length} migrations\n`);
    } finally {
      await db.close();
    }
  } catch (err) {
    input.err.write(
      `herald: instance ${name} is added but its database is not ready: ${describeError(err)}\n  then run: herald --instance ${name} db migrate\n`,
    );
    return EXIT.UNAVAILABLE;
  }
  input.out.write(
    `next:\n  herald --instance ${name} operator add admin --rights admin --first   (its first operator)\n` +
      `  herald start ${name}   (when Herald runs already; herald start runs every instance)\n`,
  );
  return EXIT.OK;
}

async function list(input: CommandInput): Promise<number> {
  const { list: all } = everyInstance(input);
  const states = await Promise.all(all.map((i) => runningInstance(input, i.name)));
  const rows = all.map((i, n) => {
    const paths = i.config ? instancePaths(i.config) : undefined;
    return {
      name: i.name,
      default: i.isDefault,
      state: states[n]!.state,
      siteFile: i.siteFile,
      dataDir: paths?.dataDir ?? null,
      database: i.config && paths ? databaseTarget(i.config, paths) : null,
      problem: i.problem ?? null,
    };
  });
  if (input.flags.json) {
    input.out.write(`${JSON.stringify({ instances: rows })}\n`);
    return EXIT.OK;
  }
  const table = [
    ['instance', 'state', 'data folder', 'database'],
    ...rows.map((r) => [`${r.name}${r.default ? ' (default)' : ''}`, r.state, r.dataDir ?? '-', r.database ?? r.problem ?? '-']),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  input.out.write(table.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n') + '\n');
  return EXIT.OK;
}

/** A folder `purge` may delete: inside the install or given absolute, never the default instance's or a parent of it. */
function purgeable(dataDir: string, primaryDataDir: string): boolean {
  const rel = relative(resolve(dataDir), resolve(primaryDataDir));
  return resolve(dataDir) !== '/' && (rel.startsWith('..') || isAbsolute(rel));
}

async function remove(input: CommandInput): Promise<number> {
  const name = input.args[0]!;
  const { list: all } = everyInstance(input);
  const primary = all[0]!.config!;
  if (name === primary.instanceName) throw new UsageError(`"${name}" is the default instance (the install's own site config): it cannot be removed`);
  const entry = all.find((i) => i.name === name && !i.isDefault);
  if (!entry) throw new UsageError(`no instance "${name}" (herald instance list shows them)`);
  const state = await runningInstance(input, name);
  if (state.running) {
    throw new HeraldError('INSTANCE_RUNNING', `instance ${name} is running (${state.modules.join(', ')}): stop it first with herald stop ${name}`, {
      exitCode: EXIT.FAILURE,
    });
  }
  const dataDir = entry.config ? instancePaths(entry.config).dataDir : fromRoot(join(primary.dataDir, 'instances', name));
  const purge = input.flags.purge === true;
  if (purge) {
    if (!purgeable(dataDir, instancePaths(primary).dataDir)) throw new UsageError(`--purge: will not delete ${dataDir} (it holds the default instance's data)`);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(entry.siteFile, { force: true });
    input.out.write(`removed instance ${name}: its site config and data folder ${dataDir} are deleted\n`);
    const server = entry.config && databaseServer(entry.config);
    if (server) input.out.write(`  its database ${server} is left as it is (drop it on the database server)\n`);
  } else {
    mkdirSync(dataDir, { recursive: true, mode: 0o750 });
    const kept = join(dataDir, 'removed-instance.toml');
    renameSync(entry.siteFile, kept);
    input.out.write(`removed instance ${name}; its data folder ${dataDir} is kept, with its site config as ${kept}\n`);
    input.out.write(`  to bring it back: mv ${kept} ${entry.siteFile}\n`);
  }
  await state.forget();
  const control = mainControl(input);
  StoppedInstances.of(control.config, control.paths).clear(name); // a name added again later starts as a new instance
  return EXIT.OK;
}

export const instanceCommands: Command[] = [
  {
    words: ['instance', 'add'],
    usage:
      'instance add <name> [--host <web host>] [--tracking-host <host>] [--database <url>] [--inmail-port <port>] [--stat-server <host:port>|none] [--stat-key-file <file>]',
    summary:
      "add an instance: its own site config with generated secrets, data folder and database (its own SQLite file, or the empty networked database given as a URL), migrated; the web and tracking processes serve it under its hosts; it shares the default instance's stat server and key unless --stat-server says otherwise",
    options: {
      database: { type: 'string' },
      'inmail-port': { type: 'string' },
      host: { type: 'string' },
      'tracking-host': { type: 'string' },
      'stat-server': { type: 'string' },
      'stat-key-file': { type: 'string' },
    },
    args: [1, 1],
    run: add,
  },
  {
    words: ['instance', 'list'],
    usage: 'instance list [--json]',
    summary: 'list the instances of this appliance (the default one first): state, data folder, database',
    options: { json: { type: 'boolean' } },
    run: list,
  },
  {
    words: ['instance', 'remove'],
    usage: 'instance remove <name> [--purge]',
    summary: 'remove a stopped instance; its data folder (and site config) are kept unless --purge deletes them',
    options: { purge: { type: 'boolean' } },
    args: [1, 1],
    run: remove,
  },
];
