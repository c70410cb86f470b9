import type { Database } from '../db/connect.js';
import { ROUTE_STALE, storeEvents, type NewEvent, type StoredEvent } from '../db/repos/events.js';
import { normalizeAddress } from '../shared/email-address.js';
import { describeError, HeraldError, isHeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import { ACTIVE_STATES, type EmailFormat } from '../shared/glossary.js';
import type { Logger } from '../shared/logger.js';
import { requestHash } from './event-input.js';
import type { EventRouter } from './router.js';

/**
 * The event intake with group commit: callers wait for their event to be committed (SQLite
 * synchronous=FULL: on disk) before they answer, but events that arrive while a batch is being
 * written go together into the next transaction, so one disk sync serves many requests. An idle
 * intake writes a lone event at once. The queue is bounded: beyond it callers get 503 at once.
 */

export interface IncomingEvent {
  type: string;
  email: string;
  ctx: Record<string, unknown> | null;
  emailFormat: EmailFormat;
  /** api, forms, cli. */
  origin: string;
  apiKeyId: number | null;
  idempotencyKey?: string;
}

export interface IntakeDeps {
  db: Database;
  log: Logger;
  clock: () => Date;
  router: EventRouter;
  /** Most events per transaction. */
  batchSize: number;
}

interface Waiting {
  event: Omit<NewEvent, 'route'>;
  resolve(stored: StoredEvent): void;
  reject(err: unknown): void;
}

const QUEUE_BATCHES = 20;
const ROUTE_ATTEMPTS = 3;

const unavailable = (message: string) => new HeraldError('EVENTS_UNAVAILABLE', message, { status: 503, exitCode: EXIT.UNAVAILABLE });

export class EventIntake {
  private queue: Waiting[] = [];
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly deps: IntakeDeps) {}

  /** Resolves once the event is committed (or an earlier one with the same idempotency key was found). */
  accept(incoming: IncomingEvent): Promise<StoredEvent> {
    if (this.stopped) return Promise.reject(unavailable('the event intake is stopping; retry shortly'));
    if (this.queue.length >= this.deps.batchSize * QUEUE_BATCHES) return Promise.reject(unavailable('too many events are waiting to be stored; retry shortly'));
    const email = normalizeAddress(incoming.email);
    const event: Omit<NewEvent, 'route'> = {
      type: incoming.type,
      email,
      ctx: incoming.ctx,
      emailFormat: incoming.emailFormat,
      origin: incoming.origin,
      apiKeyId: incoming.apiKeyId,
      idempotencyScope: incoming.idempotencyKey === undefined ? null : `${incoming.apiKeyId ?? 0}:${incoming.idempotencyKey}`,
      requestHash:
        incoming.idempotencyKey === undefined ? null : requestHash({ type: incoming.type, email, ctx: incoming.ctx ?? {}, emailFormat: incoming.emailFormat }),
    };
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.kick();
    });
  }

  /** Stop taking events and wait until those already accepted are written. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private kick(): void {
    if (this.running) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.deps.batchSize);
      try {
        const stored = await this.store(batch.map((w) => w.event));
        batch.forEach((w, i) => w.resolve(stored[i]!));
      } catch (err) {
        this.deps.log.error('EVENT_BATCH_FAILED', { count: batch.length, err: describeError(err) });
        const failure = unavailable('the event could not be stored; retry with the same idempotency key');
        for (const w of batch) w.reject(failure);
      }
    }
  }

  /** Routes the batch's types, then stores it; a route gone stale (its delivery ended) is routed again. */
  private async store(events: ReadonlyArray<Omit<NewEvent, 'route'>>): Promise<StoredEvent[]> {
    const now = this.deps.clock();
    const types = [...new Set(events.map((e) => e.type))];
    for (let attempt = 1; ; attempt++) {
      const routes = await this.deps.router.routes(types, now);
      try {
        return await storeEvents(
          this.deps.db,
          events.map((e) => ({ ...e, route: routes.get(e.type) ?? null })),
          now,
          ACTIVE_STATES,
        );
      } catch (err) {
        if (!isHeraldError(err) || err.code !== ROUTE_STALE || attempt >= ROUTE_ATTEMPTS) throw err;
        this.deps.router.invalidate();
      }
    }
  }
}
