import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { commandGroups } from '../../server/cli/help.js';
import { COMMANDS, runCli } from '../../server/cli/run-cli.js';
import { herald } from '../helpers/cli.js';
import { createInstance, type TestInstance } from '../helpers/instance.js';

/** Runs the CLI in this process with captured output (help never reaches the config or the database). */
async function run(argv: string[]): Promise<{ code: number | 'running'; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  const code = await runCli(argv, { out, err, stdin: new PassThrough() });
  return { code, out: o, err: e };
}

describe('herald <command> --help', () => {
  let instance: TestInstance;
  before(() => (instance = createInstance()));
  after(() => instance.cleanup());

  it('explains every command with its usage, summary and options, exits 0, and runs nothing', async () => {
    assert.ok(COMMANDS.length > 40);
    for (const command of COMMANDS) {
      for (const argv of [
        [...command.words, '--help'],
        [...command.words, '-h'],
        ['help', ...command.words],
      ]) {
        const res = await run(argv);
        assert.equal(res.code, 0, `${argv.join(' ')}: ${res.err}`);
        assert.equal(res.err, '', argv.join(' '));
        assert.ok(res.out.startsWith(`usage: herald ${command.usage}\n`), `${argv.join(' ')} starts with its own usage`);
        assert.ok(res.out.includes(command.summary), `${argv.join(' ')} gives its summary`);
        for (const option of Object.keys(command.options ?? {})) assert.ok(res.out.includes(`--${option}`), `${argv.join(' ')} lists --${option}`);
        assert.match(res.out, /--config <file>/, 'and the global options');
      }
    }
  });

  it('gives help even when the rest of the line is wrong (missing arguments, unknown flags)', async () => {
    const cases: Array<[string[], string]> = [
      [['event', 'send', '--help'], 'usage: herald event send <type> --to'],
      [['delivery', 'proof', '--help', '--frobnicate'], 'usage: herald delivery proof'],
      [['recipients', 'import', 'a.csv', 'b.csv', '--help'], 'usage: herald recipients import'],
    ];
    for (const [argv, start] of cases) {
      const res = await run(argv);
      assert.equal(res.code, 0, argv.join(' '));
      assert.ok(res.out.startsWith(start), argv.join(' '));
    }
  });

  it('lists the commands of a group for `herald <group> --help`, and asks for one when none is given', async () => {
    const groups = commandGroups(COMMANDS);
    assert.deepEqual([...groups.keys()].sort(), [
      'apikey',
      'bounce',
      'config',
      'db',
      'delivery',
      'event',
      'instance',
      'mta',
      'operator',
      'recipients',
      'stat',
      'tracking',
      'workflow',
    ]);
    for (const [group, commands] of groups) {
      const res = await run([group, '--help']);
      assert.equal(res.code, 0, group);
      // `herald tracking` is also a module of its own: its help comes first, then the group's.
      const alone = COMMANDS.find((c) => c.words.length === 1 && c.words[0] === group);
      if (alone) assert.ok(res.out.startsWith(`usage: herald ${alone.usage}\n`), group);
      assert.match(res.out, new RegExp(`${alone ? '\\n' : '^'}usage: herald ${group} <`));
      for (const c of commands) assert.ok(res.out.includes(`herald ${c.usage}\n      ${c.summary}`), `${group} --help lists ${c.words.join(' ')}`);
      if (alone) continue;
      const bare = await run([group]);
      assert.equal(bare.code, 64, `herald ${group} alone is a usage error`);
      assert.match(bare.err, new RegExp(`"${group}" needs a command[\\s\\S]*herald ${group} `));
    }
  });

  it('prints the command list for `herald --help`, `herald help` and no arguments, and says how to get more', async () => {
    for (const argv of [['--help'], ['help'], []]) {
      const res = await run(argv);
      assert.equal(res.code, 0);
      assert.match(res.out, /^usage: herald <command>/);
      assert.match(res.out, /herald <command> --help/);
    }
  });

  it('answers `herald event --help` through the real command line, as a newcomer types it', async () => {
    const res = await herald(['event', '--help'], instance.env);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^usage: herald event </);
    assert.match(res.stdout, /herald event send <type> --to <address>/);
    const send = await herald(['event', 'send', '--help'], instance.env);
    assert.equal(send.code, 0, send.stderr);
    assert.match(send.stdout, /--idempotency-key <value>/);
  });
});
