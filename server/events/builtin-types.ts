import { readFileSync } from 'node:fs';
import { isUniqueViolation } from '../db/errors.js';
import { eventTypesNamed } from '../db/repos/event-types.js';
import { languagesOf, type Catalogues } from '../shared/i18n/catalogue.js';
import { siteViewsDir, viewFile } from '../shared/site-views.js';
import { mailView } from './mail-view.js';
import { publishTemplate, type EventTemplate, type PublishDeps } from './publish-template.js';

/**
 * Herald's own transactional messages (the double opt-in confirmation), sent through the same event
 * path as any other, so they leave through the MTA with the transactional priority. Each is a type
 * per language: `herald-subscription-confirm` in English, `herald-subscription-confirm-<lang>` in
 * the others, published at its first use from the content files of `views/mail/<type>/`
 * (subject.txt, body.html, body.txt; a site may replace them, see server/shared/site-views.ts) with
 * the words of that language's catalogue (see mail-view.ts; a site overrides them in
 * `<dataDir>/messages/<lang>.toml`), and a `Content-Language` header. Afterwards it is an ordinary
 * published type that an operator may publish again with other content.
 */

export const BUILTIN_TYPES = {
  /** ctx: { token, services (labels, comma-separated), hours }. */
  subscriptionConfirm: 'herald-subscription-confirm',
} as const;

export type BuiltinType = (typeof BUILTIN_TYPES)[keyof typeof BUILTIN_TYPES];

interface BuiltinMail {
  folder: string;
  label: string;
  /** Placeholder → Eta output, per part. */
  html: Record<string, string>;
  text: Record<string, string>;
}

const MAILS: Record<BuiltinType, BuiltinMail> = {
  [BUILTIN_TYPES.subscriptionConfirm]: {
    folder: 'subscription-confirm',
    label: 'Subscription confirmation (double opt-in)',
    html: { services: '<strong><%= event.services %></strong>', hours: '<%= event.hours %>' },
    text: { services: '<%= event.services %>', hours: '<%= event.hours %>' },
  },
};

/** The event type of a built-in mail in a language (English keeps the bare name). */
export function builtinTypeIn(type: BuiltinType, language: string): string {
  return language === 'en' ? type : `${type}-${language}`;
}

export interface BuiltinDeps extends PublishDeps {
  /** The texts by language (the web module's catalogues with the site's overrides). */
  catalogues: Catalogues;
}

export class BuiltinTypes {
  private readonly ready = new Set<string>();

  constructor(private readonly deps: BuiltinDeps) {}

  /** The language a mail is written in: the first wanted one Herald speaks, else the site default, else English. */
  languageFor(...wanted: Array<string | null | undefined>): string {
    const spoken = languagesOf(this.deps.catalogues);
    for (const language of [...wanted, this.deps.config.languages.default]) if (language && spoken.includes(language)) return language;
    return 'en';
  }

  /**
   * Publishes the type of `language` from its content files unless it exists (published or
   * withdrawn on purpose); returns the event type to send.
   */
  async ensure(type: BuiltinType, language: string, now: Date): Promise<string> {
    const name = builtinTypeIn(type, language);
    if (this.ready.has(name)) return name;
    const [existing] = await eventTypesNamed(this.deps.db, [name]);
    if (!existing) {
      try {
        await publishTemplate(this.deps, name, this.content(type, language), now);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err; // published meanwhile by another process
      }
    }
    this.ready.add(name);
    return name;
  }

  /** A built-in mail's content in a language, as it would be published. */
  content(type: BuiltinType, language: string): EventTemplate {
    const { config, catalogues } = this.deps;
    const mail = MAILS[type];
    const webUrl = config.web.publicUrl.replace(/\/+$/, '');
    const read = (file: string, part: 'subject' | 'html' | 'text', values: Record<string, string>) =>
      mailView({
        source: readFileSync(viewFile(siteViewsDir(config), `mail/${mail.folder}/${file}`), 'utf8'),
        part,
        language,
        catalogues,
        webUrl,
        values,
      });
    return {
      label: language === 'en' ? mail.label : `${mail.label} (${language})`,
      subject: read('subject.txt', 'subject', mail.text).trim(),
      fromName: config.forms.fromName || null,
      fromAddress: config.forms.fromAddress || `no-reply@${config.mail.messageIdDomain}`,
      replyTo: null,
      html: read('body.html', 'html', mail.html),
      text: read('body.txt', 'text', mail.text),
      headers: { 'Content-Language': language },
      trackingEnabled: false,
      openTracking: false,
    };
  }
}
