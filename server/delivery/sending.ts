import type { Database } from '../db/connect.js';
import { findDelivery } from '../db/repos/deliveries.js';
import type { BroadLogRef } from '../db/repos/delivery-logs.js';
import { personalizationData, type PersonalizationRow } from '../db/repos/delivery-target.js';
import { trackingUrlsOf } from '../db/repos/delivery-urls.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import type { MessageRecipient } from './build-message.js';
import { compileDelivery, type CompiledDelivery } from './compile-delivery.js';
import { listIdentity, notFound, sendingIdentity, sentContentOf } from './delivery-content.js';
import type { DkimKey } from './mime/dkim.js';

/**
 * What the MTA needs around buildMessage(): the compiled delivery (once per delivery, reused for
 * every message) and the personalization data of a batch of broad logs. See README.md.
 */

export interface SendingDeps {
  db: Database;
  config: HeraldConfig;
  dkim: readonly DkimKey[];
}

/** Compiles a delivery for sending (throws DELIVERY_NOT_ANALYSED if its tracking URLs are missing). */
export async function loadCompiledDelivery(deps: SendingDeps, deliveryId: number): Promise<CompiledDelivery> {
  const d = await findDelivery(deps.db, deliveryId);
  if (!d) throw notFound(deliveryId);
  return compileDelivery({
    delivery: sentContentOf(d),
    urls: await trackingUrlsOf(deps.db, d.id),
    identity: sendingIdentity(deps.config),
    dkim: deps.dkim,
    list: await listIdentity(deps.db, d),
  });
}

/** The recipient of a message: its profile, or (proof seed without a profile) just the address. */
export function messageRecipient(log: Pick<BroadLogRef, 'address' | 'emailFormat'>, data: PersonalizationRow | undefined): MessageRecipient {
  if (data) return { ...data };
  return { id: null, email: log.address, firstName: null, lastName: null, emailFormat: log.emailFormat, fields: null };
}

/** Personalization data for a batch of broad logs, keyed by broad log id (one query per 1000 recipients). */
export async function recipientsForLogs(db: Database, logs: readonly BroadLogRef[]): Promise<Map<number, MessageRecipient>> {
  const ids = [...new Set(logs.map((l) => l.recipientId).filter((id): id is number => id !== null))];
  const data = await personalizationData(db, ids);
  return new Map(logs.map((l) => [l.id, messageRecipient(l, l.recipientId === null ? undefined : data.get(l.recipientId))]));
}
