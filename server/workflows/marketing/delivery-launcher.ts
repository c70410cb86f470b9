import type { Database } from '../../db/connect.js';
import { createDeliveryFromTemplate, findDeliveryNamed, findTemplate } from '../../db/repos/workflow-deliveries.js';
import { addToList, ensureList } from '../../db/repos/memberships.js';
import { DAY_MS } from '../../shared/duration.js';

/**
 * What the Delivery activity needs from the delivery side: a delivery made from a template for a
 * population. `key` is unique per workflow wave and activity, and launching twice with the same key
 * returns the first delivery (a wave retried after a crash never sends twice).
 */
export interface DeliveryLaunch {
  key: string;
  template: string;
  label: string;
  recipientIds: readonly number[];
  now: Date;
}

export interface DeliveryLauncher {
  launch(request: DeliveryLaunch): Promise<{ deliveryId: number; created: boolean }>;
}

/** Days a workflow delivery's target list is kept (its analysis turns it into broad logs long before). */
const TARGET_LIST_DAYS = 30;

/**
 * The default launcher: writes the population into a list named after the key, then creates the
 * delivery from the template, targeting that list, in state `targeting_pending` (its analysis and
 * start are the delivery lifecycle's). The list expires after TARGET_LIST_DAYS (cleanup purges it).
 */
export function createDeliveryLauncher(db: Database): DeliveryLauncher {
  return {
    async launch(r) {
      const existing = await findDeliveryNamed(db, r.key);
      if (existing) return { deliveryId: existing.id, created: false };
      const template = await findTemplate(db, r.template);
      const listId = await ensureList(db, r.key, `Target of ${r.label}`.slice(0, 255), r.now, new Date(r.now.getTime() + TARGET_LIST_DAYS * DAY_MS));
      await addToList(db, listId, r.recipientIds, r.now);
      const deliveryId = await createDeliveryFromTemplate(db, {
        internalName: r.key,
        label: r.label.slice(0, 255),
        template,
        listId,
        listName: r.key,
        now: r.now,
      });
      return { deliveryId, created: true };
    },
  };
}
