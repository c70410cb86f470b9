import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database } from '../db/connect.js';
import type { Workflow } from '../db/models/index.js';
import { workflowsWithDueTasks } from '../db/repos/workflow-tasks.js';
import { findWorkflow, listWorkflows, syncTechnicalWorkflows } from '../db/repos/workflows.js';
import type { InstancePaths } from '../shared/config/paths.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { describeError, HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import type { WorkflowRunTrigger } from '../shared/glossary.js';
import type { Logger } from '../shared/logger.js';
import type { Clock } from './clock.js';
import { CronTasks } from './cron-tasks.js';
import type { DeliveryLauncher } from './marketing/delivery-launcher.js';
import { entryWaveJob, resumeJob } from './marketing/run-marketing.js';
import { runWorkflow, type Job, type RunnerDeps, type RunOutcome } from './runner.js';
import { compileSchedule, latestFireBetween, type Schedule } from './schedule.js';
import { TECHNICAL_WORKFLOWS, type TechnicalWorkflow, type TechnicalWorkflowName } from './technical/registry.js';

/**
 * The workflow engine: keeps one node-cron task per started workflow with a schedule, runs each
 * slot through the runner (lease + journal), and polls every [wfserver] pollSeconds to catch up
 * missed slots once, resume Waits that are due, and follow workflows started or paused elsewhere.
 * Time comes from the injected clock; node-cron only decides when to call `fire`.
 */

export interface EngineDeps {
  db: Database;
  config: HeraldConfig;
  paths: InstancePaths;
  log: Logger;
  clock: Clock;
  launcher: DeliveryLauncher;
  technical?: Partial<Record<TechnicalWorkflowName, TechnicalWorkflow>>;
  /** Identifies this process in leases and the journal (default: host:pid:random). */
  owner?: string;
  random?: () => number;
  /** Told of every run that ended (the wfserver's metrics). */
  onRun?: RunnerDeps['onRun'];
}

/** A slot older than this without a claim is considered missed by the poll (node-cron claims it first). */
const POLL_GRACE_MS = 60_000;

export class Engine {
  readonly owner: string;
  private readonly technical: Partial<Record<TechnicalWorkflowName, TechnicalWorkflow>>;
  private readonly cron: CronTasks;
  private readonly schedules = new Map<string, Schedule>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly stopping = new AbortController();
  private pollTimer: NodeJS.Timeout | undefined;
  private scanning = false;

