import assert from 'node:assert/strict';
import type { Database } from '../../server/db/connect.js';
import { createNewDelivery, startDelivery, type NewDelivery } from '../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../server/delivery/analyse.js';
import type { HeraldConfig } from '../../server/shared/config/schema.js';
import { silentLogger } from '../../server/shared/logger.js';

/** A direct mail or fax delivery of the routing tests: created, analysed (ready) and started. */
export async function startedRoutedDelivery(
  db: Database,
  config: HeraldConfig,
  overrides: Partial<NewDelivery> & { internalName: string },
): Promise<{ id: number; report: Awaited<ReturnType<typeof analyseDelivery>> }> {
  const deps: DeliveryDeps = { db, config, log: silentLogger(), dkim: [] };
  const d = await createNewDelivery(deps, {
    label: 'Spring catalogue',
    kind: 'marketing',
    channel: 'direct_mail',
    subject: '',
    fromName: null,
    fromAddress: '',
    replyTo: null,
    html: null,
    text: null,
    headers: {},
    target: { kind: 'all' },
    exclusions: { duplicates: true, denylisted: true, quarantined: true, limit: null },
    serviceId: null,
    trackingEnabled: false,
    openTracking: false,
    scheduledAt: null,
    validityEnd: null,
    ...overrides,
  });
  const report = await analyseDelivery(deps, d.id);
  assert.equal(report.state, 'ready', JSON.stringify(report.issues));
  await startDelivery(deps, d.id, new Date());
  return { id: d.id, report };
}
