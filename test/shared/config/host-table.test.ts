import assert from 'node:assert/strict';
import { buildHostTable, duplicateHosts, resolveHost, type HostClaim, type HostMatch } from '../../../server/shared/config/host-table.js';

describe('the host table of the multi-instance modules', () => {
  const two: HostClaim[] = [
    { instance: 'herald', hosts: ['a.example', 'console.a.example:8443'] },
    { instance: 'brand-b', hosts: ['b.example'] },
    { instance: 'broken', hosts: ['c.example'], unavailable: true },
  ];
  const cases: Array<[string, HostClaim[], string | undefined, HostMatch]> = [
    ['one instance, no host declared: every host is the default', [{ instance: 'herald', hosts: [] }], 'anything.example', { kind: 'instance', instance: 'herald' }],
    ['no host declared, no Host header: the default', [{ instance: 'herald', hosts: [] }, { instance: 'brand-b', hosts: [] }], undefined, { kind: 'instance', instance: 'herald' }],
    ['a declared host', two, 'b.example', { kind: 'instance', instance: 'brand-b' }],
    ['a declared host with a port it was not declared with', two, 'b.example:8080', { kind: 'instance', instance: 'brand-b' }],
    ['upper case and a trailing dot', two, 'A.Example.', { kind: 'instance', instance: 'herald' }],
    ['a host declared with its port', two, 'console.a.example:8443', { kind: 'instance', instance: 'herald' }],
    ['that host on another port is not it', two, 'console.a.example:9000', { kind: 'unknown', host: 'console.a.example:9000' }],
    ['an undeclared host is unknown, never the default', two, 'evil.example', { kind: 'unknown', host: 'evil.example' }],
    ['a missing Host header is unknown', two, undefined, { kind: 'unknown', host: '' }],
    ['a loopback address is unknown once hosts are declared', two, '127.0.0.1:8080', { kind: 'unknown', host: '127.0.0.1:8080' }],
    ['a host of an instance whose config failed: unavailable', two, 'c.example', { kind: 'unavailable', instance: 'broken' }],
    ['a host claimed twice stays with the first claim', [...two, { instance: 'late', hosts: ['b.example'] }], 'b.example', { kind: 'instance', instance: 'brand-b' }],
  ];
  for (const [what, claims, host, expected] of cases) {
    it(`resolves ${what}`, () => assert.deepEqual(resolveHost(buildHostTable(claims, 'herald'), host), expected));
  }

  it('names both site configs and the key when two instances claim one host', () => {
    const problems = duplicateHosts([
      { instance: 'herald', siteFile: 'config/herald.toml', key: 'web.hosts', hosts: ['a.example'] },
      { instance: 'brand-b', siteFile: 'config/instances/brand-b.toml', key: 'web.hosts', hosts: ['b.example', 'A.example'] },
      { instance: 'brand-b', siteFile: 'config/instances/brand-b.toml', key: 'tracking.hosts', hosts: ['a.example'] },
    ]);
    assert.equal(problems.length, 1, 'the same host under web and under tracking is no clash');
    assert.equal(problems[0]!.instance, 'brand-b');
    assert.equal(problems[0]!.key, 'web.hosts');
    assert.match(problems[0]!.reason, /"a\.example" is claimed by instance herald too \(config\/herald\.toml: web\.hosts\)/);
  });
});
