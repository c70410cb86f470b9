import type { MAIL_MESSAGES } from './en.js';

/** The system mails in French (vous; a non-breaking space before : ; ? ! %). */
export const MAIL_FR: Record<keyof typeof MAIL_MESSAGES, string> = {
  'mail.confirm.subject': 'Veuillez confirmer votre abonnement',
  'mail.confirm.greeting': 'Bonjour,',
  'mail.confirm.asked': 'Vous avez demandé à recevoir\u00a0: {services}.',
  'mail.confirm.please': 'Veuillez confirmer que cette adresse est bien la vôtre\u00a0:',
  'mail.confirm.please_link': 'Veuillez confirmer que cette adresse est bien la vôtre en ouvrant ce lien\u00a0:',
  'mail.confirm.button': 'Confirmer mon abonnement',
  'mail.confirm.validity':
    'Le lien est valable {hours}\u00a0heures. Si vous n’avez rien demandé, ignorez ce message\u00a0: rien ne vous sera envoyé sans votre confirmation.',
};
