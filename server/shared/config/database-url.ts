/**
 * `database.url`: one string naming a networked database, as libpq and most tools write it —
 * `postgres://user:password@host:port/database?sslmode=disable` (or `postgresql://`), and
 * `mssql://user:password@host:port/database?encrypt=true&trustServerCertificate=false` for SQL Server.
 * Parsing is pure: the loader copies the result into the other `[database]` keys, so the rest of
 * Herald reads `dialect`, `host`, `port`… whichever way they were given.
 */

export interface DatabaseUrlFields {
  dialect: 'postgres' | 'mssql';
  host: string;
  port: number;
  name: string;
  user: string;
  password: string;
  encrypt?: boolean;
  trustServerCertificate?: boolean;
}

const SCHEMES: Record<string, DatabaseUrlFields['dialect']> = { 'postgres:': 'postgres', 'postgresql:': 'postgres', 'mssql:': 'mssql', 'sqlserver:': 'mssql' };

/** libpq's sslmode values as (encrypt, trustServerCertificate). */
const SSL_MODES: Record<string, { encrypt: boolean; trustServerCertificate: boolean }> = {
  disable: { encrypt: false, trustServerCertificate: false },
  require: { encrypt: true, trustServerCertificate: true },
  'verify-ca': { encrypt: true, trustServerCertificate: false },
  'verify-full': { encrypt: true, trustServerCertificate: false },
};

const BOOLEAN: Record<string, boolean> = { true: true, false: false };

/** The fields of a database URL, or the reason it is not one (never echoing the password). */
export function parseDatabaseUrl(text: string): { ok: true; fields: DatabaseUrlFields } | { ok: false; reason: string } {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return { ok: false, reason: 'expected a URL such as postgres://user:password@host:5432/herald' };
  }
  const dialect = SCHEMES[u.protocol];
  if (!dialect) return { ok: false, reason: `unsupported scheme "${u.protocol.replace(/:$/, '')}" (expected postgres://, postgresql:// or mssql://)` };
  if (!u.hostname) return { ok: false, reason: 'the URL names no host' };
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!name || name.includes('/')) return { ok: false, reason: 'the URL must name one database after the host, e.g. …@host:5432/herald' };
  if (!u.username) return { ok: false, reason: 'the URL names no user' };
  const fields: DatabaseUrlFields = {
    dialect,
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : 0,
    name,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
  for (const [key, value] of u.searchParams) {
    if (key === 'sslmode' && dialect === 'postgres') {
      const mode = SSL_MODES[value];
      if (!mode) return { ok: false, reason: `sslmode must be one of ${Object.keys(SSL_MODES).join(', ')}, got "${value}"` };
      Object.assign(fields, mode);
    } else if ((key === 'encrypt' || key === 'trustServerCertificate') && dialect === 'mssql') {
      if (!(value in BOOLEAN)) return { ok: false, reason: `${key} must be true or false, got "${value}"` };
      fields[key] = BOOLEAN[value];
    } else return { ok: false, reason: `unknown URL parameter "${key}"` };
  }
  return { ok: true, fields };
}

/** The standard TCP port of a networked dialect (used when `port` is 0). */
export function defaultPort(dialect: 'postgres' | 'mssql'): number {
  return dialect === 'postgres' ? 5432 : 1433;
}
