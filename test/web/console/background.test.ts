import assert from 'node:assert/strict';
import { createBackground } from '../../../server/web/console/background.js';

const later = <T>(value: T, settle: (resolve: (v: T) => void, reject: (e: unknown) => void) => void) =>
  new Promise<T>((resolve, reject) => settle(resolve, reject)).then(() => value);

describe('background work of the console (analyses)', () => {
  it('answers with the result of work that ends within the wait, and lets longer work run on', async () => {
    const bg = createBackground();
    assert.equal(
      await bg.run(
        async () => 'quick',
        1000,
        () => undefined,
      ),
      'quick',
    );
    let finish!: () => void;
    const slow = later('slow', (resolve) => (finish = () => resolve('slow')));
    assert.equal(
      await bg.run(
        () => slow,
        10,
        () => undefined,
      ),
      undefined,
    );
    assert.equal(bg.busy(), 1);
    finish();
    await bg.idle();
    assert.equal(bg.busy(), 0);
  });

  it('throws an error that comes within the wait, and hands a later one to onLateError', async () => {
    const bg = createBackground();
    await assert.rejects(
      bg.run(
        async () => Promise.reject(new Error('refused')),
        1000,
        () => undefined,
      ),
      /refused/,
    );
    const late: unknown[] = [];
    let fail!: () => void;
    await bg.run(
      () => later(0, (_, reject) => (fail = () => reject(new Error('crashed')))),
      10,
      (err) => late.push(err),
    );
    fail();
    await bg.idle();
    assert.deepEqual(
      late.map((e) => (e as Error).message),
      ['crashed'],
    );
  });
});
