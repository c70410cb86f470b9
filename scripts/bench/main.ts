// `npm run -s bench -- <name> [--flag value]…`: runs one benchmark and prints its result as one JSON
// line (progress, if any, goes to stderr). Benchmarks use throw-away instances in the temp folder.
import { parseArgs } from 'node:util';
import { benchBounceAccuracy } from './bounce-accuracy.js';
import { benchBounce } from './bounce.js';
import { benchImport } from './import.js';

type Bench = { flags: Record<string, number>; run: (flags: Record<string, number>) => Promise<Record<string, unknown>> };

const BENCHES: Record<string, Bench> = {
  import: { flags: { rows: 1_000_000 }, run: (f) => benchImport({ rows: f.rows! }) },
  'bounce-accuracy': { flags: {}, run: () => benchBounceAccuracy() },
  bounce: { flags: { messages: 20_000 }, run: (f) => benchBounce({ messages: f.messages! }) },
};

const [name, ...rest] = process.argv.slice(2);
const bench = name ? BENCHES[name] : undefined;
if (!bench) {
  process.stderr.write(`usage: npm run -s bench -- <${Object.keys(BENCHES).join('|')}> [--<flag> <number>]\n`);
  process.exit(64);
}
const { values } = parseArgs({ args: rest, options: Object.fromEntries(Object.keys(bench.flags).map((k) => [k, { type: 'string' as const }])), strict: true });
const flags = { ...bench.flags, ...Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Number(v)])) };
const result = await bench.run(flags);
process.stdout.write(JSON.stringify(result) + '\n');
