import assert from 'node:assert/strict';
import { StatClient, StatRefused } from '../../server/shared/stat-client.js';
import { sign, STAT_AUTH_HEADER, STAT_PATHS } from '../../server/shared/stat-protocol.js';
import { SlotLedger } from '../../server/stat/slot-ledger.js';
import { startStatServer, type StatServer } from '../../server/stat/stat-server.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { secret } from '../helpers/instance.js';

/** The stat server over real HTTP on 127.0.0.1:0, with the MTA's own client. */
describe('stat server over HTTP', () => {
  const key = secret();
  const log = recordingLogger();
  let server: StatServer;
  let client: StatClient;
  let base: string;

  before(async () => {
    const ledger = new SlotLedger({ burstMs: 1000, registrationTtlMs: 10_000, maxMtas: 10, maxKeys: 10 });
    server = await startStatServer(ledger, { host: '127.0.0.1', port: 0, key, maxConnections: 16 }, log);
    client = new StatClient(`127.0.0.1:${server.port}`, key, 2000);
    base = `http://127.0.0.1:${server.port}`;
  });
  after(async () => {
    client.close();
    await server.close();
  });

  it('registers an MTA, grants it its slots and shows them in the status', async () => {
    assert.deepEqual(await client.register({ mta: 'm1', ip: 'default', connections: { 'domain:a.test': 2 } }), { peers: 1, ttlMs: 10_000 });
    assert.deepEqual(await client.grant({ mta: 'm1', ip: 'default', key: 'domain:a.test', wanted: 20, intervalMs: 100 }), { granted: 10, retryAtMs: 0 });
    const status = await post(STAT_PATHS.status, '{}');
    assert.equal(status.status, 200);
    const view = (await status.json()) as { mtas: number; slots: Array<{ key: string; connections: number; messagesPerHour: number }> };
    assert.equal(view.mtas, 1);
    assert.deepEqual(
      view.slots.map((s) => [s.key, s.connections, s.messagesPerHour]),
      [['domain:a.test', 2, 36_000]],
    );
  });

  it('answers a grant for an MTA it does not know with 409, so the MTA registers again', async () => {
    await assert.rejects(client.grant({ mta: 'unknown', ip: 'default', key: 'domain:a.test', wanted: 1, intervalMs: 100 }), (err) => {
      assert.ok(err instanceof StatRefused);
      assert.equal(err.status, 409);
      assert.equal(err.refused, 'unregistered');
      return true;
    });
  });

  const body = JSON.stringify({ mta: 'm1', ip: 'default', connections: {} });
  // [what, request, status]
  const refusals: Array<[string, () => Promise<Response>, number]> = [
    ['a request without a signature', () => fetch(`${base}${STAT_PATHS.register}`, { method: 'POST', body }), 401],
    ['a request signed with another key', () => post(STAT_PATHS.register, body, sign(secret(), Date.now(), STAT_PATHS.register, body)), 401],
    ['a signature of another path', () => post(STAT_PATHS.register, body, sign(key, Date.now(), STAT_PATHS.grant, body)), 401],
    ['a signature of another body', () => post(STAT_PATHS.register, body, sign(key, Date.now(), STAT_PATHS.register, body.replace('m1', 'm2'))), 401],
    ['a request signed a minute ago (a replay)', () => post(STAT_PATHS.register, body, sign(key, Date.now() - 60_000, STAT_PATHS.register, body)), 401],
    ['a body over 4 KB', () => post(STAT_PATHS.register, JSON.stringify({ pad: 'x'.repeat(5000) })), 413],
    ['a body that is not JSON', () => post(STAT_PATHS.register, '{nope'), 400],
    ['a register body without the MTA name', () => post(STAT_PATHS.register, JSON.stringify({ ip: 'default', connections: {} })), 400],
    [
      'a grant of more than 10,000 slots',
      () => post(STAT_PATHS.grant, JSON.stringify({ mta: 'm1', ip: 'default', key: 'k', wanted: 10_001, intervalMs: 1 })),
      400,
    ],
    ['a GET', () => fetch(`${base}${STAT_PATHS.status}`), 404],
    ['an unknown path', () => post('/v1/other', '{}'), 404],
  ];
  for (const [what, request, status] of refusals) {
    it(`refuses ${what} with ${status}`, async () => {
      const res = await request();
      assert.equal(res.status, status);
      assert.equal(typeof ((await res.json()) as { error: unknown }).error, 'string');
    });
  }

  it('logs a refused signature once per peer and reason, never the key', () => {
    const refused = log.events.filter((e) => e.event === 'STAT_REQUEST_REFUSED');
    assert.deepEqual(refused.map((e) => e.fields.reason).sort(), [
      'bad signature',
      'missing or malformed signature',
      'signature time too far from the server clock',
    ]);
    assert.ok(!JSON.stringify(log.events).includes(key));
  });

  function post(path: string, text: string, signature = sign(key, Date.now(), path, text)): Promise<Response> {
    return fetch(`${base}${path}`, { method: 'POST', body: text, headers: { 'content-type': 'application/json', [STAT_AUTH_HEADER]: signature } });
  }
});
