import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Sequelize, Transaction, type Options } from 'sequelize';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import type { InstancePaths } from '../shared/config/paths.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { describeError, HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import type { Logger } from '../shared/logger.js';
import { defineModels, type Models } from './models/index.js';
import { createMutex } from './mutex.js';

export type Dialect = 'sqlite' | 'mssql' | 'postgres';

/** An open database: the Sequelize instance, the model classes bound to it, and a serialized write path. */
export interface Database {
  readonly sequelize: Sequelize;
  readonly dialect: Dialect;
  /** The model classes of this database (repositories read `db.models.Delivery`, never a process-wide class). */
  readonly models: Models;
  /**
   * Runs `fn` in a write transaction. On SQLite, write transactions of this process run one at a
   * time (concurrent BEGIN IMMEDIATE would otherwise starve node-sqlite3's thread pool); on SQL Server
   * and PostgreSQL they run concurrently. Every write goes through here.
   */
  write<T>(fn: (transaction: WriteTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * A write transaction in progress, as code outside server/db holds it: received from db.write and
 * handed back to repository functions that take part in it, never opened or used directly.
 */
export type WriteTransaction = Transaction;

export interface OpenOptions {
  log?: Logger;
  /** Keep retrying an unreachable database with backoff (long-running modules) instead of failing. */
  retry?: boolean;
  /** Stops the retry loop (shutdown while waiting for the database). */
  signal?: AbortSignal;
}

/** The database could not be reached: one line for the user, exit 69 from the CLI. */
export class DatabaseUnavailableError extends HeraldError {
  constructor(detail: string) {
    super('DB_UNREACHABLE', `database unreachable: ${detail}`, { exitCode: EXIT.UNAVAILABLE, status: 503 });
  }
}

export async function openDatabase(config: HeraldConfig, paths: InstancePaths, options: OpenOptions = {}): Promise<Database> {
  const dialect = config.database.dialect;
  const sequelize = new Sequelize(CONNECTION_OPTIONS[dialect](config, paths));
  const models = defineModels(sequelize);
  try {
    await connectWithRetry(sequelize, config, paths, options);
  } catch (err) {
    await sequelize.close().catch(() => undefined);
    throw err;
  }
  const mutex = dialect === 'sqlite' ? createMutex() : undefined;
  let closed = false;
  return {
    sequelize,
    dialect,
    models,
    write: (fn) => (mutex ? mutex.run(() => sequelize.transaction((t) => fn(t))) : sequelize.transaction((t) => fn(t))),
    async close() {
      if (closed) return;
      closed = true;
      if (mutex) await mutex.idle();
      await sequelize.close();
    },
  };
}

async function connectWithRetry(sequelize: Sequelize, config: HeraldConfig, paths: InstancePaths, options: OpenOptions): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (config.database.dialect === 'sqlite') mkdirSync(dirname(paths.sqliteFile), { recursive: true, mode: 0o750 });
      await sequelize.authenticate({ logging: false });
      options.log?.info('DB_CONNECTED', { dialect: config.database.dialect, version: await serverVersion(sequelize) });
      return;
    } catch (err) {
      const detail = connectionDetail(err);
      if (!options.retry || options.signal?.aborted) throw new DatabaseUnavailableError(detail);
      const retryInMs = Math.min(1000 * 2 ** (attempt - 1), config.database.retryMaxDelayMs);
      options.log?.warn('DB_UNREACHABLE', { attempt, retryInMs, err: detail });
      await sleep(retryInMs, undefined, { signal: options.signal }).catch(() => undefined);
      if (options.signal?.aborted) throw new DatabaseUnavailableError(detail);
    }
  }
}

/** Where the database is, for people: the SQLite file, or host:port/name of a server. */
export function databaseTarget(config: HeraldConfig, paths: InstancePaths): string {
  const db = config.database;
  return db.dialect === 'sqlite' ? paths.sqliteFile : `${db.host}:${db.port}/${db.name}`;
}

/** The database server an instance uses (host:port/name), or undefined for the embedded SQLite file. */
export function databaseServer(config: HeraldConfig): string | undefined {
  const db = config.database;
  return db.dialect === 'sqlite' ? undefined : `${db.host}:${db.port}/${db.name}`;
}

/** The most useful line of a connection error (tedious hides ECONNREFUSED inside an AggregateError). */
export function connectionDetail(err: unknown): string {
  const inner = (err as { original?: { cause?: { errors?: Array<{ code?: string; message?: string }> } } }).original?.cause?.errors;
  if (Array.isArray(inner) && inner.length > 0) return inner.map((e) => e.code ?? e.message).join(', ');
  return describeError((err as { original?: unknown }).original ?? err);
}

