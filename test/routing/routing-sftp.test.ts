import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../server/db/connect.js';
import { routingCost } from '../../server/db/repos/routing.js';
import { runRouting, routingSpoolRoot } from '../../server/routing/run-routing.js';
import { spoolDirs } from '../../server/routing/spool.js';
import { silentLogger } from '../../server/shared/logger.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { SKIP_MESSAGE, sshdAvailable, startSshd, type SshServer } from '../helpers/sshd.js';
import { startedRoutedDelivery } from './helpers.js';

/**
 * Direct mail through a provider reached over SFTP: a real OpenSSH server (Debian's sshd, started
 * here on a loopback port with its own host and user keys), a real database, the routing workflow's
 * run as the wfserver calls it.
 */

const PEOPLE = [
  { email: 'ann@example.com', firstName: 'Ann', lastName: 'Archer', addressLine1: '1 Rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR' },
  {
    email: 'bob@example.com',
    firstName: 'Bob',
    lastName: 'Baker; Jr',
    addressLine1: '2 High Street',
    addressLine2: 'Flat "B"',
    postalCode: 'SW1A 1AA',
    city: 'London',
    country: 'GB',
  },
  { email: 'cy@example.com', firstName: 'Cy', lastName: 'Cole', addressLine1: '3 Main St', postalCode: '10001', city: null, country: 'US' },
  {
    email: 'dee@example.com',
    firstName: 'Dee',
    lastName: 'Dunn',
    addressLine1: '4 Elm Rd',
    postalCode: '1000',
    city: 'Brussels',
    country: 'BE',
    denylistedPostal: true,
  },
  { email: 'eve@example.com', firstName: 'Eve', lastName: 'Archer', addressLine1: '1  rue de la paix', postalCode: '75002', city: 'PARIS', country: 'FR' },
  { email: 'gus@example.com', firstName: 'Gus', lastName: 'Gray', addressLine1: '3 Main St', postalCode: '10001', city: 'New York', country: 'US' },
  { email: 'fay@example.com', firstName: 'Fay', lastName: 'Ford', addressLine1: null, postalCode: null, city: null, country: null },
];

