/**
 * Auto-replies (RFC 3834 and the vacation responders that ignore it) and mailto unsubscribe
 * requests sent by mail clients. Headers are lower-case names mapped to their first value.
 */
export type HeaderLookup = (name: string) => string | undefined;

const AUTO_REPLY_SUBJECT =
  /^\s*(auto(matic|matische)?[ -]?(reply|response|antwort|beantwoording)|r[ée]ponse automatique|respuesta autom[áa]tica|risposta automatica|out of (the )?office|abwesenheit|absence|vacation|on vacation|away from (the )?office)\b/i;

/** True for an auto-reply: Auto-Submitted: auto-replied, X-Autoreply…, or a vacation subject. */
export function isAutoReply(header: HeaderLookup, subject: string): boolean {
  if (/^\s*auto-replied/i.test(header('auto-submitted') ?? '')) return true;
  if (header('x-autoreply') || header('x-autorespond') || /^\s*yes/i.test(header('x-autoreply-from') ?? '')) return true;
  if (/auto[_-]?reply/i.test(header('precedence') ?? '')) return true;
  return AUTO_REPLY_SUBJECT.test(subject);
}

/** True for an unsubscribe request a mail client sent to a List-Unsubscribe mailto address. */
export function isUnsubscribeRequest(header: HeaderLookup, subject: string): boolean {
  if (/^\s*true/i.test(header('x-apple-unsubscribe') ?? '')) return true;
  return /^\s*unsubscribe\s*$/i.test(subject) && !/^\s*auto-generated/i.test(header('auto-submitted') ?? '');
}
