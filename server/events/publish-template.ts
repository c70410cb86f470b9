import { randomBytes } from 'node:crypto';
import type { Database } from '../db/connect.js';
import type { DeliveryValues } from '../db/repos/deliveries.js';
import { publishEventType, type PublishedType } from '../db/repos/event-types.js';
import { trackingTagOf } from '../delivery/delivery-content.js';
import { checkContent, contentPlan, type MessageContent } from '../delivery/message-content.js';
import type { Issue } from '../delivery/template/plan.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import type { Logger } from '../shared/logger.js';
import { EVENT_TYPE_PATTERN } from './event-input.js';

/**
 * Publishing a transactional template for an event type (Adobe's "publish" of a Message Center
 * template): the content is checked with the delivery control rules first (a template with an
 * error is refused), then stored; events of the type then get this content.
 */

/** A transactional template: a message content and the label of its event type. */
export type EventTemplate = MessageContent & { label: string };

export interface PublishDeps {
  db: Database;
  config: HeraldConfig;
  log: Logger;
}

/** The issues of a transactional template (errors block publication). */
export function templateIssues(config: HeraldConfig, t: EventTemplate, now: Date): Issue[] {
  return checkContent(t, contentPlan(t, 'tracked'), {
    kind: 'transactional',
    marketing: false,
    ...trackingTagOf(config),
    dkim: config.delivery.dkim,
    missingCustomFields: [],
    validityEnd: null,
    scheduledAt: null,
    proofRecipients: 0,
    maxProofRecipients: 1,
    now,
  });
}

export async function publishTemplate(deps: PublishDeps, type: string, t: EventTemplate, now: Date): Promise<{ type: PublishedType; issues: Issue[] }> {
  if (!EVENT_TYPE_PATTERN.test(type))
    throw new HeraldError('EVENT_TYPE_INVALID', 'an event type is 1–64 characters: a-z, 0-9, ".", "_" or "-"', { exitCode: EXIT.USAGE, status: 400 });
  const issues = templateIssues(deps.config, t, now);
  const errors = issues.filter((i) => i.level === 'error');
  if (errors.length > 0)
    throw new HeraldError('EVENT_TEMPLATE_INVALID', `the template cannot be published: ${errors.map((e) => e.message).join('; ')}`, {
      exitCode: EXIT.DATA,
      status: 422,
    });
  const { label, ...content } = t;
  const template: DeliveryValues = {
    internalName: `${type}-template-${randomBytes(4).toString('hex')}`,
    label: label.slice(0, 255),
    ...content,
    isTemplate: true,
    kind: 'transactional',
    state: 'editing',
  };
  const published = await publishEventType(deps.db, { name: type, label: label.slice(0, 255), template }, now);
  deps.log.info('EVENT_TYPE_PUBLISHED', { type, templateId: published.templateId, version: published.version, warnings: issues.length });
  return { type: published, issues };
}
