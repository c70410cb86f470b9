import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import type { Database } from '../../server/db/connect.js';
import { heartbeat, registeredMta } from '../../server/db/repos/mta-throttle.js';
import { holderOf, takeOwnerName, type Holder } from '../../server/mta/owner-name.js';
import { ConfigError } from '../../server/shared/errors.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { recordingLogger } from '../helpers/recording-logger.js';

/** Two MTA processes never run under one lease owner name (they would free each other's leases). */
describe('MTA lease owner name', () => {
  describe('who holds a registration', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    const here = { host: 'node-1', pid: 100, alive: (pid: number) => pid === 200 };
    const seen = (agoMs: number, host: string, pid: number) => ({ host, pid, lastSeenAt: new Date(now - agoMs) });
    const cases: Array<[string, Parameters<typeof holderOf>[0], Holder]> = [
      ['nobody registered', undefined, 'free'],
      ['a registration not renewed for 31 s', seen(31_000, 'node-2', 200), 'stale'],
      ['a process of this host that is gone (killed, crashed)', seen(5_000, 'node-1', 300), 'dead'],
      ['this very process (a service restarted inside it)', seen(5_000, 'node-1', 100), 'dead'],
      ['a live process of this host', seen(5_000, 'node-1', 200), 'live'],
      ['a process of another host seen 5 s ago', seen(5_000, 'node-2', 300), 'live'],
    ];
    for (const [name, current, holder] of cases) it(`is "${holder}" for ${name}`, () => assert.equal(holderOf(current, now, here), holder));
  });

  describe('on the database', () => {
    let instance: TestInstance;
    let db: Database;
    beforeEach(async () => {
      instance = createInstance();
      db = await openTestDb(instance);
    });
    afterEach(async () => {
      await db.close();
      instance.cleanup();
    });
    const register = (id: string, host: string, pid: number, lastSeenAt: Date) =>
      db.write((transaction) => db.models.MtaInstance.create({ id, host, pid, startedAt: lastSeenAt, lastSeenAt }, { transaction }));
    const deadPid = () => {
      const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      return Number(child.stdout);
    };

    it('takes a free name, and the name of a killed process of this host at once', async () => {
      const log = recordingLogger();
      await takeOwnerName(db, 'free-name', new Date(), () => new Date(), log);
      assert.equal((await registeredMta(db, 'free-name'))?.pid, process.pid);
      await register('killed-name', hostname(), deadPid(), new Date());
      await takeOwnerName(db, 'killed-name', new Date(), () => new Date(), log, { waitMs: 0 });
      assert.equal((await registeredMta(db, 'killed-name'))?.pid, process.pid);
      assert.deepEqual(log.events, [], 'no wait, no warning');
    });

    it("refuses a name a live process of another host renews, naming the key to change, and leaves that process's registration alone", async () => {
      const log = recordingLogger();
      await register('shared-name', 'other-host', 4242, new Date());
      const refused = await takeOwnerName(db, 'shared-name', new Date(), () => new Date(), log, { waitMs: 300, pollMs: 100 }).then(
        () => undefined,
        (err: unknown) => err,
      );
      assert.ok(refused instanceof ConfigError, `a config error (got ${String(refused)})`);
      assert.equal(refused.key, 'mta.instanceId');
      assert.match(refused.message, /another MTA process \(pid 4242 on host other-host, seen \d+ s ago\).*"shared-name".*its own instanceName/);
      assert.deepEqual(
        log.events.map((e) => e.event),
        ['MTA_OWNER_NAME_TAKEN'],
      );
      assert.deepEqual(await registeredMta(db, 'shared-name').then((r) => [r?.host, r?.pid]), ['other-host', 4242]);
    });

    it('takes a name over once its holder stopped renewing it, and a process whose name was taken learns it at its next heartbeat', async () => {
      await register('lapsed-name', 'other-host', 4242, new Date(Date.now() - 31_000));
      await takeOwnerName(db, 'lapsed-name', new Date(), () => new Date(), recordingLogger(), { waitMs: 0 });
      assert.deepEqual(await registeredMta(db, 'lapsed-name').then((r) => [r?.host, r?.pid]), [hostname(), process.pid]);
      assert.equal((await heartbeat(db, 'lapsed-name', new Date(), new Date())).ours, true);
      await db.write((transaction) => db.models.MtaInstance.update({ host: 'other-host', pid: 4242 }, { where: { id: 'lapsed-name' }, transaction }));
      assert.equal((await heartbeat(db, 'lapsed-name', new Date(), new Date())).ours, false, 'the other process holds it now');
      assert.deepEqual(await registeredMta(db, 'lapsed-name').then((r) => [r?.host, r?.pid]), ['other-host', 4242], 'and keeps it');
    });
  });
});
