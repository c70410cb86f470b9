import type { Database } from '../../server/db/connect.js';
import type { WorkflowRun } from '../../server/db/models/index.js';
import { silentLogger } from '../../server/shared/logger.js';
import type { Clock } from '../../server/workflows/clock.js';
import { Engine, type EngineDeps } from '../../server/workflows/engine.js';
import { workflowDeliveryLauncher } from '../../server/workflows/marketing/delivery-launcher.js';
import type { TestInstance } from '../helpers/instance.js';

/** A clock the test moves by hand. */
export interface FakeClock extends Clock {
  set(at: string | Date): void;
  advance(ms: number): void;
}

export function fakeClock(start: string | Date): FakeClock {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (at) => void (t = new Date(at).getTime()),
    advance: (ms) => void (t += ms),
  };
}

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export const at = (iso: string) => new Date(iso);
export const minus = (d: Date, ms: number) => new Date(d.getTime() - ms);
export const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

export function testEngine(instance: TestInstance, db: Database, clock: Clock, extra: Partial<EngineDeps> = {}): Engine {
  return new Engine({
    db,
    config: instance.config,
    paths: instance.paths,
    log: silentLogger(),
    clock,
    launcher: workflowDeliveryLauncher(db, instance.config, silentLogger()),
    owner: 'test-owner',
    ...extra,
  });
}

/** A settable promise: lets a test hold a job open while it checks what happens meanwhile. */
export function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export async function journal(db: Database, name: string): Promise<WorkflowRun[]> {
  const wf = await db.models.Workflow.findOne({ where: { name } });
  return db.models.WorkflowRun.findAll({ where: { workflowId: wf!.id }, order: [['id', 'ASC']] });
}

export async function seedRecipients(db: Database, emails: readonly string[], now: Date): Promise<number[]> {
  const rows = await db.write((transaction) =>
    db.models.Recipient.bulkCreate(
      emails.map((email) => ({ email, firstName: null, lastName: null, createdAt: now, updatedAt: now })),
      { transaction },
    ),
  );
  return rows.map((r) => r.id);
}

/** A valid marketing delivery template (sender, tracked link, unsubscribe links): its deliveries pass the control rules. */
export async function seedTemplate(db: Database, internalName: string, now: Date): Promise<number> {
  const row = await db.write((transaction) =>
    db.models.Delivery.create(
      {
        internalName,
        label: internalName,
        isTemplate: true,
        subject: `${internalName} subject`,
        fromName: 'Herald news',
        fromAddress: 'news@example.org',
        html: `<p>Hi, read <a href="https://www.example.org/${internalName}">the ${internalName} page</a>.</p><p><a href="<%= links.unsubscribe %>">Unsubscribe</a></p>`,
        text: `Hi, read https://www.example.org/${internalName}\nUnsubscribe: <%= links.unsubscribe %>\n`,
        createdAt: now,
        updatedAt: now,
      },
      { transaction, silent: true },
    ),
  );
  return row.id;
}

/** Recipient ids of the list a workflow delivery targets. */
export async function deliveryTargets(db: Database, deliveryId: number): Promise<number[]> {
  const delivery = await db.models.Delivery.findByPk(deliveryId);
  const target = delivery!.target as { listId: number };
  const list = await db.models.List.findByPk(target.listId);
  const members = await db.models.ListMember.findAll({ where: { listId: list!.id }, order: [['recipientId', 'ASC']] });
  return members.map((m) => m.recipientId);
}