describe('direct mail routed to a provider over SFTP', function () {
  this.timeout(120_000);
  let sshd: SshServer;
  let instance: TestInstance;
  let db: Database;

  before(async function () {
    if (!sshdAvailable()) {
      console.log(`      (skipped: ${SKIP_MESSAGE})`);
      this.skip();
    }
    sshd = await startSshd();
  });
  after(async () => {
    await sshd?.stop();
  });

  function provider(hostKey = sshd.hostKeyFingerprint): string {
    return [
      '[[routing.providers]]',
      'name = "printer"',
      'channel = "direct_mail"',
      'columns = ["documentId", "firstName", "lastName", "addressLine1", "addressLine2", "postalCode", "city", "country", "postalAddress"]',
      'costPerMessage = 0.85',
      'costPerDelivery = 25',
      'sftpHost = "127.0.0.1"',
      `sftpPort = ${sshd.port}`,
      `sftpUser = ${JSON.stringify(sshd.user)}`,
      `sftpHostKey = ${JSON.stringify(hostKey)}`,
      `sftpPrivateKeyFile = ${JSON.stringify(sshd.privateKeyFile)}`,
      `sftpUploadDir = ${JSON.stringify(sshd.uploadDir)}`,
      `sftpReturnDir = ${JSON.stringify(sshd.returnDir)}`,
      'connectTimeoutSec = 10',
      '',
    ].join('\n');
  }

  async function setUp(toml: string): Promise<void> {
    instance = createInstance(toml);
    db = await openTestDb(instance);
    const now = new Date();
    for (const p of PEOPLE) await db.models.Recipient.create({ ...p, createdAt: now, updatedAt: now } as never);
  }
  afterEach(async () => {
    await db?.close();
    instance?.cleanup();
    for (const dir of [sshd.uploadDir, sshd.returnDir]) for (const f of readdirSync(dir)) rmSync(join(dir, f));
  });

  const run = (log = silentLogger()) =>
    runRouting({ db, config: instance.config, paths: instance.paths, log, now: new Date(), signal: new AbortController().signal });
  const dirs = () => spoolDirs(routingSpoolRoot(instance.config, instance.paths), 'printer');
  const messages = async (deliveryId: number) =>
    (await db.models.BroadLog.findAll({ where: { deliveryId }, order: [['id', 'ASC']] })).map((m) => m.get({ plain: true }));

  it('writes one extraction file of the analysed target, uploads it, and marks each message sent to the provider once', async () => {
    await setUp(provider());
    const { id, report } = await startedRoutedDelivery(db, instance.config, { internalName: 'dm1' });
    assert.equal(report.toDeliver, 3);
    assert.deepEqual(report.excludedByReason, { invalid_address: 1, denylisted: 1, duplicate: 1, address_not_specified: 1 } as never);
    const counts = await run();
    assert.equal(counts.files, 1);
    assert.equal(counts.messages, 3);
    assert.equal(counts.uploaded, 1);
    const name = `printer-direct_mail-d${id}-x1.csv`;
    const local = readFileSync(join(dirs().out, name), 'utf8');
    assert.equal(readFileSync(join(sshd.uploadDir, name), 'utf8'), local, 'the uploaded file is the spool file');
    assert.deepEqual(readdirSync(sshd.uploadDir), [name], 'no part file is left on the server');
    const logs = await messages(id);
    const lines = local.split('\r\n');
    assert.equal(lines[0], 'documentId;firstName;lastName;addressLine1;addressLine2;postalCode;city;country;postalAddress');
    assert.equal(lines[1], `H${id}-${logs[0]!.id};Ann;Archer;1 Rue de la Paix;;75002;Paris;FR;1 RUE DE LA PAIX, 75002 PARIS, FR`);
    assert.equal(
      lines[2],
      `H${id}-${logs[1]!.id};Bob;"Baker; Jr";2 High Street;"Flat ""B""";SW1A 1AA;London;GB;"2 HIGH STREET, FLAT ""B"", SW1A 1AA LONDON, GB"`,
    );
    assert.equal(lines.length, 5, 'a header, three letters, and the last line ending');
    assert.deepEqual(
      logs.map((m) => m.status),
      ['sent', 'sent', 'sent'],
    );
    const delivery = await db.models.Delivery.findByPk(id);
    assert.equal(delivery!.state, 'finished');
    assert.equal(delivery!.sent, 3);
    assert.deepEqual(await routingCost(db, id), { messages: 3, files: 1, cost: 27.55, currency: 'EUR' });
    const again = await run();
    assert.deepEqual([again.files, again.messages, again.uploaded], [0, 0, 0], 'a second run finds nothing to send');
    assert.equal((await db.models.Delivery.findByPk(id))!.sent, 3);
  });

  it("imports the provider's return file from the server: statuses, a quarantined postal address, rejected lines kept with their reason", async () => {
    await setUp(provider());
    const { id } = await startedRoutedDelivery(db, instance.config, { internalName: 'dm2' });
    await run();
    const [ann, bob, gus] = await messages(id);
    const file = [
      'document_id,status,date',
      `H${id}-${ann!.id},Delivered,2026-12-01`,
      `H${id}-${bob!.id},bad address,2026-12-02T10:00:00Z`,
      `H${id}-${gus!.id},returned,2026-12-03`,
      `H${id}-999999,delivered,2026-12-01`,
      `H${id}-${ann!.id},lost in the post,2026-12-01`,
      `not-an-id,delivered,2026-12-01`,
      `H${id}-${gus!.id},delivered,yesterday`,
      `"H${id}-${ann!.id},delivered`,
      '',
    ].join('\r\n');
    writeFileSync(join(sshd.returnDir, 'returns-1.csv'), file);
    const counts = await run();
    assert.equal(counts.fetched, 1);
    assert.equal(counts.returnFiles, 1);
    assert.equal(counts.returnsApplied, 3);
    assert.equal(counts.returnsRejected, 5);
    assert.deepEqual(readdirSync(sshd.returnDir), [], 'the server copy is removed once imported');
    assert.ok(existsSync(join(dirs().done, 'returns-1.csv')));
    const after = await messages(id);
    assert.deepEqual(
      after.map((m) => [m.status, m.receiptStatus, m.failureType, m.failureReason]),
      [
        ['sent', 'delivered', null, null],
        ['failed', 'bad_address', 'hard', 'user_unknown'],
        ['failed', 'returned', 'soft', 'unreachable'],
      ],
    );
    assert.equal(after[0]!.receiptAt!.toISOString(), '2026-12-01T00:00:00.000Z');
    const quarantined = await db.models.Quarantine.findAll({ raw: true });
    assert.deepEqual(
      quarantined.map((q) => [q.channel, q.address, q.status]).sort(),
      [
        ['direct_mail', '2 high street, flat "b", sw1a 1aa london, gb', 'quarantine'],
        ['direct_mail', '3 main st, 10001 new york, us', 'with_errors'],
      ].sort(),
      "only the postal addresses, on direct mail: Bob's email address stays valid",
    );
    const rejects = readFileSync(join(dirs().rejected, 'returns-1.csv.rejected.csv'), 'utf8').split('\r\n');
    assert.equal(rejects[0], 'line,reason,text');
    assert.deepEqual(
      rejects.slice(1, -1).map((l) => l.split(',')[0]),
      ['5', '6', '7', '8', '9'],
    );
    assert.match(rejects[1]!, /no message of this document id was sent to a provider/);
    assert.match(rejects[2]!, /""lost in the post"" is not a return status/);
    assert.match(rejects[5]!, /not a CSV line/);
    const delivery = await db.models.Delivery.findByPk(id);
    assert.equal(delivery!.sent, 1);
    assert.equal(delivery!.failed, 2);

    writeFileSync(join(dirs().returns, 'returns-1.csv'), file);
    const twice = await run();
    assert.equal(twice.returnsApplied, 0, 'a file imported twice changes nothing');
    assert.equal((await db.models.Delivery.findByPk(id))!.failed, 2);
    const journal = await db.models.RoutingReturn.findAll({ order: [['id', 'ASC']] });
    assert.deepEqual(
      journal.map((j) => [j.fileName, j.rowsRead, j.applied, j.unchanged, j.rejected]),
      [
        ['returns-1.csv', 8, 3, 0, 5],
        ['returns-1.csv', 8, 0, 3, 5],
      ],
    );
    const next = await startedRoutedDelivery(db, instance.config, { internalName: 'dm3' });
    assert.equal(next.report.excludedByReason.quarantined, 1, 'the next direct mail skips the quarantined address');
  });

  it('refuses a server whose host key is not the pinned one: the file stays in the spool, nothing secret is logged', async () => {
    await setUp(provider(sshd.otherFingerprint));
    const { id } = await startedRoutedDelivery(db, instance.config, { internalName: 'dm4' });
    const log = recordingLogger();
    const counts = await run(log);
    assert.equal(counts.files, 1);
    assert.equal(counts.uploaded, 0);
    assert.equal(counts.sftpErrors, 1);
    assert.deepEqual(readdirSync(sshd.uploadDir), []);
    const extraction = await db.models.RoutingExtraction.findOne({ where: { deliveryId: id } });
    assert.equal(extraction!.status, 'written');
    assert.match(extraction!.error!, new RegExp(`offered host key ${sshd.hostKeyFingerprint.replace(/[+/]/g, '\\$&')}, not the pinned`));
    const failed = log.events.find((e) => e.event === 'ROUTING_UPLOAD_FAILED');
    assert.ok(failed, 'the refusal is logged');
    assert.ok(!JSON.stringify(log.events).includes(readFileSync(sshd.privateKeyFile, 'utf8').split('\n')[1]!));
  });
});
