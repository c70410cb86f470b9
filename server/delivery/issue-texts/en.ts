/**
 * The words of the analysis's messages (control rules and pre-send checks), in English. An issue is
 * stored with its key and parameters (and this English sentence, for the API, the CLI and logs), so
 * the console shows it in the language of whoever reads it; the translations (es.ts, fr.ts, de.ts)
 * are typed by these keys and the web module adds them to its catalogues (site overrides and the
 * catalogue tests included). Parameters are figures, names and addresses, never words.
 */
export const ISSUE_MESSAGES = {
  'check.content.empty': 'the message has neither an HTML nor a text part',
  'check.subject.empty': 'the subject is empty',
  'check.subject.characters': 'the subject holds line breaks or control characters',
  'check.subject.length': 'the subject is {length} characters long: desktop clients show about {shown}, phones about 35; put what matters first',
  'check.from.missing': 'no sender (From) address',
  'check.from.invalid': 'the sender address is not valid: {problem}',
  'check.replyTo.invalid': 'the Reply-To address is not valid: {problem}',
  'check.from.name': 'the sender name holds special characters (< > @ " or controls)',
  'check.from.dkim': 'no DKIM key is configured for the sender domain ([[delivery.dkim]]): mailbox providers require DKIM for bulk mail',
  'check.unsubscribe.html': 'marketing mail needs an unsubscribe link in the HTML part: <a href="<%= links.unsubscribe %>">Unsubscribe</a>',
  'check.unsubscribe.text': 'marketing mail needs the unsubscribe link in the text part: <%= links.unsubscribe %>',
  'check.text.missing': 'no text part: recipients who prefer text get the HTML part',
  'check.text.generated': 'no text part was written: it is generated from the HTML',
  'check.fields.custom': 'no recipient has the custom field(s) {fields}: they render empty',
  'check.fields.unknown': 'unknown personalization field {field} (known: {known})',
  'check.fields.unknown_recipient': 'unknown personalization field {field} (known: {known}); custom fields are read as recipient.fields.<name>',
  'check.images.alt':
    '{count} image(s) without alt text ({images}): clients that block images show nothing in their place and screen readers read the file name',
  'check.size.gmail':
    'the HTML part is about {kb} KB with its tracked links: Gmail clips messages over {limit} KB and hides the rest, the unsubscribe link included, behind "View entire message"',
  'check.size.total': 'the message is about {total} KB (HTML {html} KB, text {text} KB)',
  'check.balance.images':
    'the HTML is mostly images ({images} image(s), {chars} characters of text): spam filters distrust it and readers who block images see almost nothing',
  'check.balance.text':
    'the text part ({textChars} characters) says much less than the HTML ({htmlChars} characters): leave it empty to generate it from the HTML',
  'check.preheader.missing': 'no preheader: inbox lists show the first words of the body next to the subject; add <mj-preview> (MJML) or a hidden first line',
  'check.footer.address':
    'the footer still shows the example postal address (1 Example Street): edit the "footer" content block, marketing mail must show your postal address',
  'check.sms.text': 'an SMS needs its text (the HTML part is not sent by SMS)',
  'check.sms.stop': 'a marketing SMS should tell how to stop receiving them, e.g. "STOP to unsubscribe"',
  'check.push.title': 'a push notification needs its title',
  'check.routing.provider': 'no [[routing.providers]] is configured for {channel}: the extraction file would have nowhere to go',
  'check.validity.ended': 'the validity period has already ended',
  'check.validity.schedule': 'the contact date is after the end of the validity period',
  'check.proof.size': 'a proof goes to at most {max} addresses (got {count})',
  'check.headers.name': 'header "{name}" cannot be set by the content (reserved or not a valid header name)',
  'check.blocks.unresolved': 'the content refers to content blocks that were not included (compile it first)',
  'check.blocks.missing': 'there is no content block "{name}"',
  'check.blocks.format': 'block "{name}" is MJML and can only be used in MJML content',
  'check.blocks.nested': 'block "{name}" refers to another block; blocks cannot include blocks',
  'check.blocks.reference': 'a block reference is written <herald-block name="…"></herald-block>',
  'check.landing.personalized': 'a landing page is the same for every visitor; it cannot hold <% … %> (personalization, recipient links)',
  'check.landing.form': 'there is no form "{name}" to embed; use <herald-form name="subscribe"></herald-form>',
  'check.context.tag': 'personalization inside a tag must sit in a quoted attribute value',
  'check.context.unquoted': 'put the value of the "{name}" attribute in quotes when it holds personalization',
  'check.context.handler': 'personalization is not allowed in event handlers ("{name}")',
  'check.context.style': 'personalization is not allowed in style attributes',
  'check.context.srcset': 'personalization is not allowed in srcset (use src)',
  'check.context.meta': 'personalization is not allowed in <meta content>',
  'check.context.element': 'personalization is not allowed inside <{tag}>',
  'check.context.conditional': 'personalization is not allowed in a conditional comment',
  'check.context.declaration': 'personalization is not allowed in declarations',
  'check.context.end_tag': 'personalization is not allowed inside an end tag',
  'check.mjml.include': '<mj-include> is not allowed; use a content block',
  'check.mjml.dropped': 'MJML drops {tag} here (text between sections or columns); put it inside <mj-raw> or <mj-text>',
  'check.links.code': 'code (<% %>) is not allowed inside a link; compute the value before the link',
  'check.links.host': 'personalization in the scheme or host of a link is not allowed (recipients could be sent to another site)',
  'check.links.path': 'personalization is allowed only in query-parameter values, not in the path of a link',
  'check.links.fragment': 'personalization is not allowed in the #fragment of a link',
  'check.links.query_name': 'personalization is not allowed in query-parameter names',
  'check.links.too_long': 'a tracked link has at most {max} characters: {url}',
  'check.links.spaces': 'a link must not contain spaces or control characters (write %20): {url}',
  'check.links.too_many_params': 'a tracked link has at most {max} personalized parameters: {url}',
  'check.links.credentials': 'a tracked link must not carry credentials: {url}',
  'check.links.not_absolute': 'not a valid absolute link: {url}',
  'check.links.broken': 'the link {url} does not answer: {answer}',
  'check.links.image_broken': 'the image {url} does not answer: {answer}',
  'check.links.unchecked': '{count} link(s) were not checked (content.maxLinksChecked = {max})',
  'check.links.checked': '{count} link(s) and image(s) checked, {failed} not answering',
  'check.spam.not_installed': 'no spam score: {path} is not installed (Debian package spamassassin)',
  'check.spam.unreachable': 'no spam score: spamc could not ask spamd at {address} ({why})',
  'check.spam.high': 'SpamAssassin scores this message {score} (spam from {threshold}): look at its images, links and wording',
  'check.spam.score': 'SpamAssassin scores this message {score} (spam from {threshold})',
} as const;

export type IssueKey = keyof typeof ISSUE_MESSAGES;
