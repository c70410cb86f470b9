import { bool, int, list, num, oneOf, secret, str, table, tableList, type Infer, type Issue } from './schema-kit.js';

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

  mta: table({
    instanceId: str({ pattern: /^$|^[A-Za-z0-9._-]{1,60}$/, patternHint: 'empty or 1–60 characters: letters, digits, . _ -' }),
    transport: oneOf(['capture', 'smtp', 'verify'] as const),
    captureDir: str({ min: 1 }),
    relayHost: str(),
    relayPort: port(),
    relayUser: str(),
    relayPassword: secret({ optional: true }),
    heloName: str(),
    tls: oneOf(['opportunistic', 'required', 'disabled'] as const),
    claimBatch: int({ min: 1, max: 1000 }),
    maxInFlight: int({ min: 1, max: 10_000 }),
    leaseSeconds: int({ min: 30 }),
    idlePollMs: int({ min: 50, max: 60_000 }),
    commitIntervalMs: int({ min: 5, max: 5_000 }),
    connectTimeoutMs: int({ min: 100 }),
    greetingTimeoutMs: int({ min: 100 }),
    socketTimeoutMs: int({ min: 100 }),
    idleConnectionMs: int({ min: 100 }),
    globalMessagesPerSecond: int({ min: 0 }),
    quickRetryDelaysSec: list(int({ min: 1 })),
    retryPeriodMinutes: int({ min: 1 }),
    retryCount: int({ min: 0, max: 100 }),
    sendTimeCheckSec: int({ min: 1, max: 60 }),
    errorBlockMinMessages: int({ min: 1 }),
    errorBlockRate: num({ min: 0.01, max: 1 }),
    errorSlowRate: num({ min: 0.01, max: 1 }),
    errorBlockHours: num({ min: 0, max: 168 }),
    routes: tableList({
      domain: str({ min: 1 }),
      hosts: list(str({ pattern: /^[^\s:]+(:\d{1,5})?$/, patternHint: 'host or host:port' })),
    }),
    domainRules: tableList({
      match: str({ min: 1 }),
      shared: bool(),
      maxConnections: int({ min: 1, max: 1000 }),
      maxMessagesPerConnection: int({ min: 1 }),
      messagesPerHour: int({ min: 0 }),
    }),
  }),

  recipients: table({
    importBatchSize: int({ min: 1, max: 5000 }),
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
  if (config.mta.domainRules.length === 0 || config.mta.domainRules[config.mta.domainRules.length - 1]!.match !== '*') {
    issues.push({ path: 'mta.domainRules', reason: 'the last rule must match "*" (the generic rule every other domain falls back to)' });
  }
  if (config.mta.transport === 'smtp' && config.mta.relayUser && !config.mta.relayPassword) issues.push({ path: 'mta.relayPassword', reason: 'missing secret (required when relayUser is set)' });
  const keys = config.secrets;
  if (keys.trackingKey === keys.sessionKey || keys.trackingKey === keys.bounceKey || keys.sessionKey === keys.bounceKey) {
    issues.push({ path: 'secrets', reason: 'trackingKey, sessionKey and bounceKey must be three different secrets' });
  }
  return issues;
}
