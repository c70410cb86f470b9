/**
 * Who wrote a bounce and whose server gave the reply: the families of mail software and mail
 * providers Herald recognises. The reporting family (the software that wrote the report) decides
 * how the report is read; the provider of the remote server (from its host name, its own wording
 * or the recipient's domain) lets provider rules read a reply the way that provider means it
 * (Google's 5.2.1 for rate limiting, au's "550 : User unknown" for a filter). Pure data.
 *
 * Signs are the published or long-stable marks of each family: the daemon's From address, its
 * subject line, its own header fields, the opening sentence of its report or the fields it adds to
 * its delivery-status part. A family is recognised
 * by the first of its signs found; families are tried in table order, so providers and filtering
 * gateways (which often run a generic MTA underneath) come before the MTAs.
 */

/** What a family is: a mail transfer agent, a mailbox provider, an email service provider (sending platform), a filtering gateway or a mobile carrier. */
export const FAMILY_ROLES = ['mta', 'mailbox', 'esp', 'gateway', 'carrier'] as const;
export type FamilyRole = (typeof FAMILY_ROLES)[number];

export interface FamilySigns {
  /** The bounce's From address. */
  from?: RegExp;
  /** The bounce's own header section (`Name: value` lines). */
  headers?: RegExp;
  subject?: RegExp;
  /** The report text (its first lines). */
  body?: RegExp;
}

export interface Family {
  id: string;
  label: string;
  role: FamilyRole;
  /** Signs that this family wrote the report. */
  reporter?: FamilySigns;
  /** Host names of its servers (in the Remote-MTA field or the reply) or its own reply wording. */
  hosts?: RegExp;
  /** Recipient domains it hosts (the mailbox is there, so the reply is its own). */
  domains?: RegExp;
}

