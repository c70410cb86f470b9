import { recipientLanguageByEmail } from '../db/repos/recipient-language.js';
import { createSignup, setSignupEvent, type NewSignup } from '../db/repos/signups.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { encodeRecipientToken } from '../shared/tokens.js';
import { BUILTIN_TYPES } from './builtin-types.js';
import type { EventServices } from './event-services.js';

/**
 * Double opt-in: a subscription request becomes a signup (nothing is subscribed yet) and a
 * confirmation mail, sent as a transactional event of the built-in type, so it leaves through the
 * MTA. The link carries a confirm token: a recipient token of purpose `confirm` whose id is the
 * signup's (the person becomes a recipient only when they confirm), valid forms.confirmHours.
 * At most forms.maxConfirmationsPerDay requests per address in 24 hours get a mail; the others are
 * dropped, and the caller answers the same either way. The mail speaks the recipient's language
 * when the address has a profile with one, else the form's (kept with the signup: the recipient who
 * confirms gets it when they have none), else `languages.default`.
 */

export interface DoubleOptInDeps {
  config: HeraldConfig;
  events: EventServices;
  db: Parameters<typeof createSignup>[0];
}

export type DoubleOptInOutcome = { queued: true; signupId: number; eventId: number; language: string } | { queued: false; reason: 'daily_limit' };

export async function startDoubleOptIn(deps: DoubleOptInDeps, request: NewSignup & { serviceLabels: string[] }, now: Date): Promise<DoubleOptInOutcome> {
  const hours = deps.config.forms.confirmHours;
  const expiresAt = new Date(now.getTime() + hours * 3_600_000);
  const { serviceLabels, ...signup } = request;
  const signupId = await createSignup(deps.db, signup, now, { maxPerDay: deps.config.forms.maxConfirmationsPerDay, expiresAt });
  if (signupId === undefined) return { queued: false, reason: 'daily_limit' };
  const token = encodeRecipientToken(deps.config.secrets.trackingKey, {
    recipientId: signupId,
    purpose: 'confirm',
    serviceId: 0,
    expiresAt: Math.floor(expiresAt.getTime() / 1000),
  });
  const language = deps.events.builtins.languageFor(await recipientLanguageByEmail(deps.db, signup.email), signup.language);
  const type = await deps.events.builtins.ensure(BUILTIN_TYPES.subscriptionConfirm, language, now);
  const event = await deps.events.intake.accept({
    type,
    email: signup.email,
    ctx: { token, services: serviceLabels.join(', '), hours },
    emailFormat: 'html',
    origin: 'forms',
    apiKeyId: null,
  });
  await setSignupEvent(deps.db, signupId, event.id);
  return { queued: true, signupId, eventId: event.id, language };
}
