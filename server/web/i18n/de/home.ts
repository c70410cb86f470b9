import type { RateKey } from '../../reports/home-figures.js';
import type { SetupItemId, SetupState } from '../../setup/checklist.js';
import type { HOME_MESSAGES } from '../en-home.js';
import { prefixed } from '../keys.js';

/** The console's German text for the home page and the setup checklist (counterpart of en-home.ts). */

const RATES: Record<'sent' | RateKey, string> = {
  sent: 'Gesendet',
  delivered: 'Zugestellt',
  open: 'Öffnungsrate',
  click: 'Klickrate',
  bounce: 'Bounce-Rate',
  complaint: 'Beschwerderate',
  unsubscribe: 'Abmelderate',
};

const ITEMS: Record<SetupItemId, string> = {
  smtp: 'SMTP-Transport',
  bounce_domain: 'Bounce-Domain und ihr MX',
  dkim_key: 'DKIM-Schlüssel',
  dkim_record: 'DKIM-Eintrag im DNS veröffentlicht',
  tracking: 'Tracking-URL erreichbar',
  proof: 'Eine Testsendung verschickt',
  admin_password: 'Einmalpasswort des Administrators geändert',
};

const FIXES: Record<SetupItemId, string> = {
  smtp: 'Setzen Sie in der Site-Konfiguration (config/herald.toml) transport = "smtp" in [mta], mit relayHost (und relayUser, relayPassword), um über ein Relay zu senden, oder lassen Sie relayHost leer, um an den MX jeder Domain zu senden; danach herald restart.',
  bounce_domain:
    'Setzen Sie bounceDomain in [mail] auf eine eigene Domain (z. B. bounce.example.com) und veröffentlichen Sie dafür einen MX-Eintrag, der auf diesen Server zeigt, wo das Modul inMail Bounces auf Port 25 empfängt.',
  dkim_key:
    'Erzeugen Sie einen Schlüssel (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out example.com.pem), den nur der MTA lesen kann, und fügen Sie eine Tabelle [[delivery.dkim]] mit domain, selector, algorithm und keyFile hinzu.',
  dkim_record:
    'Veröffentlichen Sie den TXT-Eintrag, den herald delivery dkim ausgibt, unter <selector>._domainkey.<domain>. Eintrag gefunden, aber Signaturen schlagen weiter fehl? Vergleichen Sie ihn mit dieser Ausgabe.',
  tracking:
    'Setzen Sie publicUrl in [tracking] auf die Adresse, unter der die Empfänger das Tracking-Modul erreichen (z. B. https://t.example.com), und prüfen Sie, dass sie von außen antwortet; herald status zeigt, ob das Modul läuft.',
  proof: 'Öffnen Sie einen Versand und schicken Sie eine Testsendung an Ihre eigene Adresse: Das prüft Inhalt, Links und Versand von Anfang bis Ende.',
  admin_password:
    'Ein Administrator hat noch das von install.sh ausgegebene Einmalpasswort: Er wählt bei der nächsten Anmeldung ein eigenes, oder Sie setzen es hier zurück.',
};

const GO: Record<SetupItemId, string> = {
  smtp: '',
  bounce_domain: '',
  dkim_key: '',
  dkim_record: '',
  tracking: '',
  proof: 'Zu den Versänden',
  admin_password: 'Zum Benutzer',
};

const STATES: Record<SetupState, string> = { done: 'Erledigt', missing: 'Fehlt', unknown: 'Nicht geprüft' };

export const HOME: Record<keyof typeof HOME_MESSAGES, string> = {
  'home.setup': 'Vor dem Versand echter E-Mails: noch {count} Schritt(e)',
  'home.setup_all': 'Die vollständige Checkliste, mit Lösung für jeden Schritt',
  'home.setup_done': 'Alle Einrichtungsschritte sind erledigt (Checkliste)',
  'home.period': 'Letzte 30 Tage ({from} bis {to}, {zone})',
  'home.period_note':
    'Versände zählen an ihrem Starttag in Ihrer Zeitzone (einstellbar unter Ihr Konto). Folgen Sie dem Namen einer Kennzahl zu ihrer Definition.',
  'home.trend': '{figure} pro Tag vom {from} bis {to}',
  'home.recent_deliveries': 'Neueste Versände',
  'home.started': 'Gestartet',
  'home.no_deliveries': 'Noch kein Versand gestartet.',
  'home.health': 'Warteschlange und Module',
  'home.queue': '{running} laufende Versände: {due} Nachrichten jetzt fällig, {later} warten auf einen neuen Versuch',
  ...prefixed('home.rate.', RATES),

  'setup.title': 'Einrichtungs-Checkliste',
  'setup.intro': 'Was Herald braucht, bevor es echte E-Mails sendet. DNS und Tracking-URL werden bei jedem Öffnen dieser Seite erneut geprüft.',
  ...prefixed('setup.item.', ITEMS),
  ...prefixed('setup.fix.', FIXES),
  ...prefixed('setup.go.', GO),
  ...prefixed('setup.state.', STATES),
  'setup.detail.smtp_relay': 'Versand über das Relay {host}.',
  'setup.detail.smtp_direct': 'Versand direkt an den MX jeder Domain.',
  'setup.detail.transport_capture': 'Nachrichten werden in Dateien geschrieben (Transport „capture“): Es wird nichts gesendet.',
  'setup.detail.transport_verify': 'Nachrichten werden erstellt, aber nicht übertragen (Transport „verify“).',
  'setup.detail.bounce_reserved': '„{domain}“ ist keine im Internet erreichbare Domain.',
  'setup.detail.bounce_no_mx': '{domain} hat keinen MX-Eintrag.',
  'setup.detail.bounce_mx': '{domain} empfängt E-Mails bei {hosts}.',
  'setup.detail.dns_off': 'DNS wird hier nicht geprüft (web.setupDnsCheck).',
  'setup.detail.dns_error': 'DNS hat für {name} nicht geantwortet ({error}).',
  'setup.detail.dkim_none': 'Kein DKIM-Schlüssel konfiguriert: Postfachanbieter verlangen DKIM für Massenversand.',
  'setup.detail.dkim_file': 'Die Schlüsseldatei von {selector}._domainkey.{domain} existiert nicht.',
  'setup.detail.dkim_keys': 'Schlüssel für {keys}.',
  'setup.detail.dkim_unpublished': 'Kein DKIM-Schlüsseleintrag unter {name}.',
  'setup.detail.dkim_published': 'Veröffentlicht unter {names}.',
  'setup.detail.tracking_local': '{url} bezeichnet diesen Rechner: Die Empfänger können ihn nicht erreichen.',
  'setup.detail.tracking_unchecked': '{url} wurde nicht geprüft.',
  'setup.detail.tracking_ok': '{url} antwortet.',
  'setup.detail.tracking_down': '{url} antwortet nicht ({error}).',
  'setup.detail.proof_sent': 'Eine Testsendung wurde verschickt.',
  'setup.detail.proof_none': 'Es wurde noch keine Testsendung verschickt.',
  'setup.detail.admin_changed': 'Jeder Administrator hat ein eigenes Passwort gewählt.',
  'setup.detail.admin_one_time': 'Noch mit Einmalpasswort: {logins}.',
};