export const FAMILIES: readonly Family[] = [
  // Sending platforms: their bounces are rewritten by the platform whatever MTA refused the mail.
  {
    id: 'amazon',
    label: 'Amazon SES / WorkMail',
    role: 'esp',
    reporter: { from: /@([\w-]+\.)*amazonses\.com$/, headers: /^(x-ses-outgoing|x-mailer: amazon workmail)/im },
  },
  { id: 'sendgrid', label: 'SendGrid', role: 'esp', reporter: { headers: /^x-sendgrid-|^x-sg-eid:/im, from: /@([\w-]+\.)*sendgrid\.(net|info)$/ } },
  { id: 'mailgun', label: 'Mailgun', role: 'esp', reporter: { headers: /^x-mailgun-/im, from: /@([\w-]+\.)*mailgun\.(org|net)$/ } },
  { id: 'powermta', label: 'PowerMTA', role: 'esp', reporter: { headers: /^x-powermta-/im, body: /^x-powermta-/im } },
  // Filtering gateways in front of a mailbox server: what they relay is their own verdict.
  { id: 'mcafee', label: 'McAfee Email Gateway', role: 'gateway', reporter: { headers: /^x-nai-header:|mcafee/im } },
  { id: 'surfcontrol', label: 'SurfControl E-mail Filter', role: 'gateway', reporter: { headers: /^x-mailer: surfcontrol|^x-sef-/im } },
  { id: 'activehunter', label: 'ActiveHunter', role: 'gateway', reporter: { headers: /^x-ahmailid:/im } },
  { id: 'interscan', label: 'Trend Micro InterScan', role: 'gateway', reporter: { body: /message from interscan messaging security suite/i } },
  {
    id: 'barracuda',
    label: 'Barracuda',
    role: 'gateway',
    reporter: { headers: /^x-barracuda-/im, subject: /^\*\*message you sent blocked by our bulk email filter\*\*/i },
  },
  { id: 'mfilter', label: 'm-FILTER', role: 'gateway', reporter: { headers: /^x-mailer: m-filter/im } },
  { id: 'amavis', label: 'amavis content filter', role: 'gateway', reporter: { headers: /^from: "?content-filter at /im } },
  {
    id: 'messagelabs',
    label: 'Symantec MessageLabs',
    role: 'gateway',
    reporter: { from: /@([\w-]+\.)*messagelabs\.com$/ },
    hosts: /\bmessagelabs\.com\b/i,
  },
  // Mailbox providers.
  {
    id: 'google',
    label: 'Gmail / Google Workspace / Google Groups',
    role: 'mailbox',
    reporter: { from: /@(googlemail|google|gmail)\.com$/, headers: /^x-gm-message-state:|^x-google-smtp-source:/im },
    hosts: /\b(google|googlemail|gmail)\.com\b|\bgsmtp\b|support\.google\.com/i,
    domains: /^(gmail|googlemail)\.com$/,
  },
  {
    id: 'microsoft',
    label: 'Exchange / Microsoft 365 / Outlook.com',
    role: 'mailbox',
    reporter: {
      from: /@([\w-]+\.)*(hotmail|outlook|live|msn)\.(com|[a-z]{2})$/,
      headers: /^x-ms-exchange-|^x-ms-tnef-correlator:|^x-mimeole: produced by microsoft exchange/im,
      body: /delivery has failed to these recipients or groups|did not reach the following recipient|diagnostic information for administrators|^\s*msexch:|the following recipient\(s\) could not be reached|microsoft exchange/im,
    },
    hosts: /\bprotection\.outlook\.com\b|\b(hotmail|outlook)\.com\b|\bRESOLVER\.[A-Z]+\.|\bSTOREDRV\.|\bMSEXCH\b/i,
    domains: /^(hotmail|outlook|live|msn)\.[a-z.]+$/,
  },
  {
    id: 'yahoo',
    label: 'Yahoo / AOL',
    role: 'mailbox',
    reporter: { from: /@([\w-]+\.)*(yahoo|yahoo-inc|aol)\.(com|co\.[a-z]{2}|[a-z]{2})$/ },
    hosts:
      /\byahoo(dns|-inc)?\.(com|net)\b|\bmx\.aol\.com\b|senders\.yahooinc\.com|postmaster\.(verizonmedia|yahooinc)\.com|delivery error: dd |\[TS0\d\]|\[TSS\d\d\]/i,
    domains: /^(yahoo|ymail|rocketmail|aol|aim)\.[a-z.]+$/,
  },
  {
    id: 'apple',
    label: 'iCloud',
    role: 'mailbox',
    reporter: { from: /@([\w-]+\.)*(icloud|me|mac)\.com$/ },
    hosts: /\bicloud\.com\b/i,
    domains: /^(icloud|me|mac)\.com$/,
  },
  {
    id: 'yandex',
    label: 'Yandex',
    role: 'mailbox',
    reporter: { from: /@([\w-]+\.)*yandex\.(ru|com|net)$/ },
    hosts: /\byandex\.(ru|net|com)\b/i,
    domains: /^(yandex\.(ru|com|ua|by|kz)|ya\.ru)$/,
  },
  {
    id: 'mailru',
    label: 'Mail.ru',
    role: 'mailbox',
    reporter: { from: /@([\w-]+\.)*mail\.ru$/ },
    hosts: /\bmail\.ru\b/i,
    domains: /^(mail|inbox|list|bk)\.ru$/,
  },
  {
    id: 'gmx',
    label: 'GMX / WEB.DE / 1&1 IONOS',
    role: 'mailbox',
    reporter: {
      from: /@([\w-]+\.)*(gmx\.(net|com|de)|web\.de|kundenserver\.de|1and1\.[a-z]+|ionos\.[a-z]+)$/,
      headers: /^x-ui-(out-)?filterresults:|^x-gmx-/im,
    },
    hosts: /\b(gmx\.net|web\.de|kundenserver\.de|1and1\.[a-z]+|ionos\.[a-z]+)\b/i,
    domains: /^(gmx\.[a-z.]+|web\.de)$/,
  },
  {
    id: 'zoho',
    label: 'Zoho Mail',
    role: 'mailbox',
    reporter: { from: /@([\w-]+\.)*zoho\.(com|eu|in)$/, headers: /^x-zohomail:|^x-mailer: zoho mail/im },
    hosts: /\bzoho\.(com|eu)\b/i,
  },
  {
    id: 'facebook',
    label: 'Facebook',
    role: 'mailbox',
    reporter: { from: /@([\w-]+\.)*facebook\.com$/ },
    hosts: /\bfacebook\.com\b/i,
    domains: /^facebook\.com$/,
  },
  {
    id: 'orange',
    label: 'Orange / La Poste',
    role: 'mailbox',
    hosts: /\b(orange|wanadoo)\.fr\b|\blaposte\.net\b|\b(OFR|LPN)\d{3}_\d+/i,
    domains: /^(orange|wanadoo)\.fr$|^laposte\.net$/,
  },
  { id: 'cox', label: 'Cox', role: 'mailbox', hosts: /\bcox\.(net|com)\b|\bcloudfilter\.net\b/i, domains: /^cox\.net$/ },
  {
    id: 'spectrum',
    label: 'Spectrum (Charter)',
    role: 'mailbox',
    hosts: /\b(charter\.net|spectrum\.net|rr\.com)\b/i,
    domains: /^(charter\.net|[\w-]+\.rr\.com)$/,
  },
  { id: 'godaddy', label: 'GoDaddy', role: 'mailbox', hosts: /\bsecureserver\.net\b/i },
  { id: 'tencent', label: 'Tencent QQ Mail', role: 'mailbox', hosts: /\bqq\.com\b/i, domains: /^(qq|foxmail)\.com$/ },
  { id: 'verizon', label: 'Verizon Wireless (vtext)', role: 'carrier', reporter: { from: /@([\w-]+\.)*vtext\.com$/ }, domains: /^vtext\.com$/ },
  // Japanese mobile carriers: their users filter senders, and the carriers answer in their own way.
  {
    id: 'au',
    label: 'au (KDDI)',
    role: 'carrier',
    reporter: { from: /@([\w-]+\.)*(ezweb\.ne\.jp|au\.com)$/ },
    hosts: /\b(ezweb\.ne\.jp|au\.com|uqmobile\.jp)\b/i,
    domains: /^(ezweb\.ne\.jp|[\w-]+\.ezweb\.ne\.jp|au\.com|uqmobile\.jp)$/,
  },
  {
    id: 'docomo',
    label: 'NTT docomo',
    role: 'carrier',
    reporter: { from: /@([\w-]+\.)*docomo\.ne\.jp$/ },
    hosts: /\bdocomo\.ne\.jp\b/i,
    domains: /^(docomo\.ne\.jp|mopera\.net)$/,
  },
  {
    id: 'softbank',
    label: 'SoftBank',
    role: 'carrier',
    reporter: { from: /@([\w-]+\.)*(softbank\.ne\.jp|i\.softbank\.jp)$/ },
    hosts: /\bsoftbank\.(ne\.)?jp\b/i,
    domains: /^([\w-]+\.)?softbank\.ne\.jp$|^i\.softbank\.jp$/,
  },
  { id: 'biglobe', label: 'BIGLOBE', role: 'mailbox', reporter: { from: /@([\w-]+\.)*biglobe\.ne\.jp$/ }, domains: /^([\w-]+\.)?biglobe\.ne\.jp$/ },
  { id: 'bigfoot', label: 'Bigfoot', role: 'mailbox', reporter: { from: /@([\w-]+\.)*bigfoot\.com$/ } },
  // Mail server software.
  {
    id: 'domino',
    label: 'HCL (Lotus) Domino / Notes',
    role: 'mta',
    reporter: { headers: /^x-mailer: .*(domino|lotus notes)/im, subject: /^delivery failure: /i, body: /domino directory|^-+\s*failure reasons\s*-+$/im },
  },
  { id: 'groupwise', label: 'GroupWise', role: 'mta', reporter: { headers: /^x-mailer: .*groupwise/im, body: /\bgroupwise\b/i } },
  { id: 'zimbra', label: 'Zimbra', role: 'mta', reporter: { headers: /^x-mailer: .*zimbra/im } },
  { id: 'imail', label: 'Ipswitch IMail', role: 'mta', reporter: { headers: /^x-mailer: <smtp32 /im } },
  {
    id: 'sun-messaging',
    label: 'Oracle Communications Messaging Server',
    role: 'mta',
    reporter: { headers: /boundary="?Boundary_\(ID_/im, body: /^this report relates to a message you sent/im },
  },
  { id: 'courier', label: 'Courier', role: 'mta', reporter: { body: /\bcourier mail server at\b|this is a delivery status notification from/i } },
  {
    id: 'opensmtpd',
    label: 'OpenSMTPD',
    role: 'mta',
    reporter: { body: /this is the mailer-daemon, please do not reply to this e-?mail/i, headers: /^received: .*\(opensmtpd\)/im },
  },
  { id: 'dragonfly', label: 'DragonFly Mail Agent', role: 'mta', reporter: { body: /^there was an error delivering your mail to </im } },
  { id: 'fml', label: 'fml mailing list manager', role: 'mta', reporter: { headers: /^x-mlserver: fml/im } },
  { id: 'james', label: 'Apache James', role: 'mta', reporter: { body: /^error: invalid user address|apache james/im } },
  {
    id: 'qmail',
    label: 'qmail',
    role: 'mta',
    reporter: { body: /this is the qmail-send program|i'm afraid i wasn't able to deliver your message|\bqmail-(send|remote|local)\b/i },
  },
  {
    id: 'exim',
    label: 'Exim',
    role: 'mta',
    reporter: {
      body: /this message was created automatically by mail delivery software|a message that you sent could not be delivered to one or more of its/i,
      subject: /^mail delivery failed: returning message to sender|^warning: message .* delayed/i,
    },
  },
  {
    id: 'postfix',
    label: 'Postfix',
    role: 'mta',
    reporter: {
      headers: /^x-postfix-/im,
      body: /^this is the mail system at host |^x-postfix-(queue-id|sender):|postfix program|\(in reply to (rcpt to|end of data|mail from) command\)/im,
      subject: /^undelivered mail returned to sender$|^delayed mail \(still being retried\)$/i,
    },
  },
  {
    id: 'sendmail',
    label: 'Sendmail',
    role: 'mta',
    reporter: {
      body: /^\s*-{3,} ?(the following addresses had (permanent fatal|transient non-fatal) errors|transcript of session follows)/im,
      subject: /^returned mail: |^warning: could not send message for past/i,
    },
  },
];

export const FAMILY_IDS: ReadonlySet<string> = new Set(FAMILIES.map((f) => f.id));

/**
 * What a report's writer is when the family itself is not recognised: a filtering product names
 * itself as one in its own header fields or its report's first line ("X-Mailer: SurfControl E-mail
 * Filter", "X-NAI-Header: Modified by McAfee Email and Web Security Virtual Appliance", "Message
 * from InterScan Messaging Security Suite"), whatever the vendor. Only the bounce's X-Mailer,
 * User-Agent and "Modified/Processed/Generated by" notes are read, never its Received lines or
 * scanner verdict fields: the receiving side's own filters stamp those on every bounce.
 */
export const ROLE_SIGNS: ReadonlyArray<{ role: FamilyRole; signs: FamilySigns }> = [
  {
    role: 'gateway',
    signs: {
      headers:
        /^(x-mailer|user-agent): [^\n]*\b(filter|firewall|anti-?spam|anti-?virus|(e-?mail|messaging|content) security)\b|^x-[\w-]+: (modified|processed|generated) by [^\n]*\b(e-?mail|messaging|content|spam|virus)\b[^\n]{0,30}\b(filter|security|firewall)\b/im,
      body: /^\W*message from [^\n]{0,60}\b(e-?mail|messaging|content) (security|filter)/im,
    },
  },
];
