import { Worker } from 'node:worker_threads';
import type { Analysis } from '../bounce/analyse.js';
import type { Logger } from '../shared/logger.js';

/**
 * Worker threads that parse and classify messages outside the SMTP accept loop. Each worker holds
 * up to DEPTH messages, parsed in order, so that it starts the next one without waiting for this
 * thread to hand it over (a busy event loop here no longer leaves the parser idle). The message
 * being parsed (the slot's oldest) has a time budget, counted from when the previous one came back:
 * a worker that overruns it (or dies, e.g. out of its heap limit) is terminated and replaced, that
 * message is reported unparsable instead of stalling the server, and the others it held are
 * handed to the next worker.
 */

/** The rules a worker combines: the rules file's text and the operator rules' text (operator-rules.ts). */
export interface RulesTexts {
  text: string;
  file: string;
  operatorText: string;
}

export type ParserRequest = { type: 'parse'; id: number; raw: Uint8Array } | ({ type: 'rules' } & RulesTexts);
export type ParserReply =
  { type: 'ready' } | { type: 'done'; id: number; ok: true; analysis: Analysis } | { type: 'done'; id: number; ok: false; reason: string };
export type ParseOutcome = { ok: true; analysis: Analysis } | { ok: false; reason: string };

export interface ParserPoolOptions {
  threads: number;
  timeoutMs: number;
  memoryMb: number;
  rules: RulesTexts;
  log: Logger;
}

interface Job {
  id: number;
  raw: Buffer;
  resolve(outcome: ParseOutcome): void;
}

/** Messages handed to one worker at a time: the one it parses and the next ones, oldest first. */
const DEPTH = 4;

interface Slot {
  worker?: Worker;
  ready?: boolean;
  jobs: Job[];
  timer?: NodeJS.Timeout;
  /** Consecutive deaths before ready: start failures are retried with backoff, not in a loop. */
  failedStarts: number;
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./parse-worker${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);

/** Built installs run the compiled worker; from TypeScript sources the worker registers tsx first. */
function newWorker(options: ConstructorParameters<typeof Worker>[1]): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL, options);
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

export class ParserPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private rules: RulesTexts;
  private closed = false;

  constructor(private readonly options: ParserPoolOptions) {
    this.rules = options.rules;
    for (let i = 0; i < options.threads; i++) {
      const slot: Slot = { jobs: [], failedStarts: 0 };
      this.start(slot);
      this.slots.push(slot);
    }
  }

  parse(raw: Buffer): Promise<ParseOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'parser stopped' });
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, raw, resolve });
      this.dispatch();
    });
  }

  /** New rules for every worker (already validated by the caller). */
  setRules(rules: RulesTexts): void {
    this.rules = rules;
    for (const slot of this.slots) slot.worker?.postMessage({ type: 'rules', ...rules } satisfies ParserRequest);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.resolve({ ok: false, reason: 'parser stopped' });
    await Promise.all(this.slots.map((slot) => this.stop(slot, { ok: false, reason: 'parser stopped' })));
  }

  private start(slot: Slot): void {
    const worker = newWorker({
      workerData: this.rules,
      resourceLimits: {
        maxOldGenerationSizeMb: this.options.memoryMb,
        maxYoungGenerationSizeMb: Math.min(32, Math.ceil(this.options.memoryMb / 4)),
        stackSizeMb: 4,
      },
      stdout: false,
      stderr: false,
    });
    slot.worker = worker;
    slot.ready = false;
    worker.on('message', (reply: ParserReply) => {
      if (slot.worker !== worker) return;
      if (reply.type === 'ready') {
        slot.ready = true;
        slot.failedStarts = 0;
        return this.dispatch();
      }
      if (slot.jobs[0]?.id === reply.id) this.settle(slot, reply.ok ? { ok: true, analysis: reply.analysis } : { ok: false, reason: reply.reason });
    });
    worker.on('error', (err) => this.options.log.warn('INMAIL_PARSER_FAILED', { err: err.message }));
    worker.on('exit', () => {
      if (slot.worker !== worker || this.closed) return;
      if (slot.ready) return void this.replace(slot, 'unparsable: the parser crashed or ran out of memory');
      slot.worker = undefined;
      const delay = Math.min(30_000, 500 * 2 ** slot.failedStarts++);
      setTimeout(() => this.closed || this.start(slot), delay).unref();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      while (slot.worker && slot.ready && slot.jobs.length < DEPTH && this.queue.length > 0) {
        const job = this.queue.shift()!;
        slot.jobs.push(job);
        if (slot.jobs.length === 1) this.arm(slot);
        // A copy is handed over (not cloned again): the job keeps its bytes for another worker should this one die.
        const raw = new Uint8Array(job.raw);
        slot.worker.postMessage({ type: 'parse', id: job.id, raw } satisfies ParserRequest, [raw.buffer as ArrayBuffer]);
      }
    }
  }

  /** Starts the budget of the message the slot's worker parses now (its oldest). */
  private arm(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    if (slot.jobs.length > 0)
      slot.timer = setTimeout(() => void this.replace(slot, `unparsable: over the ${this.options.timeoutMs} ms parse budget`), this.options.timeoutMs);
  }

  /** Ends the slot's current job with `outcome` and hands out the next ones. */
  private settle(slot: Slot, outcome: ParseOutcome): void {
    const job = slot.jobs.shift();
    this.arm(slot);
    job?.resolve(outcome);
    this.dispatch();
  }

  /** The worker overran its budget or died: its message is unparsable, a fresh worker takes over the others. */
  private async replace(slot: Slot, reason: string): Promise<void> {
    const old = slot.worker;
    slot.worker = undefined;
    this.options.log.warn('INMAIL_PARSER_REPLACED', { reason });
    const [current, ...waiting] = slot.jobs.splice(0);
    this.arm(slot);
    this.queue.unshift(...waiting);
    this.start(slot);
    current?.resolve({ ok: false, reason });
    this.dispatch();
    await old?.terminate();
  }

  private async stop(slot: Slot, outcome: ParseOutcome): Promise<void> {
    const worker = slot.worker;
    slot.worker = undefined;
    for (const job of slot.jobs.splice(0)) job.resolve(outcome);
    this.arm(slot);
    await worker?.terminate();
  }
}