  constructor(private readonly deps: EngineDeps) {
    this.owner = deps.owner ?? `${hostname().slice(0, 40)}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.technical = deps.technical ?? TECHNICAL_WORKFLOWS;
    this.cron = new CronTasks(
      deps.config.wfserver.timezone,
      (name, slot) => void this.track(this.fire(name, slot, 'schedule')),
      (name) => void this.track(this.catchUpOne(name, 0)),
    );
  }

  /** Creates the technical workflows' rows, runs missed slots once, then schedules and polls. */
  async start(): Promise<void> {
    await this.syncTechnical();
    for (const name of Object.keys(this.deps.config.wfserver.workflows)) {
      if (!this.technical[name as TechnicalWorkflowName]) this.deps.log.warn('WF_NO_JOB', { workflow: name });
    }
    for (const run of await this.scan(0)) void this.track(run);
    this.pollTimer = setInterval(() => void this.tick(), this.deps.config.wfserver.pollSeconds * 1000);
    this.deps.log.info('WF_ENGINE_STARTED', { owner: this.owner, scheduled: this.cron.names(), timezone: this.deps.config.wfserver.timezone || 'local' });
  }

  /** Stops scheduling, asks running jobs to stop between batches, and waits for them. */
  async stop(): Promise<void> {
    clearInterval(this.pollTimer);
    this.cron.clear();
    this.stopping.abort();
    await Promise.allSettled([...this.inflight]);
  }

  status(): Record<string, unknown> {
    return { owner: this.owner, scheduled: this.cron.names().length, running: this.inflight.size };
  }

  async syncTechnical(): Promise<void> {
    const defs = Object.entries(this.deps.config.wfserver.workflows)
      .filter(([name]) => this.technical[name as TechnicalWorkflowName])
      .map(([name, c]) => ({ name, label: this.technical[name as TechnicalWorkflowName]!.label, schedule: c.schedule, enabled: c.enabled }));
    await syncTechnicalWorkflows(this.deps.db, defs, this.deps.clock.now());
  }

  /** Runs one schedule slot of a workflow (what node-cron calls); at most once per slot across processes. */
  async fire(name: string, slot: Date, trigger: Extract<WorkflowRunTrigger, 'schedule' | 'catchup'>): Promise<RunOutcome | undefined> {
    try {
      const wf = await findWorkflow(this.deps.db, name);
      if (!wf) return undefined;
      const job = this.jobFor(wf, trigger, slot);
      return job ? await runWorkflow(this.runnerDeps(), { workflow: wf, trigger, slot, requireActive: true, job, signal: this.stopping.signal }) : undefined;
    } catch (err) {
      this.deps.log.error('WF_FIRE_FAILED', { workflow: name, err: describeError(err) });
      return undefined;
    }
  }

  /** Runs a workflow now, whatever its schedule (an operator's request); refused while it runs elsewhere. */
  async runNow(name: string): Promise<RunOutcome> {
    const wf = await findWorkflow(this.deps.db, name);
    const job = wf && this.jobFor(wf, 'manual');
    if (!wf || !job) throw new HeraldError('WF_NOT_FOUND', `no workflow named "${name}" that this version can run`, { exitCode: EXIT.DATA, status: 404 });
    return runWorkflow(this.runnerDeps(), { workflow: wf, trigger: 'manual', requireActive: false, job, signal: this.stopping.signal });
  }

  /** One poll: follow state changes, catch up missed slots, resume due Waits; resolves when its runs end. */
  async poll(): Promise<void> {
    await Promise.all(await this.scan(POLL_GRACE_MS));
  }

  private async tick(): Promise<void> {
    if (this.scanning) return;
    this.scanning = true;
    try {
      for (const run of await this.scan(POLL_GRACE_MS)) void this.track(run);
    } catch (err) {
      this.deps.log.error('WF_FIRE_FAILED', { workflow: '*', err: describeError(err) });
    } finally {
      this.scanning = false;
    }
  }

  /** Per workflow: catch up a missed slot, then resume its due Waits (one after the other: they share the lease). */
  private async scan(graceMs: number): Promise<Array<Promise<unknown>>> {
    const started = await listWorkflows(this.deps.db, { state: 'started', enabled: true });
    const schedulable = started.filter(
      (wf) => wf.schedule && this.scheduleOf(wf) && (wf.kind === 'marketing' || this.technical[wf.name as TechnicalWorkflowName]),
    );
    if (!this.stopping.signal.aborted) this.cron.sync(schedulable.map((wf) => ({ name: wf.name, expression: wf.schedule! })));
    const due = new Set(
      await workflowsWithDueTasks(
        this.deps.db,
        started.filter((wf) => wf.kind === 'marketing').map((wf) => wf.id),
        this.deps.clock.now(),
      ),
    );
    return started
      .filter((wf) => schedulable.includes(wf) || due.has(wf.id))
      .map(async (wf) => {
        if (schedulable.includes(wf)) await this.catchUp(wf, graceMs);
        if (due.has(wf.id)) await this.resume(wf);
      });
  }

  private async resume(wf: Workflow): Promise<void> {
    try {
      await runWorkflow(this.runnerDeps(), {
        workflow: wf,
        trigger: 'resume',
        requireActive: true,
        job: resumeJob(this.marketingDeps(), wf),
        signal: this.stopping.signal,
      });
    } catch (err) {
      this.deps.log.error('WF_FIRE_FAILED', { workflow: wf.name, err: describeError(err) });
    }
  }

  private async catchUpOne(name: string, graceMs: number): Promise<void> {
    try {
      const wf = await findWorkflow(this.deps.db, name);
      if (wf?.state === 'started' && wf.enabled) await this.catchUp(wf, graceMs);
    } catch (err) {
      this.deps.log.error('WF_FIRE_FAILED', { workflow: name, err: describeError(err) });
    }
  }

  private async catchUp(wf: Workflow, graceMs: number): Promise<unknown> {
    const schedule = this.scheduleOf(wf);
    if (!schedule || !wf.lastRunAt) return;
    const slot = latestFireBetween(schedule, wf.lastRunAt, new Date(this.deps.clock.now().getTime() - graceMs));
    if (!slot) return;
    this.deps.log.info('WF_CATCHUP', { workflow: wf.name, slot });
    return this.fire(wf.name, slot, 'catchup');
  }

  private scheduleOf(wf: Workflow): Schedule | undefined {
    const key = wf.schedule ?? '';
    if (!key) return undefined;
    let schedule = this.schedules.get(key);
    if (!schedule) {
      try {
        schedule = compileSchedule(key, this.deps.config.wfserver.timezone);
      } catch (err) {
        this.deps.log.error('WF_SCHEDULE_INVALID', { workflow: wf.name, schedule: key, err: describeError(err) });
        return undefined;
      }
      this.schedules.set(key, schedule);
    }
    return schedule;
  }

  private jobFor(wf: Workflow, trigger: WorkflowRunTrigger, slot?: Date): Job | undefined {
    if (wf.kind === 'marketing') return trigger === 'resume' ? resumeJob(this.marketingDeps(), wf) : entryWaveJob(this.marketingDeps(), wf, slot);
    const technical = this.technical[wf.name as TechnicalWorkflowName];
    if (!technical) return undefined;
    const { db, config, paths, log } = this.deps;
    return (ctx) => technical.run({ db, config, paths, log, now: ctx.now, signal: ctx.signal });
  }

  private runnerDeps() {
    const { db, log, clock } = this.deps;
    return { db, log, clock, owner: this.owner, leaseMs: this.deps.config.wfserver.leaseSeconds * 1000, onRun: this.deps.onRun };
  }

  private marketingDeps() {
    return { db: this.deps.db, log: this.deps.log, launcher: this.deps.launcher, random: this.deps.random ?? Math.random };
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inflight.add(promise);
    void promise.finally(() => this.inflight.delete(promise)).catch(() => undefined);
    return promise;
  }
}
