import { definitionTexts, type DefinitionId, type DEFINITION_MESSAGES } from '../en-definitions.js';

/**
 * What each report figure means, in German (counterpart of en-definitions.ts): the figures are
 * named as the German reports name them.
 */
const FIGURES: Record<DefinitionId, [text: string, formula: string]> = {
  target: [
    'Empfänger, die die Zielgruppe des Versands ausgewählt hat, vor jedem Ausschluss.',
    'Empfänger, die der Zielgruppe (alle Empfänger, die Abonnenten eines Dienstes oder die Mitglieder einer Liste) und ihrem Filter entsprechen.',
  ],
  excluded: [
    'Empfänger, die die Analyse aussortiert hat: auf der Sperrliste, in Quarantäne, ohne gültige Adresse, Dubletten oder über dem Limit des Versands.',
    'Zielgruppe − Zuzustellen. Die Rate ist Ausgeschlossen ÷ Zielgruppe.',
  ],
  to_deliver: ['Nachrichten, die der Versand nach den Ausschlüssen senden muss.', 'Zielgruppe − Ausgeschlossen.'],
  processed: [
    'Nachrichten, die der MTA bisher bearbeitet hat, unabhängig vom Ergebnis. Auf der Startseite zählt „Gesendet“ diese.',
    'Gesendet + Fehlgeschlagen. Die Rate ist Verarbeitet ÷ Zuzustellen.',
  ],
  sent: [
    'Nachrichten, die der empfangende Mailserver angenommen hat („Erfolgreich“ oder „Zugestellt“ bei Adobe). Ein später eintreffender Bounce verschiebt seine Nachricht von Gesendet nach Fehlgeschlagen.',
    'Nachrichten im Status Gesendet. Die Rate ist Gesendet ÷ Zuzustellen.',
  ],
  failed: [
    'Nachrichten, die nicht zugestellt werden konnten: vom empfangenden Server abgelehnt, später als Bounce zurückgekommen oder bei Ende der Gültigkeit des Versands noch immer fehlgeschlagen.',
    'Nachrichten im Status Fehlgeschlagen. Die Rate ist Fehlgeschlagen ÷ Zuzustellen.',
  ],
  pending: [
    'Nachrichten, die noch auf den Versand warten oder nach einem vorübergehenden Fehler erneut versucht werden.',
    'Zuzustellen − Verarbeitet, solange der Versand läuft.',
  ],
  new_quarantines: [
    'Adressen, die dieser Versand in Quarantäne oder auf die Sperrliste gesetzt hat (Hard Bounces, wiederholte Soft Bounces, Beschwerden).',
    'Adressen, deren Quarantäne durch diesen Versand ausgelöst wurde.',
  ],
  sms_delivered: [
    'SMS, deren Zustellbericht besagt, dass sie das Mobiltelefon erreicht haben.',
    'Nachrichten mit dem Zustellstatus Delivered. Die Rate ist Auf dem Handy empfangen ÷ Verarbeitet.',
  ],
  sms_undeliverable: [
    'SMS, deren Zustellbericht besagt, dass die Nummer sie nicht empfangen kann; die Nachricht schlägt fehl und die Nummer kommt für SMS in Quarantäne.',
    'Nachrichten mit dem Zustellstatus Undeliverable. Die Rate ist Nicht zustellbar ÷ Verarbeitet.',
  ],
  sms_expired: [
    'SMS, die der Netzbetreiber vor ihrem Ablauf nicht zustellen konnte (das Mobiltelefon blieb aus oder außer Reichweite); die Nachricht schlägt fehl und zählt einen Fehler für die Nummer.',
    'Nachrichten mit dem Zustellstatus Expired. Die Rate ist Abgelaufen ÷ Verarbeitet.',
  ],
  sms_segments: [
    'Segmente, die die SMS belegt haben: Netzbetreiber rechnen pro Segment ab. Ein Text, der länger als ein Segment ist (160 GSM-7- oder 70 UCS-2-Zeichen), wird in Teile zu 153 bzw. 67 Zeichen zerlegt.',
    'Summe der Segmente der gesendeten oder nach dem Senden fehlgeschlagenen Nachrichten.',
  ],
  sms_no_receipt: [
    'Gesendete SMS, für die der Betreiber noch keinen Zustellbericht zurückgegeben hat (manche Netze senden nie einen).',
    'Gesendete oder nach dem Senden fehlgeschlagene Nachrichten ohne Berichtsstatus. Die Rate ist Noch ohne Zustellbericht ÷ Verarbeitet.',
  ],
  sms_stop_replies: [
    'Von diesem Versand erreichte Nummern, die mit einem STOP-Wort geantwortet haben: Sie werden von SMS abgemeldet und für den Kanal gesperrt.',
    'Verschiedene Nummern mit einer STOP-Antwort, die nach dem Senden der Nachricht dieses Versands einging, bis 7 Tage nach dem Ende des Versands. Die Rate ist STOP-Antworten ÷ Gesendet.',
  ],
  sms_other_replies: [
    'Von diesem Versand erreichte Nummern, die etwas anderes als ein STOP-Wort geantwortet haben: Ihre Antworten warten auf Prüfung.',
    'Verschiedene Nummern mit einer anderen Antwort im selben Zeitraum. Die Rate ist Andere Antworten ÷ Gesendet.',
  ],
  push_expired: [
    'Browser-Abonnements, die es laut Push-Dienst nicht mehr gibt (404 oder 410): Die Nachricht schlägt fehl und das Abonnement wird nie wieder verwendet.',
    'Mit dem Grund Unbekannter Benutzer fehlgeschlagene Nachrichten, von denen jede ihr Abonnement ablaufen ließ. Die Rate ist Entfernte abgelaufene Abonnements ÷ Zuzustellen.',
  ],
  routed_delivered: [
    'Briefe oder Faxe, die laut den Rückmeldedateien des Dienstleisters zugestellt wurden.',
    'Nachrichten mit dem Rückmeldestatus Zugestellt. Die Rate ist Vom Dienstleister zugestellt ÷ Verarbeitet.',
  ],
  routed_returned: [
    'Briefe, die laut den Rückmeldedateien des Dienstleisters unzustellbar zurückkamen; die Nachricht schlägt fehl und zählt einen Fehler für die Adresse.',
    'Nachrichten mit dem Rückmeldestatus Retour. Die Rate ist Retouren ÷ Verarbeitet.',
  ],
  routed_bad_address: [
    'Briefe oder Faxe, die laut Dienstleister an eine falsche Adresse gingen; die Nachricht schlägt fehl und die Adresse kommt für diesen Kanal in Quarantäne.',
    'Nachrichten mit dem Rückmeldestatus Falsche Adresse. Die Rate ist Falsche Adresse ÷ Verarbeitet.',
  ],
  routing_cost: [
    'Was der Dienstleister für diesen Versand berechnet: Kosten pro Nachricht und pro Versand, je Kanal in der Konfiguration festgelegt.',
    'In Extraktionsdateien geschriebene Nachrichten × Kosten pro Nachricht, zuzüglich der Kosten pro Versand, zu den Preisen, die beim Schreiben der jeweiligen Datei galten.',
  ],
  recipient_opens: [
    'Empfänger, die die Nachricht mindestens einmal geöffnet haben. Ein Klick zählt als Öffnung: Wer klickt, ohne Bilder zu laden (sodass das Öffnungspixel nie geladen wird), hat sie trotzdem geöffnet.',
    'Verschiedene Nachrichten mit einer Öffnung oder einem Klick („Öffnungen“ bei Adobe). Die Rate ist Öffnungen (Empfänger) ÷ Gesendet.',
  ],
  estimated_opens: [
    'Öffnungen (Empfänger), hochgerechnet auf die Empfänger der Textversion, bei denen Öffnungen nicht messbar sind.',
    'Öffnungen (Empfänger) × Zuzustellen ÷ (Zuzustellen − reine Textnachrichten).',
  ],
  total_opens: [
    'Jedes Öffnen der Nachricht, durch wen auch immer: Ein Empfänger, der sie dreimal öffnet, zählt dreifach. Öffnungen derselben Nachricht in kürzerem Abstand als die eingestellte Deduplizierungszeit zählen einmal. Deshalb kann Öffnungen (alle) kleiner oder größer sein als Öffnungen (Empfänger): Klicks zählen nur bei den Empfängern als Öffnungen.',
    'Aufrufe des Öffnungspixels, pro Nachricht innerhalb von tracking.openDedupSeconds dedupliziert.',
  ],
  recipient_clicks: [
    'Empfänger, die mindestens einen getrackten Link geklickt haben.',
    'Verschiedene Nachrichten mit einem Klick. Die Rate ist Klicks (Empfänger) ÷ Gesendet.',
  ],
  person_clicks: [
    'Personen, die geklickt haben, einschließlich der Leser einer weitergeleiteten Nachricht (ein Browser zählt einmal).',
    'Verschiedene Browser, die geklickt haben (das Tracking-Cookie, sonst Adresse und Browser). Die Rate ist Klicks (Personen) ÷ Gesendet.',
  ],
  total_clicks: ['Jeder Klick auf einen getrackten Link, wiederholte Klicks eingeschlossen.', 'Klick-Aufrufe.'],
  reactivity: ['Wie viele der Empfänger, die geöffnet haben, auch geklickt haben.', 'Klicks (Empfänger) ÷ Öffnungen (Empfänger).'],
  forwards: [
    'Personen, die geklickt haben, obwohl sie nicht der Empfänger waren: Die Nachricht wurde weitergeleitet.',
    'Klicks (Personen) − Klicks (Empfänger), nie unter 0.',
  ],
  opt_outs: [
    'Empfänger, die sich über diese Nachricht abgemeldet haben: über ihren Abmeldelink, die Ein-Klick-Abmeldung ihres Postfachs oder einen Opt-out-Link.',
    'Opt-out-Aufrufe der Nachricht. Die Rate ist Abmeldungen ÷ Gesendet.',
  ],
  mirror_views: ['Wie oft die Nachricht auf ihrer Mirrorseite gelesen wurde („im Browser ansehen“).', 'Aufrufe der Mirrorseite.'],
  opens: ['Öffnungen im Zeitverlauf, jede Öffnung gezählt (wie Öffnungen (alle)).', 'Aufrufe des Öffnungspixels pro Stunde (pro Tag ab vier Tagen).'],
  humanOpens: [
    'Öffnungen im Zeitverlauf ohne die bekannter Robots (Link-Scanner, E-Mail-Sicherheitsgateways).',
    'Öffnungs-Aufrufe, die nicht als Robot markiert sind.',
  ],
  clicks: ['Klicks im Zeitverlauf, jeder Klick gezählt (wie Klicks (alle)).', 'Klick-Aufrufe pro Stunde (pro Tag ab vier Tagen).'],
  humanClicks: ['Klicks im Zeitverlauf ohne die bekannter Robots.', 'Klick-Aufrufe, die nicht als Robot markiert sind.'],
  'rate-delivered': [
    'Anteil der gesendeten Nachrichten, die die empfangenden Server angenommen haben.',
    'Gesendet ÷ Verarbeitet, über die im Zeitraum gestarteten Versände.',
  ],
  'rate-bounce': [
    'Anteil der gesendeten Nachrichten, die fehlgeschlagen sind (sofort abgelehnt oder später als Bounce zurückgekommen).',
    'Fehlgeschlagen ÷ Verarbeitet.',
  ],
  'rate-open': ['Anteil der zugestellten Nachrichten, die ihr Empfänger geöffnet hat (ein Klick zählt als Öffnung).', 'Öffnungen (Empfänger) ÷ Gesendet.'],
  'rate-click': ['Anteil der zugestellten Nachrichten, in denen ihr Empfänger einen Link geklickt hat.', 'Klicks (Empfänger) ÷ Gesendet.'],
  'rate-complaint': [
    'Anteil der zugestellten Nachrichten, die ihr Empfänger als Spam gemeldet hat (Feedback-Loops der Postfachanbieter). Halten Sie ihn unter 0,1 %.',
    'Adressen des Versands, die wegen einer Beschwerde auf die Sperrliste gesetzt wurden ÷ Gesendet.',
  ],
  'rate-unsubscribe': ['Anteil der zugestellten Nachrichten, über die sich ihr Empfänger abgemeldet hat.', 'Abmeldungen ÷ Gesendet.'],
  messages: [
    'Eine Anzahl von Nachrichten: im Durchsatzbericht die, die der MTA in der Stunde zu übergeben versucht hat; im Fehlerbericht die, die aus dem jeweiligen Grund fehlgeschlagen sind.',
    'Durchsatz: versuchte SMTP-Transaktionen (die Zähler des MTA pro Zeitfenster). Fehler: fehlgeschlagene Versandlogs pro Grund.',
  ],
  connections: ['SMTP-Verbindungen, die der MTA zu den Servern der Domain geöffnet hat.', 'Verbindungen pro Domain und Zeitfenster, vom MTA gezählt.'],
  soft_errors: [
    'Vorerst abgelehnte Nachrichten (volles Postfach, ausgelasteter Server oder Greylisting): Sie werden bis zum Ende der Gültigkeit des Versands erneut versucht.',
    'SMTP-4xx-Antworten und Netzwerkfehler pro Zeitfenster.',
  ],
  hard_errors: ['Endgültig abgelehnte Nachrichten (unbekannte Adresse, nicht existierende Domain).', 'SMTP-5xx-Antworten pro Zeitfenster.'],
  timeouts: ['Verbindungen oder Transaktionen, die nicht rechtzeitig eine Antwort erhielten.', 'Zeitüberschreitungen pro Domain und Zeitfenster.'],
  refused_connections: [
    'Verbindungen, die die Server der Domain abgelehnt oder geschlossen haben, bevor eine Nachricht übergeben werden konnte.',
    'Abgelehnte Verbindungen pro Domain und Zeitfenster.',
  ],
  error_rate: [
    'Anteil der Versuche an eine Domain, die vorübergehend oder endgültig fehlgeschlagen sind. Eine hohe Rate lässt den MTA für diese Domain langsamer senden.',
    '(Temporäre Fehler + Dauerhafte Fehler) ÷ Nachrichten.',
  ],
  share: ['Der Anteil der Zeile an der Summe der Tabelle.', 'Zeile ÷ Summe der Spalte × 100.'],
  subscribed: [
    'Anmeldungen für den Dienst an diesem Tag (Formulare, API, Konsole, Importe).',
    'Ereignisse der Aktion Anmeldung im Abonnement-Verlauf, pro Tag der Zeitzone des Berichts.',
  ],
  confirmed: [
    'An diesem Tag über ihren Link bestätigte Double-Opt-in-Anmeldungen.',
    'Ereignisse der Aktion Bestätigung im Abonnement-Verlauf, pro Tag der Zeitzone des Berichts.',
  ],
  unsubscribed: [
    'Empfänger, die den Dienst an diesem Tag verlassen haben, auf welchem Weg auch immer (Link, Ein-Klick-Abmeldung, Beschwerde, Konsole).',
    'Ereignisse der Aktion Abmeldung im Abonnement-Verlauf, pro Tag der Zeitzone des Berichts.',
  ],
  expired: [
    'Abonnements, die endeten, weil die Gültigkeit des Dienstes abgelaufen ist.',
    'Ereignisse der Aktion Ablauf im Abonnement-Verlauf, pro Tag der Zeitzone des Berichts.',
  ],
  net: ['Wie sich die Zahl der Abonnenten an diesem Tag verändert hat.', 'Anmeldungen − Abmeldungen − Abgelaufen.'],
  rate: [
    'Die Ratenspalte eines Berichts: die Kennzahl als Anteil ihrer Basis, die oben bei jeder Kennzahl angegeben ist.',
    'Kennzahl ÷ Basis × 100, eine Nachkommastelle; – wenn die Basis 0 ist.',
  ],
};

export const DEFINITIONS: Record<keyof typeof DEFINITION_MESSAGES, string> = {
  'definitions.title': 'Was die Kennzahlen bedeuten',
  'definitions.intro':
    'Jede Kennzahl der Berichte und der Startseite in einfachen Worten, mit der Art, wie Herald sie berechnet (die Formeln von Adobe Campaign).',
  'definitions.group.messages': 'Nachrichten',
  'definitions.group.tracking': 'Öffnungen und Klicks',
  'definitions.group.rates': 'Raten',
  'definitions.group.operations': 'Versand und Abonnements',
  'definitions.how': 'Berechnung:',
  'definitions.link': 'Was ist das?',
  'definitions.link_named': 'Was ist „{name}“?',
  ...definitionTexts(FIGURES),
};
