import type { Database } from '../../server/db/connect.js';
import type { BroadLog } from '../../server/db/models/index.js';
import { upsertRecipients } from '../../server/db/repos/recipients.js';
import { createNewDelivery, startDelivery } from '../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../server/delivery/analyse.js';
import type { TestInstance } from './instance.js';
import { silentLogger } from '../../server/shared/logger.js';

/** Seeds recipients and a started (start_pending) marketing delivery to all of them, through the real analysis. */
export async function startedDelivery(db: Database, instance: TestInstance, emails: readonly string[], name = `d${Date.now()}`): Promise<number> {
  const id = await analysedDelivery(db, instance, emails, name);
  await startDelivery({ db, config: instance.config, log: silentLogger(), dkim: [] }, id, new Date());
  return id;
}

/** Seeds recipients and a marketing delivery to all of them, analysed (one pending message each), not started. */
export async function analysedDelivery(db: Database, instance: TestInstance, emails: readonly string[], name = `d${Date.now()}`): Promise<number> {
  await upsertRecipients(
    db,
    emails.map((email, i) => ({ email, firstName: `R${i}` })),
    new Set(['email', 'firstName'] as const),
  );
  const deps: DeliveryDeps = { db, config: instance.config, log: silentLogger(), dkim: [] };
  const d = await createNewDelivery(deps, {
    internalName: name,
    label: 'MTA test',
    kind: 'marketing',
    subject: 'Hello <%= recipient.firstName %>',
    fromName: 'Herald test',
    fromAddress: 'news@example.org',
    replyTo: null,
    html: '<p>Hi <%= recipient.firstName %>, see <a href="https://www.example.org/offer">the offer</a>.</p><p><a href="<%= links.unsubscribe %>">Unsubscribe</a></p>',
    text: 'Hi <%= recipient.firstName %>\nUnsubscribe: <%= links.unsubscribe %>\n',
    headers: {},
    target: { kind: 'all' },
    exclusions: { duplicates: true, denylisted: true, quarantined: true, limit: null },
    serviceId: null,
    trackingEnabled: true,
    openTracking: true,
    scheduledAt: null,
    validityEnd: null,
  });
  const report = await analyseDelivery(deps, d.id);
  if (report.state !== 'ready') throw new Error(`analysis did not end ready: ${JSON.stringify(report.issues)}`);
  return d.id;
}

export async function statusesOf(db: Database, deliveryId: number): Promise<Map<string, BroadLog>> {
  const rows = await db.models.BroadLog.findAll({ where: { deliveryId } });
  return new Map(rows.map((r) => [r.address, r]));
}

export async function deliveryState(db: Database, id: number): Promise<string | undefined> {
  return (await db.models.Delivery.findByPk(id))?.state;
}

/** Polls `check` until it returns true (or fails after `ms`). */
export async function until(check: () => Promise<boolean> | boolean, ms = 15_000, what = 'the condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
