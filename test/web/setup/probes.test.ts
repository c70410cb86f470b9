import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { dnsLookup, probeUrl } from '../../../server/web/setup/probes.js';
import { startTestDns, type TestDnsServer } from '../../helpers/dns-server.js';
import { createInstance, type TestInstance } from '../../helpers/instance.js';
import { startTestTracker, type TestTracker } from '../../helpers/tracking.js';

/** A TCP/UDP port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('setup checklist probes: DNS through a configured resolver, the tracking URL over HTTP', () => {
  let dns: TestDnsServer;
  let instance: TestInstance;
  let tracker: TestTracker;
  before(async () => {
    dns = await startTestDns({
      'bounce.shop.test': {
        MX: [
          { priority: 20, exchange: 'mx2.shop.test' },
          { priority: 10, exchange: 'mx1.shop.test' },
        ],
      },
      'herald._domainkey.shop.test': { TXT: [`v=DKIM1; k=rsa; p=${'A'.repeat(300)}`] },
      'shop.test': {},
    });
    instance = createInstance();
    tracker = await startTestTracker(instance.config, instance.paths.dataDir);
  });
  after(async () => {
    await dns?.close();
    await tracker?.stop();
    instance?.cleanup();
  });

  it('reads MX and TXT answers (a long TXT in several strings joined), and tells a missing name from a server that does not answer', async () => {
    const lookup = dnsLookup([dns.address]);
    const cases: Array<[string, Promise<unknown>, unknown]> = [
      ['MX in priority order', lookup.mx('bounce.shop.test'), { found: ['mx1.shop.test', 'mx2.shop.test'] }],
      ['TXT of 300+ characters', lookup.txt('herald._domainkey.shop.test'), { found: [`v=DKIM1; k=rsa; p=${'A'.repeat(300)}`] }],
      ['unknown name', lookup.mx('nowhere.shop.test'), { none: true }],
      ['known name without the type', lookup.txt('shop.test'), { none: true }],
    ];
    for (const [name, got, expected] of cases) assert.deepEqual(await got, expected, name);
    const silent = await dnsLookup([`127.0.0.1:${await closedPort()}`], 500).mx('bounce.shop.test');
    assert.ok('error' in silent, JSON.stringify(silent));
    assert.ok(dns.questions.includes('MX bounce.shop.test'));
  });

  it("finds a tracking server's health URL answering, and says why one does not", async () => {
    assert.deepEqual(await probeUrl(`${tracker.base}/r/test`), { ok: true, detail: 'HTTP 200' });
    assert.deepEqual(await probeUrl(`${tracker.base}/nothing-here`), { ok: false, detail: 'HTTP 404' });
    assert.deepEqual(await probeUrl(`http://127.0.0.1:${await closedPort()}/r/test`), { ok: false, detail: 'ECONNREFUSED' });
  });
});
