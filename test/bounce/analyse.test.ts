import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseMessage, classifyReply } from '../../server/bounce/analyse.js';
import { loadRules } from '../../server/bounce/load-rules.js';
import { APP_ROOT } from '../../server/shared/app-root.js';

const FIXTURES = join(APP_ROOT, 'test', 'fixtures', 'bounces');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

/** Real messages (Sisimai's test set) read and qualified end to end: kind, recipients, status, type, reason, rule. */
describe('analyseMessage() on real bounces', () => {
  const rules = loadRules('config/bounce-rules.conf');
  const cases: Array<[string, string, Array<[string, string | undefined, string, string]>]> = [
    ['lhost-sendmail-01.eml', 'dsn', [['userunknown@bouncehammer.jp', '5.1.1', 'hard/user_unknown', 'user_unknown.status_text']]],
    ['lhost-messagingserver-04.eml', 'dsn', [['kijitora@example.jp', '5.2.2', 'soft/mailbox_full', 'mailbox_full.status']]],
    ['lhost-postfix-03.eml', 'dsn', [['kijitora@example.net', '5.0.0', 'soft/refused', 'user_unknown.after_data']]],
    ['lhost-qmail-01.eml', 'dsn', [['kijitora@example.ne.jp', '5.5.0', 'hard/user_unknown', 'user_unknown.rcpt']]],
    [
      'lhost-qmail-02.eml',
      'dsn',
      [
        ['userunknown@example.jp', '5.1.1', 'hard/user_unknown', 'user_unknown.status_text'],
        ['filtered@example.jp', '5.2.1', 'hard/user_unknown', 'user_unknown.rcpt'],
      ],
    ],
    ['lhost-exim-05.eml', 'dsn', [['kijitora@neko.example.co.jp', '5.1.1', 'hard/user_unknown', 'user_unknown.status_text']]],
    ['lhost-gmail-01.eml', 'dsn', [['userunknown@example.jp', '5.1.1', 'hard/user_unknown', 'user_unknown.status_text']]],
    [
      'lhost-exchange2003-02.eml',
      'dsn',
      [
        ['kijitora@example.co.jp', undefined, 'hard/user_unknown', 'microsoft.not_recognized'],
        ['mikeneko@example.co.jp', undefined, 'hard/user_unknown', 'microsoft.not_recognized'],
      ],
    ],
    [
      'lhost-v5sendmail-07.eml',
      'dsn',
      [
        ['kijitora@example.org', undefined, 'soft/refused', 'sender.blocked'],
        ['mikeneko@example.org', undefined, 'hard/invalid_domain', 'invalid_domain'],
        ['hachiware@example.edu', undefined, 'hard/user_unknown', 'user_unknown.rcpt'],
      ],
    ],
    ['lhost-x5-01.eml', 'dsn', [['kijitora@neko.example.org', '5.1.1', 'hard/user_unknown', 'user_unknown.status_text']]],
    ['lhost-dragonfly-20.eml', 'dsn', [['spamdetected@libsisimai.net', '5.7.0', 'soft/refused', 'sender.content']]],
    ['rhost-google-04.eml', 'dsn', [['kijitora@google.example.com', '5.7.26', 'soft/refused', 'sender.authentication.status']]],
    ['rfc3464-34.eml', 'dsn', [['kijitora@example.com', '4.4.1', 'soft/unreachable', 'unreachable.status']]],
    ['lhost-amazonses-09.eml', 'dsn', [['bounce@simulator.amazonses.com', '5.1.1', 'hard/user_unknown', 'user_unknown.status_text']]],
    [
      'arf-17.eml',
      'arf',
      [
        ['kijitora@example.com', undefined, 'hard/refused', 'complaint.feedback_loop'],
        ['sabatora@example.net', undefined, 'hard/refused', 'complaint.feedback_loop'],
      ],
    ],
    ['arf-26.eml', 'arf', [['example@icloud.com', undefined, 'hard/refused', 'complaint.opt_out']]],
    ['rfc3834-02.eml', 'autoreply', [['nekonyaan@example.org', undefined, 'ignored/error_ignored', 'auto_reply']]],
    ['is-not-bounce-01.eml', 'not_bounce', []],
  ];

  for (const [file, kind, recipients] of cases) {
    it(`reads ${file} as ${kind} with ${recipients.length} recipient(s)`, async () => {
      const { parsed, classifications } = await analyseMessage(fixture(file), rules);
      assert.equal(parsed.kind, kind);
      const got = parsed.recipients.map((r, i) => [r.address, r.status, `${classifications[i]!.type}/${classifications[i]!.reason}`, classifications[i]!.rule]);
      assert.deepEqual(got, recipients);
    });
  }

  /** Which family wrote each report, and whose server gave each reply. */
  const families: Array<[string, string | undefined, Array<string | undefined>]> = [
    ['lhost-sendmail-01.eml', 'sendmail', [undefined]],
    ['lhost-qmail-01.eml', 'qmail', [undefined]],
    ['lhost-exim-05.eml', 'exim', [undefined]],
    ['lhost-gmail-01.eml', 'google', [undefined]],
    ['lhost-exchange2003-02.eml', 'microsoft', ['microsoft', 'microsoft']],
    ['lhost-amazonses-09.eml', 'amazon', [undefined]],
    ['lhost-dragonfly-20.eml', 'dragonfly', [undefined]],
    ['rhost-google-04.eml', 'postfix', ['google']],
    ['lhost-x5-01.eml', 'sendmail', [undefined]],
  ];
  for (const [file, reporter, providers] of families) {
    it(`recognises ${file} as written by ${reporter ?? 'an unknown family'}, replies from ${providers.map((p) => p ?? 'an unknown provider').join(', ')}`, async () => {
      const { parsed } = await analyseMessage(fixture(file), rules);
      assert.equal(parsed.reporter, reporter);
      assert.deepEqual(
        parsed.recipients.map((r) => r.provider),
        providers,
      );
    });
  }

  it("reads a family it is not allowed to know with the generic readers, and the product's own words still decide", async () => {
    const known = new Set(['postfix']);
    const { parsed, classifications } = await analyseMessage(fixture('lhost-exchange2003-02.eml'), rules, { known });
    assert.equal(parsed.reporter, undefined);
    assert.deepEqual(
      parsed.recipients.map((r) => r.address),
      ['kijitora@example.co.jp', 'mikeneko@example.co.jp'],
    );
    assert.deepEqual(
      classifications.map((c) => `${c.type}/${c.reason}/${c.rule}`),
      ['hard/user_unknown/microsoft.not_recognized', 'hard/user_unknown/microsoft.not_recognized'],
    );
  });

  const gateways: Array<[string, string, ReadonlySet<string> | undefined, string | undefined, string]> = [
    ['McAfee (recognised)', 'lhost-mcafee-05.eml', undefined, 'mcafee', 'soft/refused/user_unknown.gateway'],
    ['McAfee (not known: its header note)', 'lhost-mcafee-05.eml', new Set<string>(), undefined, 'soft/refused/user_unknown.gateway'],
    ['SurfControl (not known: its X-Mailer)', 'lhost-surfcontrol-01.eml', new Set<string>(), undefined, 'soft/refused/user_unknown.gateway'],
  ];
  for (const [title, file, known, reporter, expected] of gateways) {
    it(`takes a "user unknown" relayed by a filtering gateway for its verdict: ${title}`, async () => {
      const { parsed, classifications } = await analyseMessage(fixture(file), rules, known ? { known } : {});
      assert.equal(parsed.reporter, reporter);
      assert.equal(parsed.role, 'gateway');
      assert.deepEqual(
        classifications.map((c) => `${c.type}/${c.reason}/${c.rule}`),
        [expected],
      );
    });
  }

  it('reports the action of a delay warning so it is not taken for a failure', async () => {
    const { parsed } = await analyseMessage(fixture('rfc3464-34.eml'), rules);
    assert.equal(parsed.recipients[0]!.action, 'delayed');
  });

  it('reads the feedback type of a complaint', async () => {
    const { parsed } = await analyseMessage(fixture('arf-17.eml'), rules);
    assert.equal(parsed.feedback?.feedbackType, 'abuse');
  });

  it('reads the report of a broken MIME body without the boundary parameter continued on a line of its own', async () => {
    // The shape of a carrier gateway's report (Apache James at vtext): the multipart/alternative
    // header's boundary parameter sits unindented on the next line, so the structure is lost.
    const raw = Buffer.from(
      [
        'From: post_master@vtext.example.com',
        'To: kijitora@example.com',
        'Subject: Re:Test message',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="----=_Part_0"',
        '',
        '------=_Part_0',
        'Content-Type: multipart/alternative;',
        'boundary="----=_Part_1"',
        '',
        '------=_Part_1',
        'Content-Type: text/plain; charset=us-ascii',
        '',
        'Error: Invalid user address',
        '',
        'Error message below:',
        '550 - Requested action not taken: no such user here',
        '',
        'Message details:',
        '  RCPT TO: 5555550100@vtext.example.com',
        '------=_Part_1--',
        '------=_Part_0--',
        '',
      ].join('\r\n'),
    );
    const { parsed } = await analyseMessage(raw, rules);
    assert.equal(parsed.recipients.length, 1);
    assert.equal(parsed.recipients[0]!.address, '5555550100@vtext.example.com');
    assert.match(parsed.recipients[0]!.text, /^Error: Invalid user address Error message below: 550 - Requested action not taken: no such user here/);
  });

  it('finds signed-identifier candidates in a returned original', async () => {
    const original = 'Message-ID: <h.1.2.abcdefghijklmnop@mail.example.com>\r\nReturn-Path: <bounce+aaaa-abcdefghijklmnop@bounce.example.com>\r\n\r\nhello\r\n';
    const raw = Buffer.from(
      [
        'From: MAILER-DAEMON@mx.example.org',
        'To: bounce@bounce.example.com',
        'Subject: Undelivered Mail Returned to Sender',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        '<ann@example.org>: host mx.example.org said: 550 5.1.1 User unknown (in reply to RCPT TO command)',
        '--b',
        'Content-Type: message/rfc822',
        '',
        original,
        '--b--',
        '',
      ].join('\r\n'),
    );
    const { parsed } = await analyseMessage(raw, rules);
    assert.deepEqual(parsed.references, ['h.1.2.abcdefghijklmnop@mail.example.com', 'bounce+aaaa-abcdefghijklmnop@bounce.example.com']);
  });
});

describe("classifyReply() (the MTA's synchronous replies)", () => {
  const rules = loadRules('config/bounce-rules.conf');
  const cases: Array<[string, { text: string; command?: string }, string]> = [
    [
      "applies a provider rule when the reply names the provider's host",
      { text: '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [BL2NAM02FT061.eop-nam02.prod.protection.outlook.com]', command: 'RCPT' },
      'microsoft.dbeb',
    ],
    [
      "reads an unknown provider's reply with the generic rules",
      { text: '550 5.4.1 Recipient address rejected: Access denied', command: 'RCPT' },
      'sender.policy',
    ],
    [
      'takes a status code at its word',
      { text: '550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown in local recipient table', command: 'RCPT' },
      'user_unknown.status_text',
    ],
  ];
  for (const [title, input, rule] of cases) {
    it(title, () => assert.equal(classifyReply(input, rules).rule, rule));
  }
});
