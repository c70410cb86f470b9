import assert from 'node:assert/strict';
import { groupBy } from '../../server/shared/group-by.js';

describe('groupBy', () => {
  it('groups items by key in one pass, each group in the items’ order', () => {
    const cases: Array<[number[], Array<[number, number[]]>]> = [
      [[], []],
      [
        [1, 2, 3, 4, 5],
        [
          [1, [1, 3, 5]],
          [0, [2, 4]],
        ],
      ],
      [[7, 7, 7], [[1, [7, 7, 7]]]],
    ];
    for (const [items, expected] of cases) assert.deepEqual([...groupBy(items, (n) => n % 2)], expected, JSON.stringify(items));
  });
});
