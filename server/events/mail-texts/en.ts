/**
 * The words of the mails Herald sends itself (the double opt-in confirmation), in English. The
 * translations (es.ts, fr.ts, de.ts) are typed by these keys; the web module adds them to its
 * catalogues, so a site overrides them in `<dataDir>/messages/<lang>.toml` like any console text
 * and the catalogue tests check them. `{services}` and `{hours}` become the event's values.
 */
export const MAIL_MESSAGES = {
  'mail.confirm.subject': 'Please confirm your subscription',
  'mail.confirm.greeting': 'Hello,',
  'mail.confirm.asked': 'You asked to receive: {services}.',
  'mail.confirm.please': 'Please confirm that this address is yours:',
  'mail.confirm.please_link': 'Please confirm that this address is yours by opening this link:',
  'mail.confirm.button': 'Confirm my subscription',
  'mail.confirm.validity':
    'The link is valid for {hours} hours. If you did not ask for this, ignore this message: nothing is sent to you without your confirmation.',
} as const;

export type MailKey = keyof typeof MAIL_MESSAGES;
