// `node --import=tsx scripts/bench/bounce-misses.ts [--in-sample] [--type-only] [--json]`: the recipients
// `bench bounce-accuracy` scores wrong under cross-validation (or on the whole corpus with
// --in-sample), one block each: corpus file and family, the label and what it maps to, what Herald
// decided and by which rule, the facts the rules saw and the text that decided. For reading the
// misses when changing the rules or the readers; the figures themselves come from the bench.
import { parseArgs } from 'node:util';
import { benchBounceAccuracy, type Miss } from './bounce-accuracy.js';

const { values } = parseArgs({
  options: { 'in-sample': { type: 'boolean' }, 'type-only': { type: 'boolean' }, json: { type: 'boolean' }, folds: { type: 'string' } },
});
const misses: Miss[] = [];
const sink = (miss: Miss) => {
  if (!values['type-only'] || !miss.typeOk) misses.push(miss);
};
const result = await benchBounceAccuracy({
  folds: Number(values.folds ?? 5),
  ...(values['in-sample'] ? { onMiss: sink } : { onCvMiss: sink }),
});
misses.sort((a, b) => (a.family < b.family ? -1 : a.family > b.family ? 1 : a.file < b.file ? -1 : 1));
if (values.json) {
  process.stdout.write(`${JSON.stringify(misses, null, 1)}\n`);
} else {
  for (const m of misses) {
    const wrong = [m.typeOk ? '' : 'type', m.reasonOk ? '' : 'reason'].filter(Boolean).join('+');
    const got = m.got ? `${m.got.type}/${m.got.reason} (${m.got.rule})` : 'no recipient';
    process.stdout.write(
      `${m.family.padEnd(12)} ${m.file.replace(/^.*\//, '')} ${m.address}\n` +
        `  wrong ${wrong}: label ${m.label} → ${m.expected.type}/${m.expected.reason}; got ${got}\n` +
        `  facts ${Object.entries(m.facts)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}\n` +
        `  text  ${m.text.slice(0, 400)}\n`,
    );
  }
  const key = values['in-sample'] ? ['type_accuracy', 'reason_accuracy'] : ['cv_type_accuracy', 'cv_reason_accuracy'];
  process.stdout.write(`${misses.length} misses; ${key.map((k) => `${k} ${String(result[k])}`).join(', ')}\n`);
}
