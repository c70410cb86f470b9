import assert from 'node:assert/strict';
import { findCommand } from '../../server/bounce/smtp-reply.js';

describe('findCommand()', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['Postfix after RCPT TO', '550 5.1.1 <ann@example.org>: User unknown (in reply to RCPT TO command)', 'RCPT'],
    ['Postfix after MAIL FROM', '550 5.7.1 sender rejected (in reply to MAIL FROM command)', 'MAIL'],
    ['Exim after MAIL FROM', 'SMTP error from remote mail server after MAIL FROM:<bob@example.net> SIZE=1234: 550 rejected', 'MAIL'],
    ['Postfix after end of DATA', '550 Unknown user ann@example.org (in reply to end of DATA command)', 'DATA'],
    [
      'nothing from prose that says "the following mail"',
      'The following mail could not be delivered. Reason: Unable to deliver message to <ann@example.org>',
      undefined,
    ],
    ['nothing from a host named mail.*', 'Delivery to mail.example.org failed: 550 No such user', undefined],
  ];
  for (const [title, text, command] of cases) {
    it(`reads ${title}`, () => {
      assert.equal(findCommand(text), command);
    });
  }
});
