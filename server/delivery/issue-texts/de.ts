import type { ISSUE_MESSAGES } from './en.js';

/** The analysis's messages in German (Sie; „…“ quotes). */
export const ISSUES_DE: Record<keyof typeof ISSUE_MESSAGES, string> = {
  'check.content.empty': 'die Nachricht hat weder einen HTML- noch einen Textteil',
  'check.subject.empty': 'der Betreff ist leer',
  'check.subject.characters': 'der Betreff enthält Zeilenumbrüche oder Steuerzeichen',
  'check.subject.length':
    'der Betreff ist {length} Zeichen lang: Desktop-Programme zeigen etwa {shown}, Telefone etwa 35; stellen Sie das Wichtigste an den Anfang',
  'check.from.missing': 'keine Absenderadresse (From)',
  'check.from.invalid': 'die Absenderadresse ist ungültig: {problem}',
  'check.replyTo.invalid': 'die Reply-To-Adresse ist ungültig: {problem}',
  'check.from.name': 'der Absendername enthält Sonderzeichen (< > @ " oder Steuerzeichen)',
  'check.from.dkim': 'für die Absenderdomain ist kein DKIM-Schlüssel konfiguriert ([[delivery.dkim]]): Postfachanbieter verlangen DKIM für Massenversand',
  'check.unsubscribe.html': 'Marketing-Mails brauchen im HTML-Teil einen Abmeldelink: <a href="<%= links.unsubscribe %>">Abmelden</a>',
  'check.unsubscribe.text': 'Marketing-Mails brauchen im Textteil den Abmeldelink: <%= links.unsubscribe %>',
  'check.text.missing': 'kein Textteil: Empfänger, die Text bevorzugen, erhalten den HTML-Teil',
  'check.text.generated': 'es wurde kein Textteil geschrieben: er wird aus dem HTML erzeugt',
  'check.fields.custom': 'kein Empfänger hat das bzw. die benutzerdefinierten Felder {fields}: sie bleiben leer',
  'check.fields.unknown': 'unbekanntes Personalisierungsfeld {field} (bekannt: {known})',
  'check.fields.unknown_recipient':
    'unbekanntes Personalisierungsfeld {field} (bekannt: {known}); benutzerdefinierte Felder werden als recipient.fields.<name> gelesen',
  'check.images.alt':
    '{count} Bild(er) ohne Alternativtext ({images}): Programme, die Bilder blockieren, zeigen an ihrer Stelle nichts, und Screenreader lesen den Dateinamen vor',
  'check.size.gmail':
    'der HTML-Teil ist mit seinen verfolgten Links etwa {kb} KB groß: Gmail kürzt Nachrichten über {limit} KB und verbirgt den Rest, einschließlich des Abmeldelinks, hinter „Gesamte Nachricht anzeigen“',
  'check.size.total': 'die Nachricht ist etwa {total} KB groß (HTML {html} KB, Text {text} KB)',
  'check.balance.images':
    'das HTML besteht fast nur aus Bildern ({images} Bild(er), {chars} Zeichen Text): Spamfilter misstrauen ihm, und wer Bilder blockiert, sieht fast nichts',
  'check.balance.text':
    'der Textteil ({textChars} Zeichen) sagt viel weniger als das HTML ({htmlChars} Zeichen): lassen Sie ihn leer, damit er aus dem HTML erzeugt wird',
  'check.preheader.missing':
    'kein Preheader: Posteingänge zeigen die ersten Wörter des Inhalts neben dem Betreff; fügen Sie <mj-preview> (MJML) oder eine versteckte erste Zeile hinzu',
  'check.footer.address':
    'die Fußzeile zeigt noch die Beispiel-Postanschrift (1 Example Street): bearbeiten Sie den Inhaltsblock „footer“, Marketing-Mails müssen Ihre Postanschrift zeigen',
  'check.sms.text': 'eine SMS braucht ihren Text (der HTML-Teil wird nicht per SMS gesendet)',
  'check.sms.stop': 'eine Marketing-SMS sollte sagen, wie man sie abbestellt, z. B. „STOP zum Abmelden“',
  'check.routing.provider': 'für {channel} ist kein [[routing.providers]] konfiguriert: die Extraktionsdatei hätte kein Ziel',
  'check.validity.ended': 'der Gültigkeitszeitraum ist bereits abgelaufen',
  'check.validity.schedule': 'das Kontaktdatum liegt nach dem Ende des Gültigkeitszeitraums',
  'check.proof.size': 'ein Korrekturabzug geht an höchstens {max} Adressen (angegeben: {count})',
  'check.headers.name': 'der Header „{name}“ kann nicht vom Inhalt gesetzt werden (reserviert oder kein gültiger Header-Name)',
  'check.blocks.unresolved': 'der Inhalt verweist auf Inhaltsblöcke, die nicht eingefügt wurden (kompilieren Sie ihn zuerst)',
  'check.blocks.missing': 'es gibt keinen Inhaltsblock „{name}“',
  'check.blocks.format': 'der Block „{name}“ ist MJML und kann nur in MJML-Inhalten verwendet werden',
  'check.blocks.nested': 'der Block „{name}“ verweist auf einen anderen Block; Blöcke können keine Blöcke enthalten',
  'check.blocks.reference': 'ein Blockverweis wird <herald-block name="…"></herald-block> geschrieben',
  'check.landing.personalized': 'eine Landingpage ist für alle Besucher gleich; sie kann kein <% … %> enthalten (Personalisierung, Empfängerlinks)',
  'check.landing.form': 'es gibt kein Formular „{name}“ zum Einbetten; verwenden Sie <herald-form name="subscribe"></herald-form>',
  'check.links.code': 'Code (<% %>) ist in einem Link nicht erlaubt; berechnen Sie den Wert vor dem Link',
  'check.links.host': 'Personalisierung im Schema oder Host eines Links ist nicht erlaubt (Empfänger könnten auf eine andere Website geleitet werden)',
  'check.links.path': 'Personalisierung ist nur in den Werten von Abfrageparametern erlaubt, nicht im Pfad eines Links',
  'check.links.fragment': 'Personalisierung ist im #Fragment eines Links nicht erlaubt',
  'check.links.query_name': 'Personalisierung ist in den Namen von Abfrageparametern nicht erlaubt',
  'check.links.broken': 'der Link {url} antwortet nicht: {answer}',
  'check.links.image_broken': 'das Bild {url} antwortet nicht: {answer}',
  'check.links.unchecked': '{count} Link(s) wurden nicht geprüft (content.maxLinksChecked = {max})',
  'check.links.checked': '{count} Link(s) und Bild(er) geprüft, {failed} ohne Antwort',
  'check.spam.not_installed': 'kein Spam-Wert: {path} ist nicht installiert (Debian-Paket spamassassin)',
  'check.spam.unreachable': 'kein Spam-Wert: spamc konnte spamd unter {address} nicht erreichen ({why})',
  'check.spam.high': 'SpamAssassin bewertet diese Nachricht mit {score} (Spam ab {threshold}): prüfen Sie Bilder, Links und Formulierungen',
  'check.spam.score': 'SpamAssassin bewertet diese Nachricht mit {score} (Spam ab {threshold})',
};
