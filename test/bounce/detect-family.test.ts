import assert from 'node:assert/strict';
import { providerFamily, reporterFamily, reporterRole, type ReplyView, type ReportView } from '../../server/bounce/detect-family.js';
import { FAMILIES } from '../../server/bounce/families.js';

const view = (v: Partial<ReportView>): ReportView => ({ from: '', subject: '', headers: '', text: '', ...v });

describe('reporterFamily()', () => {
  const cases: Array<[string, Partial<ReportView>, string | undefined]> = [
    ['Postfix by its opening line', { text: "This is the mail system at host mx.example.org.\n\nI'm sorry to have to inform you" }, 'postfix'],
    ['Exim by its X-Failed-Recipients-era wording', { text: 'This message was created automatically by mail delivery software.' }, 'exim'],
    ['Sendmail by its transcript', { text: '   ----- Transcript of session follows -----\n550 5.1.1 ann... User unknown' }, 'sendmail'],
    ['qmail by its greeting', { text: 'Hi. This is the qmail-send program at mx.example.org.' }, 'qmail'],
    ['Exchange by its header fields', { headers: 'X-MS-Exchange-Organization-SCL: -1' }, 'microsoft'],
    ['Gmail by its daemon address', { from: 'mailer-daemon@googlemail.com' }, 'google'],
    ['Amazon SES by its daemon address', { from: 'mailer-daemon@us-west-2.amazonses.com' }, 'amazon'],
    ['SendGrid by its header fields', { headers: 'X-SG-EID: abc' }, 'sendgrid'],
    ['a filtering gateway before the MTA underneath', { headers: 'X-NAI-Header: Modified by McAfee', text: 'This is the mail system at host x' }, 'mcafee'],
    ['Domino by its subject', { subject: 'DELIVERY FAILURE: User Ann (ann@example.org) not listed in Domino Directory' }, 'domino'],
    ['au by its daemon address', { from: 'postmaster@ezweb.ne.jp' }, 'au'],
    ['nobody from a plain message', { from: 'ann@example.org', subject: 'hello', text: 'hi' }, undefined],
  ];
  for (const [title, v, family] of cases) {
    it(`recognises ${title}`, () => {
      assert.equal(reporterFamily(view(v))?.id, family);
    });
  }

  it('recognises only the families it is allowed to know', () => {
    const postfix = view({ text: 'This is the mail system at host mx.example.org.' });
    assert.equal(reporterFamily(postfix, new Set(['exim']))?.id, undefined);
    assert.equal(reporterFamily(postfix, new Set(['postfix']))?.id, 'postfix');
  });

  it('reads only the head of a long report', () => {
    assert.equal(reporterFamily(view({ text: `${'x'.repeat(100_000)}\nThis is the qmail-send program` }))?.id, undefined);
  });

  it('names every family once, with a known role', () => {
    const ids = FAMILIES.map((f) => f.id);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('reporterRole()', () => {
  const cases: Array<[string, Partial<ReportView>, string | undefined]> = [
    ['the role of a recognised family', { headers: 'X-NAI-Header: Modified by McAfee' }, 'gateway'],
    ['the role of a recognised mail server', { text: 'This is the mail system at host mx.example.org.' }, 'mta'],
    ['a filter that names itself in its X-Mailer', { headers: 'X-Mailer: Acme E-mail Filter 6.0' }, 'gateway'],
    [
      'a security appliance that names itself in a header note',
      { headers: 'X-Acme-Header: Modified by Acme Email and Web Security Virtual Appliance' },
      'gateway',
    ],
    ['a security suite that names itself in its report', { text: '****** Message from Acme Messaging Security Suite ******' }, 'gateway'],
    [
      'nothing from the Received lines of the bounce (the receiving side stamps them)',
      { headers: 'Received: from mx by filter.example.org (Acme Email Security Gateway)' },
      undefined,
    ],
    ['nothing from a scanner verdict field', { headers: 'X-Virus-Scanned: by Acme content filter at example.org' }, undefined],
    ['nothing from an ordinary mail client', { headers: 'X-Mailer: Apple Mail (2.3608)' }, undefined],
  ];
  for (const [title, v, role] of cases) {
    it(`gives ${title}`, () => {
      const report = view(v);
      assert.equal(reporterRole(report, reporterFamily(report)), role);
    });
  }

  it('reads only what the report says of itself when its family may not be known', () => {
    const report = view({ headers: 'X-NAI-Header: Modified by McAfee Email and Web Security Virtual Appliance' });
    assert.equal(reporterRole(report, reporterFamily(report, new Set())), 'gateway');
    assert.equal(reporterRole(view({ headers: 'X-NAI-Header: Modified by McAfee' }), reporterFamily(view({}), new Set())), undefined);
  });
});

describe('providerFamily()', () => {
  const reply = (v: Partial<ReplyView>): ReplyView => ({ text: '', address: '', ...v });
  const cases: Array<[string, Partial<ReplyView>, string | undefined]> = [
    ['Google from the Remote-MTA', { remoteMta: 'gmail-smtp-in.l.google.com', address: 'ann@example.org' }, 'google'],
    [
      'Microsoft from a host name in the reply',
      { text: '550 5.4.1 Access denied [BL2NAM02FT061.eop-nam02.prod.protection.outlook.com]', address: 'ann@example.org' },
      'microsoft',
    ],
    ['Yahoo from its own wording', { text: "554 delivery error: dd This user doesn't have a yahoo.com account", address: 'ann@example.com' }, 'yahoo'],
    ['au from the recipient domain', { text: '550 : User unknown', address: 'ann@ezweb.ne.jp' }, 'au'],
    [
      'the recipient domain before a sender address quoted in the reply',
      { text: '550 5.1.0 <x@bounces.amazonses.com> sender rejected', address: 'ann@charter.net' },
      'spectrum',
    ],
    ['the Remote-MTA before the recipient domain', { remoteMta: 'mx.mail.icloud.com', address: 'ann@gmail.com' }, 'apple'],
    ['nobody for an unknown server', { remoteMta: 'mx.example.org', text: '550 5.1.1 User unknown', address: 'ann@example.org' }, undefined],
  ];
  for (const [title, v, family] of cases) {
    it(`recognises ${title}`, () => {
      assert.equal(providerFamily(reply(v))?.id, family);
    });
  }
});
