import type { FORMS_EN } from '../forms-en.js';

/** The public pages' German text (counterpart of forms-en.ts). */
export const FORMS: Record<keyof typeof FORMS_EN, string> = {
  'forms.email': 'E-Mail-Adresse',
  'forms.first_name': 'Vorname (optional)',
  'forms.last_name': 'Nachname (optional)',
  'forms.services': 'Newsletter',
  'forms.honeypot': 'Lassen Sie dieses Feld leer',
  'forms.error.email': 'Bitte geben Sie eine gültige E-Mail-Adresse ein.',
  'forms.error.role_address': 'Mit dieser Adresse ist keine Anmeldung möglich; bitte verwenden Sie eine persönliche Adresse.',
  'forms.error.services': 'Wählen Sie mindestens einen Newsletter.',

  'forms.subscribe.title': 'Anmelden',
  'forms.subscribe.intro': 'Wählen Sie, was Sie erhalten möchten.',
  'forms.subscribe.consent':
    'Wir senden Ihnen eine E-Mail, um zu bestätigen, dass diese Adresse Ihnen gehört. Bis zu Ihrer Bestätigung erhalten Sie nichts anderes von uns.',
  'forms.subscribe.submit': 'Anmelden',
  'forms.sent.title': 'Sehen Sie in Ihrem Posteingang nach',
  'forms.sent.text': 'Wenn die Adresse gültig ist, ist eine Nachricht mit einem Bestätigungslink unterwegs. Öffnen Sie sie, um Ihre Anmeldung zu bestätigen.',
  'forms.sent.hint': 'Keine Nachricht? Sehen Sie in Ihrem Spam-Ordner nach. Der Link ist nur begrenzte Zeit gültig.',
  'forms.confirm.title': 'Bestätigen Sie Ihre Anmeldung',
  'forms.confirm.text': 'Klicken Sie auf die Schaltfläche, um zu bestätigen, dass Sie diese E-Mails erhalten möchten.',
  'forms.confirm.submit': 'Anmeldung bestätigen',
  'forms.confirmed.title': 'Anmeldung bestätigt',
  'forms.confirmed.text': 'Vielen Dank: Ihre Anmeldung ist aktiv. Jede Nachricht enthält einen Link zum Abmelden.',
  'forms.confirmed.already.title': 'Bereits bestätigt',
  'forms.confirmed.already.text':
    'Sie haben diese Anmeldung mit diesem Link bereits bestätigt: Sie ist aktiv, es ist nichts weiter zu tun. Jede Nachricht enthält einen Link zum Abmelden.',

  'forms.unsubscribe.title': 'Abmelden',
  'forms.unsubscribe.from_service': '„{service}“ nicht mehr erhalten?',
  'forms.unsubscribe.from_all': 'Unsere E-Mails nicht mehr erhalten?',
  'forms.unsubscribe.submit_service': 'Von diesem Newsletter abmelden',
  'forms.unsubscribe.submit_all': 'Von allen E-Mails abmelden',
  'forms.unsubscribe.preferences': 'Oder wählen Sie in Ihren Einstellungen, was Sie erhalten',
  'forms.push.title': 'Benachrichtigungen in diesem Browser',
  'forms.push.intro':
    'Erhalten Sie unsere Neuigkeiten als Benachrichtigungen in diesem Browser. Sie können sie jederzeit in den Browser-Einstellungen ausschalten.',
  'forms.push.button': 'Benachrichtigungen einschalten',
  'forms.push.done': 'Benachrichtigungen sind für diesen Browser eingeschaltet.',
  'forms.push.failed':
    'Die Benachrichtigungen konnten nicht eingeschaltet werden. Prüfen Sie, ob diese Website Benachrichtigungen senden darf, und versuchen Sie es dann erneut.',
  'forms.push.unsupported': 'Dieser Browser kann keine Benachrichtigungen empfangen.',
  'forms.unsubscribed.title': 'Sie sind abgemeldet',
  'forms.unsubscribed.already_title': 'Sie sind bereits abgemeldet',
  'forms.unsubscribed.service': 'Sie erhalten diesen Newsletter nicht mehr.',
  'forms.unsubscribed.all': 'Sie erhalten unsere E-Mails nicht mehr.',
  'forms.unsubscribed.preferences': 'Wählen Sie in Ihren Einstellungen, was Sie erhalten',

  'forms.preferences.title': 'Ihre Einstellungen',
  'forms.preferences.address': 'Einstellungen für {email}',
  'forms.preferences.format': 'E-Mail-Format',
  'forms.preferences.no_email': 'Mir überhaupt keine E-Mails senden',
  'forms.preferences.submit': 'Einstellungen speichern',
  'forms.preferences.saved': 'Ihre Einstellungen sind gespeichert.',

  'forms.invalid.title': 'Dieser Link ist ungültig',
  'forms.invalid.text': 'Der Link ist unvollständig, abgelaufen oder wurde bereits verwendet. Bitte verwenden Sie den Link aus Ihrer neuesten Nachricht.',
  'forms.mirror.expired_title': 'Diese Nachricht ist nicht mehr online',
  'forms.mirror.expired_text': 'Die Online-Version dieser Nachricht ist abgelaufen.',
  'forms.refused.forbidden_title': 'Das Formular konnte nicht gesendet werden',
  'forms.refused.forbidden': 'Bitte laden Sie die Seite neu und senden Sie das Formular erneut.',
  'forms.refused.expired_title': 'Das Formular ist abgelaufen',
  'forms.refused.expired': 'Die Seite war zu lange geöffnet. Bitte laden Sie sie neu und senden Sie das Formular erneut.',
  'forms.refused.rate_limited_title': 'Zu viele Versuche',
  'forms.refused.rate_limited': 'Bitte warten Sie eine Minute und versuchen Sie es dann erneut.',
};
