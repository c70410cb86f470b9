import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { dkimKeys, offlineResolver } from '../helpers/delivery.js';
import { buildCase, renderCases, renderRecipients, type RenderCase } from '../helpers/render-cases.js';

const require = createRequire(import.meta.url);
const { dkimVerify } = require('mailauth/lib/dkim/verify') as {
  dkimVerify: (m: Buffer, o: object) => Promise<{ results: Array<{ status: { result: string }; info: string }> }>;
};

/**
 * The messages of every gallery template, byte for byte: the digests in
 * snapshots/gallery-messages.json were written by the message builder that personalized the whole
 * body as one string and encoded it in one pass, before building moved to precompiled segments.
 * Refresh them (HERALD_TEST_UPDATE_SNAPSHOTS=1) only for an intended change of the output.
 */

const FILE = join(APP_ROOT, 'test', 'delivery', 'snapshots', 'gallery-messages.json');
const digest = (raw: Buffer | string) => (typeof raw === 'string' ? `error: ${raw}` : createHash('sha256').update(raw).digest('hex'));
/** The message without its DKIM-Signature fields (they come first, each folded over several lines). */
const unsigned = (raw: Buffer) => Buffer.from(raw.toString('latin1').replace(/^(DKIM-Signature:[^\r]*\r\n(?:[ \t][^\r]*\r\n)*)+/, ''), 'latin1');

describe('gallery messages', () => {
  let cases: RenderCase[] = [];
  before(async () => {
    cases = await renderCases();
  });

  it('are byte-identical to the messages of the previous builder for every template, layout and recipient', () => {
    const actual = Object.fromEntries(cases.map((c) => [c.name, buildCase(c).raws.map(digest)]));
    if (process.env.HERALD_TEST_UPDATE_SNAPSHOTS === '1') writeFileSync(FILE, `${JSON.stringify(actual, null, 2)}\n`);
    assert.ok(existsSync(FILE), `no snapshot ${FILE}; create it with HERALD_TEST_UPDATE_SNAPSHOTS=1`);
    const expected = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, string[]>;
    assert.deepEqual(Object.keys(actual), Object.keys(expected), 'the same cases');
    const names = renderRecipients().map((r) => JSON.stringify([r.recipient.firstName, r.recipient.lastName]));
    for (const [name, digests] of Object.entries(actual)) {
      const wrong = digests.flatMap((d, i) => (d === expected[name]![i] ? [] : [names[i]]));
      assert.deepEqual(wrong, [], `${name}: messages that differ from the snapshot`);
    }
  });

  it('are the same when signed, and their RSA and Ed25519 signatures verify', async () => {
    const expected = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, string[]>;
    for (const c of cases) {
      const { raws } = buildCase(c, dkimKeys());
      for (const [i, raw] of raws.entries()) {
        assert.ok(typeof raw !== 'string', raw as string);
        assert.equal(digest(unsigned(raw)), expected[c.name]![i], `${c.name}, recipient ${i}: the signed message is the unsigned one plus its signatures`);
        if (i % 10 !== 3) continue;
        const result = await dkimVerify(raw, { resolver: offlineResolver() });
        assert.deepEqual(
          result.results.map((r) => r.status.result),
          ['pass', 'pass'],
          `${c.name}, recipient ${i}: ${result.results.map((r) => r.info).join('\n')}`,
        );
      }
    }
  });

  it('decode to the personalized HTML and text a mail reader shows', async () => {
    const newsletter = cases.find((c) => c.name === 'newsletter')!;
    const raw = buildCase(newsletter).raws[5] as Buffer;
    const parsed = await simpleParser(raw);
    assert.match(String(parsed.html), /Zoë/);
    assert.match(String(parsed.text), /Zoë/);
    assert.match(String(parsed.html), /https:\/\/t\.example\.com\/o\//, 'the open pixel');
  });
});
