import assert from 'node:assert/strict';
import { readAsFamily } from '../../server/bounce/family-readers.js';
import type { BounceRecipient } from '../../server/bounce/types.js';

describe('readAsFamily()', () => {
  const expired: BounceRecipient = {
    address: 'ann@example.org',
    status: '4.4.7',
    text: '554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>',
  };
  const cases: Array<[string, string | undefined, BounceRecipient[], string, Array<[string, string | undefined]>]> = [
    ['takes the remote reply Amazon SES wraps in <…>', 'amazon', [expired], '', [['ann@example.org', '4.4.2']]],
    ['leaves the same text alone for another family', 'postfix', [expired], '', [['ann@example.org', '4.4.7']]],
    ['leaves it alone when no family is known', undefined, [expired], '', [['ann@example.org', '4.4.7']]],
    [
      'names the list fml refused the post to',
      'fml',
      [{ address: 'list-ctl@example.org', text: 'not a member' }],
      'You are not a member of this mailing list <list@example.org>.\nsend mail to list-ctl@example.org',
      [['list@example.org', undefined]],
    ],
  ];
  for (const [title, family, recipients, report, want] of cases) {
    it(title, () => {
      assert.deepEqual(
        readAsFamily(family, recipients, report).map((r) => [r.address, r.status]),
        want,
      );
    });
  }
});
