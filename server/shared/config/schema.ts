import { bool, int, list, oneOf, secret, str, table, type Infer, type Issue } from './schema-kit.js';

/**
 * The shape of Herald's configuration. Every key here has its default and a one-line comment in
 * `config/default.toml`; a test keeps the two in step.
 */

const port = () => int({ min: 0, max: 65535 });
const url = () => str({ pattern: /^https?:\/\/[^\s/?#]+[^\s]*$/, patternHint: 'an http(s) URL' });
const key = () => secret({ minLength: 32 });

const moduleSwitch = () =>
  table({
    autoStart: bool(),
    runLevel: int({ min: 0, max: 99 }),
  });

export const MODULE_NAMES = ['web', 'tracking', 'mta', 'inmail', 'wfserver'] as const;
export type ModuleName = (typeof MODULE_NAMES)[number];

export const configSchema = table({
  instanceName: str({ pattern: /^[a-z0-9][a-z0-9-]{0,39}$/, patternHint: '1–40 lowercase letters, digits or dashes' }),
  dataDir: str({ min: 1 }),

  secrets: table({
    trackingKey: key(),
    sessionKey: key(),
    bounceKey: key(),
  }),

  database: table({
    dialect: oneOf(['sqlite', 'mssql'] as const),
    sqliteFile: str({ min: 1 }),
    busyTimeoutMs: int({ min: 100, max: 600_000 }),
    synchronous: oneOf(['NORMAL', 'FULL'] as const),
    host: str(),
    port: port(),
    name: str(),
    user: str(),
    password: secret({ optional: true }),
    encrypt: bool(),
    trustServerCertificate: bool(),
    poolMax: int({ min: 1, max: 200 }),
    connectTimeoutMs: int({ min: 100 }),
    requestTimeoutMs: int({ min: 100 }),
    retryMaxDelayMs: int({ min: 100 }),
  }),

  log: table({
    level: oneOf(['error', 'warn', 'info', 'debug'] as const),
    maxSizeMb: int({ min: 1, max: 10_000 }),
    maxFiles: int({ min: 1, max: 1000 }),
    console: oneOf(['auto', 'always', 'never'] as const),
  }),

  process: table({
    shutdownTimeoutMs: int({ min: 100, max: 600_000 }),
  }),

  web: table({
    host: str({ min: 1 }),
    port: port(),
    publicUrl: url(),
    trustProxy: bool(),
  }),

  tracking: table({
    host: str({ min: 1 }),
    port: port(),
    publicUrl: url(),
  }),

  mail: table({
    bounceDomain: str({ pattern: /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{1,63}$/i, patternHint: 'a domain name' }),
    verpPrefix: str({ pattern: /^[a-z0-9][a-z0-9._-]{0,19}$/, patternHint: 'a short local-part prefix (a-z, 0-9, . _ -)' }),
    messageIdDomain: str({ pattern: /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{1,63}$/i, patternHint: 'a domain name' }),
  }),

  recipients: table({
    importBatchSize: int({ min: 1, max: 5000 }),
  }),

  inmail: table({
    host: str({ min: 1 }),
    port: port(),
    rulesFile: str({ min: 1 }),
    spoolDir: str({ min: 1 }),
    acceptLocalParts: list(str({ pattern: /^[a-z0-9][a-z0-9._-]{0,63}$/, patternHint: 'a lower-case local part' })),
    maxMessageBytes: int({ min: 1024, max: 100 * 1024 * 1024 }),
    maxHeaderBytes: int({ min: 1024, max: 10 * 1024 * 1024 }),
    maxReceivedHeaders: int({ min: 1, max: 1000 }),
    maxClients: int({ min: 1, max: 10_000 }),
    maxClientsPerIp: int({ min: 1, max: 10_000 }),
    maxRecipients: int({ min: 1, max: 1000 }),
    maxCommandLength: int({ min: 512, max: 65_536 }),
    maxUnauthenticatedCommands: int({ min: 1, max: 1000 }),
    idleTimeoutMs: int({ min: 1000, max: 3_600_000 }),
    overloadIdleTimeoutMs: int({ min: 1000, max: 3_600_000 }),
    overloadPercent: int({ min: 1, max: 100 }),
    sessionTimeoutMs: int({ min: 1000, max: 24 * 3_600_000 }),
    closeTimeoutMs: int({ min: 100, max: 600_000 }),
    parseTimeoutMs: int({ min: 100, max: 600_000 }),
    parserThreads: int({ min: 1, max: 64 }),
    parserMemoryMb: int({ min: 16, max: 4096 }),
    batchSize: int({ min: 1, max: 1000 }),
    quarantineMaxErrors: int({ min: 1, max: 100 }),
    quarantineErrorIntervalHours: int({ min: 0, max: 24 * 365 }),
    quarantineResetDays: int({ min: 1, max: 3650 }),
    quarantineMailboxFullReleaseDays: int({ min: 1, max: 3650 }),
  }),

  modules: table({
    web: moduleSwitch(),
    tracking: moduleSwitch(),
    mta: moduleSwitch(),
    inmail: moduleSwitch(),
    wfserver: moduleSwitch(),
  }),
});

export type HeraldConfig = Infer<typeof configSchema>;

/** Rules that span several keys; run after every key has passed its own check. */
export function crossChecks(config: HeraldConfig): Issue[] {
  const issues: Issue[] = [];
  const db = config.database;
  if (db.dialect === 'mssql') {
    if (!db.host) issues.push({ path: 'database.host', reason: 'required when dialect = "mssql"' });
    if (!db.name) issues.push({ path: 'database.name', reason: 'required when dialect = "mssql"' });
    if (!db.user) issues.push({ path: 'database.user', reason: 'required when dialect = "mssql"' });
    if (db.user && !db.password) issues.push({ path: 'database.password', reason: 'missing secret (required when dialect = "mssql")' });
  }
  const keys = config.secrets;
  if (keys.trackingKey === keys.sessionKey || keys.trackingKey === keys.bounceKey || keys.sessionKey === keys.bounceKey) {
    issues.push({ path: 'secrets', reason: 'trackingKey, sessionKey and bounceKey must be three different secrets' });
  }
  return issues;
}
