// `npm run -s bench -- <name> [--flag value]…`: runs one benchmark and prints its result as one JSON
// line (progress, if any, goes to stderr). Benchmarks use throw-away instances in the temp folder.
import { parseArgs } from 'node:util';

type Bench = {
  flags: Record<string, number>;
  /** Flags whose value is a word, with their defaults. */
  words?: Record<string, string>;
  run: (flags: Record<string, number>, words: Record<string, string>) => Promise<Record<string, unknown>>;
};

// Each benchmark's module is loaded only when it runs, so memory figures (peak RSS) carry no code
// from the other benchmarks (autocannon, the MTA, the reports seed…).
const BENCHES: Record<string, Bench> = {
  import: { flags: { rows: 1_000_000 }, run: async (f) => (await import('./import.js')).benchImport({ rows: f.rows! }) },
  mta: {
    flags: { messages: 100_000, dkim: 0, 'per-hour': 0, nodes: 1 },
    words: { db: 'sqlite' },
    run: async (f, w) =>
      (await import('./mta.js')).benchMta({ messages: f.messages!, dkim: f.dkim === 1, perHour: f['per-hour']!, db: w.db!, nodes: f.nodes! }),
  },
  cleanup: { flags: { rows: 2_000_000 }, run: async (f) => (await import('./cleanup.js')).benchCleanup({ rows: f.rows! }) },
  tracking: {
    flags: { seconds: 15, connections: 50 },
    run: async (f) => (await import('./tracking.js')).benchTracking({ seconds: f.seconds!, connections: f.connections! }),
  },
  restart: { flags: { kills: 20, dist: 0 }, run: async (f) => (await import('./restart.js')).benchRestart({ kills: f.kills!, dist: f.dist === 1 }) },
  prepare: { flags: { recipients: 1_000_000 }, run: async (f) => (await import('./prepare.js')).benchPrepare({ recipients: f.recipients! }) },
  render: {
    flags: { messages: 100_000 },
    words: { template: '' },
    run: async (f, w) => (await import('./render.js')).benchRender({ messages: f.messages!, template: w.template! }),
  },
  events: {
    flags: { events: 20_000, connections: 64 },
    run: async (f) => (await import('./events.js')).benchEvents({ events: f.events!, connections: f.connections! }),
  },
  'bounce-accuracy': { flags: { folds: 5 }, run: async (f) => (await import('./bounce-accuracy.js')).benchBounceAccuracy({ folds: f.folds! }) },
  bounce: { flags: { messages: 20_000 }, run: async (f) => (await import('./bounce.js')).benchBounce({ messages: f.messages! }) },
  'bounce-mailbox': { flags: { messages: 5000 }, run: async (f) => (await import('./bounce-mailbox.js')).benchBounceMailbox({ messages: f.messages! }) },
  reports: { flags: { recipients: 1_000_000 }, run: async (f) => (await import('./reports.js')).benchReports({ recipients: f.recipients! }) },
  workflow: { flags: { recipients: 200_000 }, run: async (f) => (await import('./workflow.js')).benchWorkflow({ recipients: f.recipients! }) },
  sms: { flags: { messages: 50_000, window: 50 }, run: async (f) => (await import('./sms.js')).benchSms({ messages: f.messages!, window: f.window! }) },
};

const [name, ...rest] = process.argv.slice(2);
const bench = name ? BENCHES[name] : undefined;
if (!bench) {
  process.stderr.write(`usage: npm run -s bench -- <${Object.keys(BENCHES).join('|')}> [--<flag> <value>]\n`);
  process.exit(64);
}
const names = [...Object.keys(bench.flags), ...Object.keys(bench.words ?? {})];
const { values } = parseArgs({ args: rest, options: Object.fromEntries(names.map((k) => [k, { type: 'string' as const }])), strict: true });
const given = Object.entries(values) as Array<[string, string]>;
const flags = { ...bench.flags, ...Object.fromEntries(given.filter(([k]) => k in bench.flags).map(([k, v]) => [k, Number(v)])) };
const words = { ...bench.words, ...Object.fromEntries(given.filter(([k]) => !(k in bench.flags))) };
const result = await bench.run(flags, words);
process.stdout.write(JSON.stringify(result) + '\n');
