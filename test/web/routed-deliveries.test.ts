import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runRouting, routingSpoolRoot } from '../../server/routing/run-routing.js';
import { spoolDirs } from '../../server/routing/spool.js';
import { silentLogger } from '../../server/shared/logger.js';
import { startedRoutedDelivery } from '../routing/helpers.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

/** A fax delivery's report: what the provider's return file said, and the provider's cost. */
describe('console report of a routed delivery: returns and provider cost', function () {
  this.timeout(60_000);
  let h: ConsoleHarness;
  let admin: ConsoleClient;

  before(async () => {
    h = await startConsole(
      [
        '[[routing.providers]]',
        'name = "faxes"',
        'channel = "fax"',
        'format = "fixed"',
        'columns = ["documentId:20", "fax:16"]',
        'costPerMessage = 0.12',
        'costPerDelivery = 3',
        'currency = "USD"',
        '',
      ].join('\n'),
    );
    const op = await addOperator(h.db, 'root', ['admin']);
    admin = new ConsoleClient(h.base);
    await admin.login(op.login, op.password);
    const now = new Date();
    for (const [email, fax] of [
      ['ann@example.com', '+33142868001'],
      ['bob@example.com', '+33142868002'],
      ['cy@example.com', '+33142868003'],
      ['dee@example.com', null],
    ])
      await h.db.models.Recipient.create({ email, fax, createdAt: now, updatedAt: now } as never);
  });
  after(async () => {
    await h.close();
  });

  it("shows the provider's delivered, returned and bad address counts and the cost of the messages written", async () => {
    const { id, report } = await startedRoutedDelivery(h.db, h.instance.config, { internalName: 'fax1', channel: 'fax' });
    assert.equal(report.toDeliver, 3);
    const ctx = { db: h.db, config: h.instance.config, paths: h.instance.paths, log: silentLogger(), signal: new AbortController().signal };
    await runRouting({ ...ctx, now: new Date() });
    const logs = await h.db.models.BroadLog.findAll({ where: { deliveryId: id }, order: [['id', 'ASC']] });
    const dirs = spoolDirs(routingSpoolRoot(h.instance.config, h.instance.paths), 'faxes');
    writeFileSync(
      join(dirs.returns, 'r1.csv'),
      [`H${id}-${logs[0]!.id},delivered,2026-12-01`, `H${id}-${logs[1]!.id},delivered,2026-12-01`, `H${id}-${logs[2]!.id},bad address,2026-12-01`, ''].join(
        '\n',
      ),
    );
    await runRouting({ ...ctx, now: new Date() });

    const page = await admin.get(`/reports/deliveries/${id}`);
    assert.equal(page.status, 200);
    const cell = (name: string) => new RegExp(`href="/reports/definitions#${name}">[^<]+</a></td><td class="num">([^<]+)</td>`).exec(page.text)?.[1];
    assert.deepEqual(['sent', 'failed', 'routed_delivered', 'routed_returned', 'routed_bad_address', 'routing_cost'].map(cell), [
      '2',
      '1',
      '2',
      '0',
      '1',
      '3.36 USD',
    ]);
    const quarantine = await h.db.models.Quarantine.findOne({ where: { address: '+33142868003' } });
    assert.deepEqual([quarantine!.channel, quarantine!.status], ['fax', 'quarantine']);
  });
});
