import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify } from '../../server/bounce/classify.js';
import { parseRules } from '../../server/bounce/rules-file.js';
import { APP_ROOT } from '../../server/shared/app-root.js';

/** The shipped rules file: every rule documents real replies, and each one hits its own rule. */
describe('config/bounce-rules.conf', () => {
  const rules = parseRules(readFileSync(join(APP_ROOT, 'config', 'bounce-rules.conf'), 'utf8'));

  it('parses and holds rules', () => {
    assert.ok(rules.rules.length > 20);
  });

  it('puts at least one example above every rule', () => {
    const bare = rules.rules.filter((r) => r.examples.length === 0).map((r) => `${r.id} (line ${r.line})`);
    assert.deepEqual(bare, []);
  });

  for (const rule of rules.rules) {
    for (const example of rule.examples) {
      it(`matches the example on line ${example.line} with rule ${rule.id}`, () => {
        assert.equal(classify(example.input, rules).rule, rule.id, `"${example.input.text}"`);
      });
    }
  }
});
