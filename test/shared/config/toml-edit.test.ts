import assert from 'node:assert/strict';
import { setTomlValues, TomlEditError, type TomlEdit } from '../../../server/shared/config/toml-edit.js';

describe('editing a site config written by a person', () => {
  const cases: Array<[string, string, TomlEdit[], string]> = [
    ['adds a key at the end of its table, keeping comments', '# mine\n[web]\nport = 9090 # console\n\n[mta]\ntransport = "verify"\n', [{ path: ['web', 'host'], value: '127.0.0.1' }], '# mine\n[web]\nport = 9090 # console\nhost = "127.0.0.1"\n\n[mta]\ntransport = "verify"\n'],
    ['replaces the line of a key already set', '[web]\nport = 9090\nhost = "x"\n', [{ path: ['web', 'port'], value: 8081 }], '[web]\nport = 8081\nhost = "x"\n'],
    ['appends a missing table', '[web]\nport = 9090\n\n', [{ path: ['secrets', 'sessionKey'], value: 'k' }], '[web]\nport = 9090\n\n[secrets]\nsessionKey = "k"\n'],
    ['puts a top-level key before the first table', '# mine\n[web]\nport = 1\n', [{ path: ['dataDir'], value: '/srv/herald' }], '# mine\ndataDir = "/srv/herald"\n\n[web]\nport = 1\n'],
    ['writes nested tables and lists', '', [{ path: ['modules', 'mta', 'autoStart'], value: false }, { path: ['tracking', 'servers'], value: ['http://a:1', 'http://b:2'] }], '\n[modules.mta]\nautoStart = false\n\n[tracking]\nservers = [ "http://a:1", "http://b:2" ]\n'],
  ];
  for (const [what, text, edits, expected] of cases) it(what, () => assert.equal(setTomlValues(text, edits), expected));

  it('refuses what it cannot follow (dotted keys, inline tables, multi-line values) instead of writing a broken file', () => {
    const refused: Array<[string, TomlEdit]> = [
      ['secrets.sessionKey = "k"\n', { path: ['secrets', 'bounceKey'], value: 'b' }],
      ['web = { port = 1 }\n', { path: ['web', 'host'], value: 'h' }],
      ['[web]\nhost = """\nx\n"""\n', { path: ['web', 'host'], value: 'y' }],
    ];
    for (const [text, edit] of refused) assert.throws(() => setTomlValues(text, [edit]), TomlEditError, text);
  });
});
