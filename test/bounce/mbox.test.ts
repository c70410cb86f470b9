import assert from 'node:assert/strict';
import { messagesOf } from '../../server/bounce/mbox.js';

/** How `herald bounce classify` and `bench bounce-accuracy` read a file that holds several messages (mbox). */
describe('files in mbox format', () => {
  const bounce = (id: string) => `Subject: Undelivered Mail Returned to Sender\nMessage-Id: <${id}@example.com>\n\nThe mail system\n`;
  const cases: Array<[string, string, string[]]> = [
    ['a plain message is one message', bounce('a'), [bounce('a')]],
    [
      'a message after one separator line is one message',
      `From MAILER-DAEMON  Thu Jul  2 12:05:05 2020\n${bounce('a')}`,
      [`From MAILER-DAEMON  Thu Jul  2 12:05:05 2020\n${bounce('a')}`],
    ],
    [
      'each separator starts a message, blank line before it or not',
      `From MAILER-DAEMON  Thu Jul  2 12:05:05 2020\n${bounce('a')}--boundary--\nFrom double-bounce@tr2.example.com  Thu Jul  2 12:05:05 2020\n${bounce('b')}`,
      [
        `From MAILER-DAEMON  Thu Jul  2 12:05:05 2020\n${bounce('a')}--boundary--\n`,
        `From double-bounce@tr2.example.com  Thu Jul  2 12:05:05 2020\n${bounce('b')}`,
      ],
    ],
    [
      'a body line starting with "From " without a date does not split',
      `From MAILER-DAEMON  Thu Jul  2 12:05:05 2020\n${bounce('a')}From the desk of the postmaster\n`,
      [`From MAILER-DAEMON  Thu Jul  2 12:05:05 2020\n${bounce('a')}From the desk of the postmaster\n`],
    ],
    ['a file opening with a From: header is one message', `From: postmaster@example.com\n${bounce('a')}`, [`From: postmaster@example.com\n${bounce('a')}`]],
  ];
  for (const [title, file, messages] of cases) {
    it(title, () =>
      assert.deepEqual(
        messagesOf(Buffer.from(file)).map((m) => m.toString()),
        messages,
      ),
    );
  }
});
