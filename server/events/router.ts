import { isUniqueViolation } from '../db/errors.js';
import type { Database } from '../db/connect.js';
import { findDelivery } from '../db/repos/deliveries.js';
import { currentEventDelivery, eventTypesNamed, openEventDelivery, type PublishedType } from '../db/repos/event-types.js';
import { contentOf, trackingRowsFor } from '../delivery/delivery-content.js';
import { contentPlan } from '../delivery/message-content.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { describeError } from '../shared/errors.js';
import { ACTIVE_STATES } from '../shared/glossary.js';
import type { Logger } from '../shared/logger.js';
import { periodOf, periodValidityEnd } from './period.js';
import { templateIssues } from './publish-template.js';

/**
 * Routing (Message Center): an event goes to the published template of its type, through the
 * delivery of that template version and the current month, opened at its first event: a copy of
 * the template, already sending (transactional deliveries are never analysed: no target), with
 * its tracking URLs pushed to the tracking servers. Types are re-read every few seconds, so a
 * publication from another process takes effect quickly; the delivery of a key is remembered
 * until it leaves the active states (storeEvents reports that, and the intake calls invalidate()).
 */

export interface Route {
  eventTypeId: number;
  deliveryId: number;
}

export interface RouterDeps {
  db: Database;
  config: HeraldConfig;
  log: Logger;
  /** Pushes a delivery's tracking URLs to the tracking servers (server/tracking-data/publish). */
  publishUrls(deliveryId: number): Promise<void>;
}

const TYPE_TTL_MS = 5_000;
const PUBLISH_RETRY_MS = 30_000;

export class EventRouter {
  private readonly types = new Map<string, { type: PublishedType | null; until: number }>();
  private readonly deliveries = new Map<string, number>();
  /** Templates that failed to compile, until when they are not tried again. */
  private readonly unusable = new Map<number, number>();
  /** Deliveries whose URLs did not reach every tracking server yet, with the time of the next try. */
  private readonly unpublished = new Map<number, number>();

  constructor(private readonly deps: RouterDeps) {}

  /** Forget the remembered deliveries (one of them left the active states). */
  invalidate(): void {
    this.deliveries.clear();
  }

  /** Whether a type of this name exists (published now or before), read through the same short cache as routing. */
  async isKnown(name: string, now: Date): Promise<boolean> {
    return (await this.typesNamed([name], now.getTime())).get(name) !== null;
  }

  /** The route of each type name (null: no published template, the events are not covered). */
  async routes(names: readonly string[], now: Date): Promise<Map<string, Route | null>> {
    const out = new Map<string, Route | null>();
    for (const [name, type] of await this.typesNamed(names, now.getTime())) {
      const deliveryId = type?.templateId ? await this.deliveryFor(type, now) : undefined;
      out.set(name, type && deliveryId !== undefined ? { eventTypeId: type.id, deliveryId } : null);
    }
    await this.retryPublishing(now.getTime());
    return out;
  }

  private async typesNamed(names: readonly string[], nowMs: number): Promise<Map<string, PublishedType | null>> {
    const stale = names.filter((n) => (this.types.get(n)?.until ?? 0) <= nowMs);
    if (stale.length > 0) {
      const found = new Map((await eventTypesNamed(this.deps.db, stale)).map((t) => [t.name, t]));
      for (const name of stale) this.types.set(name, { type: found.get(name) ?? null, until: nowMs + TYPE_TTL_MS });
    }
    return new Map(names.map((n) => [n, this.types.get(n)!.type]));
  }

  private async deliveryFor(type: PublishedType, now: Date): Promise<number | undefined> {
    const period = periodOf(now);
    const key = `${type.id}:${type.version}:${period}`;
    if ((this.unusable.get(type.templateId!) ?? 0) > now.getTime()) return undefined;
    let id = this.deliveries.get(key) ?? (await currentEventDelivery(this.deps.db, type.id, type.version, period, ACTIVE_STATES));
    id ??= await this.open(type, period, now);
    if (id !== undefined) this.deliveries.set(key, id);
    return id;
  }

  /** Opens the month's delivery of a type; undefined when its template cannot be used. */
  private async open(type: PublishedType, period: string, now: Date): Promise<number | undefined> {
    const template = await findDelivery(this.deps.db, type.templateId!);
    // the check of the publication, again: the configuration may have changed since
    const problem = template
      ? templateIssues(this.deps.config, { ...contentOf(template), label: template.label }, now).find((i) => i.level === 'error')?.message
      : 'the template is gone';
    if (!template || problem) {
      this.deps.log.error('EVENT_TEMPLATE_UNUSABLE', { type: type.name, err: problem });
      this.unusable.set(type.templateId!, now.getTime() + TYPE_TTL_MS);
      return undefined;
    }
    const plan = contentPlan(contentOf(template), 'tracked');
    const { subject, fromName, fromAddress, replyTo, html, text, headers, serviceId, trackingEnabled, openTracking } = template;
    const urls = trackingRowsFor(plan);
    const values = {
      label: `${type.label} (${period})`.slice(0, 255),
      ...{ subject, fromName, fromAddress, replyTo, html, text, headers, serviceId, trackingEnabled, openTracking },
      kind: 'transactional' as const,
      isTemplate: false,
      templateId: template.id,
      state: 'start_pending' as const,
      startedAt: now,
      analysedAt: now,
      validityEnd: periodValidityEnd(period, this.deps.config.events.validityDays),
    };
    for (let n = 1; ; n++) {
      const internalName = `${type.name}-${period}-v${type.version}${n > 1 ? `-${n}` : ''}`;
      try {
        const id = await openEventDelivery(
          this.deps.db,
          { eventTypeId: type.id, version: type.version, period, delivery: { ...values, internalName }, urls },
          now,
        );
        this.deps.log.info('EVENT_DELIVERY_OPENED', { type: type.name, version: type.version, period, deliveryId: id });
        if (urls.length > 0) await this.publish(id, now.getTime());
        return id;
      } catch (err) {
        if (!isUniqueViolation(err) || n >= 20) throw err;
      }
    }
  }

  private async publish(deliveryId: number, nowMs: number): Promise<void> {
    try {
      await this.deps.publishUrls(deliveryId);
      this.unpublished.delete(deliveryId);
    } catch (err) {
      this.unpublished.set(deliveryId, nowMs + PUBLISH_RETRY_MS);
      this.deps.log.warn('EVENT_PUBLISH_FAILED', { deliveryId, err: describeError(err) });
    }
  }

  private async retryPublishing(nowMs: number): Promise<void> {
    for (const [deliveryId, at] of this.unpublished) if (at <= nowMs) await this.publish(deliveryId, nowMs);
  }
}
