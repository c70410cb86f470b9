import { readFileSync } from 'node:fs';
import { isUniqueViolation } from '../db/errors.js';
import { eventTypesNamed } from '../db/repos/event-types.js';
import { siteViewsDir, viewFile } from '../shared/site-views.js';
import { publishTemplate, type EventTemplate, type PublishDeps } from './publish-template.js';

/**
 * Herald's own transactional messages (the double opt-in confirmation), sent through the same event
 * path as any other, so they leave through the MTA with the transactional priority. Each type is
 * published at its first use from the content files of `views/mail/<type>/` (subject.txt,
 * body.html, body.txt; a site may replace them, see server/shared/site-views.ts); afterwards it is
 * an ordinary published type that an operator may publish again with other content. `{{webUrl}}`
 * in the files becomes web.publicUrl (links may not be personalized before their query).
 */

export const BUILTIN_TYPES = {
  /** ctx: { token, services (labels, comma-separated), hours }. */
  subscriptionConfirm: 'herald-subscription-confirm',
} as const;

const FOLDERS: Record<string, string> = { [BUILTIN_TYPES.subscriptionConfirm]: 'subscription-confirm' };
const LABELS: Record<string, string> = { [BUILTIN_TYPES.subscriptionConfirm]: 'Subscription confirmation (double opt-in)' };

export class BuiltinTypes {
  private readonly ready = new Set<string>();

  constructor(private readonly deps: PublishDeps) {}

  /** Publishes the type from its content files unless it exists (published or withdrawn on purpose). */
  async ensure(type: string, now: Date): Promise<void> {
    if (this.ready.has(type)) return;
    const [existing] = await eventTypesNamed(this.deps.db, [type]);
    if (!existing) {
      try {
        await publishTemplate(this.deps, type, this.content(type), now);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err; // published meanwhile by another process
      }
    }
    this.ready.add(type);
  }

  private content(type: string): EventTemplate {
    const { config } = this.deps;
    const webUrl = config.web.publicUrl.replace(/\/+$/, '');
    const read = (file: string) => readFileSync(viewFile(siteViewsDir(config), `mail/${FOLDERS[type]}/${file}`), 'utf8').replaceAll('{{webUrl}}', webUrl);
    return {
      label: LABELS[type]!,
      subject: read('subject.txt').trim(),
      fromName: config.forms.fromName || null,
      fromAddress: config.forms.fromAddress || `no-reply@${config.mail.messageIdDomain}`,
      replyTo: null,
      html: read('body.html'),
      text: read('body.txt'),
      headers: {},
      trackingEnabled: false,
      openTracking: false,
    };
  }
}
