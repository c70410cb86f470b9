import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { instanceSiteFile, instancesDir } from '../../../server/shared/config/instances.js';
import { hostClaims, loadInstanceSet } from '../../../server/shared/config/instance-set.js';
import { buildHostTable, resolveHost } from '../../../server/shared/config/host-table.js';
import { createInstance, secret, vapidPrivateKey, type TestInstance } from '../../helpers/instance.js';

describe('the instances the web and tracking processes serve', () => {
  let main: TestInstance;
  before(() => {
    main = createInstance('[web]\nhosts = ["a.example"]\n[tracking]\nhosts = ["t.example"]');
    mkdirSync(instancesDir(main.siteFile), { recursive: true });
    const site = (name: string, extra: string) =>
      writeFileSync(
        instanceSiteFile(main.siteFile, name),
        `instanceName = "${name}"\ndataDir = ${JSON.stringify(join(main.dir, name))}\n${extra}\n[secrets]\n` +
          ['trackingKey', 'sessionKey', 'bounceKey'].map((k) => `${k} = "${secret()}"`).join('\n') +
          `\nvapidPrivateKey = "${vapidPrivateKey()}"\n`,
      );
    site('brand-b', '[web]\nhosts = ["b.example"]');
    site('brand-c', '[web]\nhosts = ["c.example", "a.example"]');
    site('brand-d', '[web]\nhosts = ["d.example"]\nport = "not a port"');
  });
  after(() => main.cleanup());

  it('loads the default and the added instances, refusing one that claims a host of another, naming both files and the key', () => {
    const set = loadInstanceSet({ config: main.config, siteFile: main.siteFile });
    assert.deepEqual(
      set.loaded.map((i) => [i.name, i.isDefault]),
      [
        [main.config.instanceName, true],
        ['brand-b', false],
      ],
    );
    const clash = set.failed.find((f) => f.name === 'brand-c')!;
    assert.ok(clash.reason.startsWith(`${instanceSiteFile(main.siteFile, 'brand-c')}: web.hosts: host "a.example" is claimed by instance herald too (${main.siteFile}: web.hosts)`), clash.reason);
    const broken = set.failed.find((f) => f.name === 'brand-d')!;
    assert.match(broken.reason, /web\.port/);
    assert.deepEqual(broken.hosts.web, ['d.example'], 'the hosts of a file that fails are still known');
  });

  it('routes each declared host to its instance, refuses the hosts of a failed one, and keeps a clashing host with its first owner', () => {
    const set = loadInstanceSet({ config: main.config, siteFile: main.siteFile });
    const table = buildHostTable(hostClaims(set, 'web'), main.config.instanceName);
    assert.deepEqual(resolveHost(table, 'b.example'), { kind: 'instance', instance: 'brand-b' });
    assert.deepEqual(resolveHost(table, 'a.example'), { kind: 'instance', instance: 'herald' });
    assert.deepEqual(resolveHost(table, 'c.example'), { kind: 'unavailable', instance: 'brand-c' });
    assert.deepEqual(resolveHost(table, 'd.example'), { kind: 'unavailable', instance: 'brand-d' });
    assert.deepEqual(resolveHost(table, 't.example'), { kind: 'unknown', host: 't.example' }, 'a tracking host is not a web host');
  });
});
