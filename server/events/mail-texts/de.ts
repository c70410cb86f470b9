import type { MAIL_MESSAGES } from './en.js';

/** The system mails in German (Sie). */
export const MAIL_DE: Record<keyof typeof MAIL_MESSAGES, string> = {
  'mail.confirm.subject': 'Bitte bestätigen Sie Ihr Abonnement',
  'mail.confirm.greeting': 'Guten Tag,',
  'mail.confirm.asked': 'Sie haben Folgendes angefordert: {services}.',
  'mail.confirm.please': 'Bitte bestätigen Sie, dass diese Adresse Ihnen gehört:',
  'mail.confirm.please_link': 'Bitte bestätigen Sie, dass diese Adresse Ihnen gehört, indem Sie diesen Link öffnen:',
  'mail.confirm.button': 'Abonnement bestätigen',
  'mail.confirm.validity':
    'Der Link ist {hours} Stunden gültig. Wenn Sie dies nicht angefordert haben, ignorieren Sie diese Nachricht: Ohne Ihre Bestätigung erhalten Sie nichts von uns.',
};
