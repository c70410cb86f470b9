import { readFile } from 'node:fs/promises';
import type { Database } from '../../db/connect.js';
import type { Workflow, WorkflowRun } from '../../db/models/index.js';
import { latestRuns, listRuns, listWorkflows } from '../../db/repos/workflows.js';
import { createLogger, type Logger } from '../../shared/logger.js';
import { HeraldError, UsageError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import type { Engine } from '../../workflows/engine.js';
import type { WorkflowAction } from '../../workflows/lifecycle.js';
import type { RunOutcome } from '../../workflows/runner.js';
import type { Command, CommandInput } from '../command.js';
import { commandConfig, withDatabase } from '../context.js';

/**
 * `herald workflow …`: list workflows and their journal, run one now, start / pause / stop, save a
 * definition. The workflow server's code is loaded only when one of these commands runs.
 */

const wfserver = async () => ({
  ...(await import('../../workflows/engine.js')),
  ...(await import('../../workflows/lifecycle.js')),
  ...(await import('../../workflows/schedule.js')),
  ...(await import('../../workflows/clock.js')),
  ...(await import('../../workflows/marketing/delivery-launcher.js')),
});

/** An engine for one command: it never schedules anything, it only syncs and runs on request. */
async function withEngine<T>(input: CommandInput, fn: (engine: Engine, db: Database, log: Logger) => Promise<T>): Promise<T> {
  const { Engine, systemClock, workflowDeliveryLauncher } = await wfserver();
  const { config, paths } = commandConfig(input);
  const log = createLogger({
    module: 'workflow',
    dir: paths.logDir,
    level: config.log.level,
    console: false,
    maxSizeMb: config.log.maxSizeMb,
    maxFiles: config.log.maxFiles,
  });
  try {
    return await withDatabase(input, async (db) => {
      const engine = new Engine({ db, config, paths, log, clock: systemClock, launcher: workflowDeliveryLauncher(db, config, log) });
      await engine.syncTechnical();
      return fn(engine, db, log);
    });
  } finally {
    await log.close();
  }
}

function printTable(input: CommandInput, rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows)
    input.out.write(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd() + '\n',
    );
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString().replace('.000Z', 'Z') : '');
const countsText = (counts: Record<string, number> | null) =>
  Object.entries(counts ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

async function nextRun(wf: Workflow, timezone: string, now: Date): Promise<Date | null> {
  if (wf.state !== 'started' || !wf.enabled || !wf.schedule) return null;
  return (await wfserver()).compileSchedule(wf.schedule, wf.timeZone || timezone).next(now);
}

function runJson(run: WorkflowRun) {
  return {
    id: run.id,
    trigger: run.trigger,
    slot: run.slot,
    status: run.status,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    durationMs: run.durationMs,
    counts: run.counts ?? {},
    error: run.error,
    owner: run.owner,
  };
}

const list: Command = {
  words: ['workflow', 'list'],
  usage: 'workflow list [--json]',
  summary: 'list workflows: kind, state, schedule, next and last run',
  options: { json: { type: 'boolean' } },
  async run(input) {
    const timezone = commandConfig(input).config.wfserver.timezone;
    const rows = await withEngine(input, async (_engine, db) => {
      const workflows = await listWorkflows(db);
      const last = await latestRuns(
        db,
        workflows.map((w) => w.id),
      );
      const now = new Date();
      return Promise.all(
        workflows.map(async (w) => ({
          name: w.name,
          label: w.label,
          kind: w.kind,
          state: w.state,
          enabled: w.enabled,
          schedule: w.schedule,
          nextRunAt: await nextRun(w, timezone, now),
          lastRun: last.has(w.id) ? runJson(last.get(w.id)!) : null,
        })),
      );
    });
    if (input.flags.json) {
      for (const row of rows) input.out.write(JSON.stringify(row) + '\n');
      return EXIT.OK;
    }
    const header = ['NAME', 'KIND', 'STATE', 'SCHEDULE', 'NEXT RUN', 'LAST RUN', 'STATUS'];
    printTable(input, [
      header,
      ...rows.map((r) => [
        r.name,
        r.kind,
        r.enabled ? r.state : `${r.state} (disabled)`,
        r.schedule ?? '',
        iso(r.nextRunAt),
        iso(r.lastRun?.startedAt),
        r.lastRun?.status ?? '',
      ]),
    ]);
    return EXIT.OK;
  },
};

const runs: Command = {
  words: ['workflow', 'runs'],
  usage: 'workflow runs <name> [--limit <n>] [--json]',
  summary: "show a workflow's run journal, newest first: trigger, status, duration, counts, error",
  args: [1, 1],
  options: { limit: { type: 'string' }, json: { type: 'boolean' } },
  async run(input) {
    const limit = input.flags.limit === undefined ? 20 : Number(input.flags.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit takes a number from 1 to 1000');
    const journal = await withEngine(input, async (_engine, db) => listRuns(db, (await (await wfserver()).requireWorkflow(db, input.args[0]!)).id, limit));
    if (input.flags.json) {
      for (const run of journal) input.out.write(JSON.stringify(runJson(run)) + '\n');
      return EXIT.OK;
    }
    const header = ['ID', 'STARTED', 'TRIGGER', 'STATUS', 'MS', 'COUNTS / ERROR'];
    printTable(input, [
      header,
      ...journal.map((r) => [
        String(r.id),
        iso(r.startedAt),
        r.trigger,
        r.status,
        r.durationMs === null ? '' : String(r.durationMs),
        r.error ?? countsText(r.counts),
      ]),
    ]);
    return EXIT.OK;
  },
};

const runNow: Command = {
  words: ['workflow', 'run'],
  usage: 'workflow run <name> [--json]',
  summary: 'run a workflow now, in this process, with the same lease as the workflow server (refused while it runs elsewhere)',
  args: [1, 1],
  options: { json: { type: 'boolean' } },
  async run(input) {
    const outcome: RunOutcome = await withEngine(input, (engine) => engine.runNow(input.args[0]!));
    if (outcome.kind !== 'ran')
      throw new HeraldError(
        'WF_BUSY',
        `workflow "${input.args[0]}" is running elsewhere${outcome.kind === 'not-run' && outcome.holder ? ` (${outcome.holder})` : ''}: try again when it ends`,
        { exitCode: EXIT.FAILURE },
      );
    if (input.flags.json)
      input.out.write(
        JSON.stringify({ runId: outcome.runId, status: outcome.status, durationMs: outcome.durationMs, counts: outcome.counts, error: outcome.error }) + '\n',
      );
    else
      input.out.write(
        `run ${outcome.runId} ${outcome.status} in ${outcome.durationMs} ms${outcome.error ? `: ${outcome.error}` : ''}${Object.keys(outcome.counts).length ? `\n${countsText(outcome.counts)}` : ''}\n`,
      );
    return outcome.status === 'succeeded' ? EXIT.OK : EXIT.FAILURE;
  },
};

const stateCommand = (action: WorkflowAction, summary: string): Command => ({
  words: ['workflow', action],
  usage: `workflow ${action} <name>`,
  summary,
  args: [1, 1],
  async run(input) {
    const { from, to } = await withEngine(input, async (_engine, db, log) => {
      const { changeState, requireWorkflow } = await wfserver();
      const change = await changeState(db, await requireWorkflow(db, input.args[0]!), action, new Date());
      log.info('WF_STATE_CHANGED', { workflow: input.args[0], ...change, by: 'cli' });
      return change;
    });
    input.out.write(`workflow "${input.args[0]}": ${from} → ${to}\n`);
    return EXIT.OK;
  },
});

const save: Command = {
  words: ['workflow', 'save'],
  usage: 'workflow save <file.json>',
  summary: 'create or update a marketing workflow from JSON { "name", "label", "definition": { "activities": [...] } }',
  args: [1, 1],
  async run(input) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(input.args[0]!, 'utf8'));
    } catch (err) {
      throw new HeraldError('WF_BAD_DEFINITION', `cannot read ${input.args[0]}: ${(err as Error).message.split('\n')[0]}`, { exitCode: EXIT.NO_INPUT });
    }
    const { name, result } = await withEngine(input, async (_engine, db) => (await wfserver()).saveWorkflow(db, parsed));
    input.out.write(`workflow "${name}" ${result} (state editing until started: herald workflow start ${name})\n`);
    return EXIT.OK;
  },
};

export const workflowCommands: Command[] = [
  list,
  runs,
  runNow,
  stateCommand('start', 'start a workflow (a paused one resumes; a missed schedule slot then runs once)'),
  stateCommand('pause', 'pause a started workflow: no run starts until it is started again'),
  stateCommand('stop', 'stop a workflow (finished); a marketing workflow drops its waiting populations'),
  save,
];
