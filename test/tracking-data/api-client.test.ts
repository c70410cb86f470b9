import assert from 'node:assert/strict';
import { trackingServers } from '../../server/tracking-data/api-client.js';
import { createInstance } from '../helpers/instance.js';
import { withTracking } from '../helpers/tracking.js';

describe('the tracking servers Herald talks to', () => {
  const instance = createInstance();
  after(() => instance.cleanup());

  const cases: Array<{ case: string; tracking: Parameters<typeof withTracking>[1]; expected: string[] }> = [
    {
      case: 'the configured list, without trailing slashes or repeats',
      tracking: { servers: ['http://t1.internal:8081/', 'http://t2.internal:8081', 'http://t1.internal:8081'] },
      expected: ['http://t1.internal:8081', 'http://t2.internal:8081'],
    },
    { case: "this host's module when none is listed", tracking: { servers: [], host: '127.0.0.1', port: 8081 }, expected: ['http://127.0.0.1:8081'] },
    {
      case: 'loopback for a module listening on every IPv4 interface',
      tracking: { servers: [], host: '0.0.0.0', port: 9000 },
      expected: ['http://127.0.0.1:9000'],
    },
    {
      case: 'IPv6 loopback for a module listening on every IPv6 interface',
      tracking: { servers: [], host: '::', port: 9000 },
      expected: ['http://[::1]:9000'],
    },
  ];
  for (const c of cases) it(`uses ${c.case}`, () => assert.deepEqual(trackingServers(withTracking(instance.config, c.tracking)), c.expected));
});