const VERSION_SQL: Record<Dialect, string> = {
  sqlite: 'SELECT sqlite_version() AS version',
  mssql: 'SELECT @@VERSION AS version',
  postgres: 'SELECT version() AS version',
};

/** The server's version, on one line (PostgreSQL's without its compiler). */
export async function serverVersion(sequelize: Sequelize): Promise<string> {
  const [rows] = (await sequelize.query(VERSION_SQL[sequelize.getDialect() as Dialect], { logging: false })) as [Array<{ version: string }>, unknown];
  return String(rows[0]?.version ?? '')
    .split('\n')[0]!
    .replace(/ on \S+, compiled by .*$/, '')
    .trim();
}

/** Sequelize's options for each dialect. */
const CONNECTION_OPTIONS: Record<Dialect, (config: HeraldConfig, paths: InstancePaths) => Options> = {
  sqlite: sqliteOptions,
  mssql: mssqlOptions,
  postgres: postgresOptions,
};

function sqliteOptions(config: HeraldConfig, paths: InstancePaths): Options {
  return {
    dialect: 'sqlite',
    storage: paths.sqliteFile,
    logging: false,
    dialectModule: sqliteDriver(config.database.busyTimeoutMs, config.database.synchronous),
    transactionType: Transaction.TYPES.IMMEDIATE,
    // Only busy errors are retried: Sequelize keeps a connection that failed to open, and a query
    // or a close on it never calls back.
    retry: { max: 3, match: [/SQLITE_BUSY/] },
  };
}

/**
 * node-sqlite3 with the pragmas applied to every connection. Sequelize opens a new connection per
 * transaction and never runs its connect hooks for SQLite, so the pragmas go in the constructor.
 */
export function sqliteDriver(busyTimeoutMs: number, synchronous: 'NORMAL' | 'FULL'): typeof sqlite3 {
  const failed = new WeakSet<object>();
  class PragmaDatabase extends sqlite3.Database {
    constructor(filename: string, mode: number, callback: (err: Error | null) => void) {
      super(filename, mode, (err) => {
        if (err) {
          failed.add(this);
          return callback(err);
        }
        this.configure('busyTimeout', busyTimeoutMs);
        this.exec(`PRAGMA journal_mode=WAL; PRAGMA synchronous=${synchronous}; PRAGMA foreign_keys=ON;`, (e) => callback(e));
      });
    }
    /** A database that never opened has nothing to close (sqlite3 would never call back). */
    override close(callback?: (err: Error | null) => void): void {
      if (failed.has(this)) return void callback?.(null);
      super.close(callback);
    }
  }
  return { ...sqlite3, Database: PragmaDatabase } as typeof sqlite3;
}

/**
 * PostgreSQL through node-postgres (`pg`): TLS per `encrypt` / `trustServerCertificate`, a statement
 * timeout of `requestTimeoutMs`, TCP keep-alive so a node notices a dead server.
 */
function postgresOptions(config: HeraldConfig): Options {
  const db = config.database;
  return {
    dialect: 'postgres',
    dialectModule: pg,
    host: db.host,
    port: db.port,
    database: db.name,
    username: db.user,
    password: db.password,
    logging: false,
    pool: { max: db.poolMax, min: 0, idle: 10_000, acquire: db.connectTimeoutMs + 5_000 },
    dialectOptions: {
      ssl: db.encrypt ? { rejectUnauthorized: !db.trustServerCertificate } : false,
      connectionTimeoutMillis: db.connectTimeoutMs,
      statement_timeout: db.requestTimeoutMs,
      keepAlive: true,
      application_name: `herald-${config.instanceName}`,
    },
  };
}

function mssqlOptions(config: HeraldConfig): Options {
  const db = config.database;
  return {
    dialect: 'mssql',
    host: db.host,
    port: db.port,
    database: db.name,
    username: db.user,
    password: db.password,
    logging: false,
    pool: { max: db.poolMax, min: 0, idle: 10_000, acquire: db.connectTimeoutMs + 5_000 },
    dialectOptions: {
      options: {
        encrypt: db.encrypt,
        trustServerCertificate: db.trustServerCertificate,
        connectTimeout: db.connectTimeoutMs,
        requestTimeout: db.requestTimeoutMs,
        appName: `herald-${config.instanceName}`,
      },
    },
  };
}
