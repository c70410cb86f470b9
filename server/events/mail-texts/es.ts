import type { MAIL_MESSAGES } from './en.js';

/** The system mails in Spanish (usted). */
export const MAIL_ES: Record<keyof typeof MAIL_MESSAGES, string> = {
  'mail.confirm.subject': 'Confirme su suscripción',
  'mail.confirm.greeting': 'Hola:',
  'mail.confirm.asked': 'Ha solicitado recibir: {services}.',
  'mail.confirm.please': 'Confirme que esta dirección es suya:',
  'mail.confirm.please_link': 'Confirme que esta dirección es suya abriendo este enlace:',
  'mail.confirm.button': 'Confirmar mi suscripción',
  'mail.confirm.validity':
    'El enlace es válido durante {hours} horas. Si no lo ha solicitado usted, ignore este mensaje: no se le enviará nada sin su confirmación.',
};
