import type { InstanceWatchdog } from './instance-watchdog.js';
import type { Database } from '../../db/connect.js';
import type { AuditInput } from '../../db/repos/audit.js';
import type { AuditAction } from '../../shared/audit-actions.js';
import type { HeraldConfig } from '../../shared/config/schema.js';
import type { Logger } from '../../shared/logger.js';
import type { Translate } from '../i18n/translate.js';
import type { BulkRunner } from '../bulk/bulk-runner.js';
import type { ImportRunner } from '../imports/import-runner.js';
import type { CookieNames } from '../security/session-token.js';
import type { ConsoleContext } from '../state.js';
import type { RenderPage } from './render.js';

/** Password hashing as the console uses it (server/shared/password.ts; tests may count calls). */
export interface Passwords {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
  needsRehash(stored: string): boolean;
}

/** What the console routes are given, wired in app.ts. */
export interface ConsoleDeps {
  config: HeraldConfig;
  db: Database;
  log: Logger;
  clock: () => Date;
  render: RenderPage;
  t: Translate;
  passwords: Passwords;
  cookies: CookieNames;
  secure: boolean;
  imports: ImportRunner;
  bulk: BulkRunner;
  /** The number of recipients, cached for a short while (a full count is not free at 1M rows). */
  recipientTotal(): Promise<number>;
  /** The watchdog status of this instance's modules (and of the web and tracking processes serving it). */
  watchdog: InstanceWatchdog;
}

/** An audit line for an action of the current operator, from the current request. */
export function auditOf(
  ctx: ConsoleContext,
  deps: ConsoleDeps,
  action: AuditAction,
  target?: { type: string; id?: string | number },
  detail?: Record<string, unknown>,
): AuditInput {
  const operator = ctx.state.operator;
  return {
    at: deps.clock(),
    operatorId: operator?.id ?? null,
    operatorLogin: operator?.login ?? null,
    action,
    targetType: target?.type,
    targetId: target?.id,
    detail,
    ip: ctx.ip,
  };
}
