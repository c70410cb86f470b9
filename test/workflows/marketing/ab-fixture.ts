import type { Database } from '../../../server/db/connect.js';
import type { AbTest, Delivery } from '../../../server/db/models/index.js';
import type { Activity } from '../../../server/workflows/marketing/definition.js';
import { changeState, requireWorkflow, saveWorkflow } from '../../../server/workflows/lifecycle.js';
import { DAY, MINUTE, plus, seedRecipients, seedTemplate, type FakeClock } from '../helpers.js';
import { openMail, type CapturedMail, type SendingStack } from './sending-stack.js';

type Pick = Partial<Extract<Activity, { type: 'abWinner' }>>;

/** An A/B test built as a workflow: everyone of `prefix`'s domain, A and B 25 % each, the rest after a day gets the winner. */
export const abTestDefinition = (prefix: string, pick: Pick): Activity[] => [
  { id: 'begin', type: 'start', next: 'everyone' },
  { id: 'everyone', type: 'query', where: { field: 'email', op: 'endsWith', value: `@${prefix}.example.com` }, next: 'split' },
  {
    id: 'split',
    type: 'split',
    segments: [
      { name: 'A', percent: 25, next: 'sendA' },
      { name: 'B', percent: 25, next: 'sendB' },
    ],
    remainder: 'wait',
  },
  { id: 'sendA', type: 'delivery', template: `${prefix}-a`, next: 'done' },
  { id: 'sendB', type: 'delivery', template: `${prefix}-b`, next: 'done' },
  { id: 'wait', type: 'wait', duration: '1d', next: 'pick' },
  { id: 'pick', type: 'abWinner', a: 'sendA', b: 'sendB', criterion: 'opens', next: 'done', ...pick },
  { id: 'done', type: 'end' },
];

/** Twenty recipients `r<i>@<prefix>.example.com` and the templates `<prefix>-a` and `<prefix>-b`. */
export async function seedAbAudience(db: Database, prefix: string, now: Date): Promise<void> {
  await seedRecipients(
    db,
    Array.from({ length: 20 }, (_, i) => `r${i}@${prefix}.example.com`),
    now,
  );
  await seedTemplate(db, `${prefix}-a`, now);
  await seedTemplate(db, `${prefix}-b`, now);
}

/** The deliveries a workflow's activity created, oldest first. */
export async function deliveriesOfActivity(db: Database, name: string, activity: string): Promise<Delivery[]> {
  const wf = await requireWorkflow(db, name);
  const rows = await db.models.Delivery.findAll({ where: { isTemplate: false }, order: [['id', 'ASC']] });
  return rows.filter((d) => d.internalName.startsWith(`wf${wf.id}-`) && d.internalName.endsWith(`-${activity}`));
}

/** Saves and starts the workflow, runs its first wave and waits until the MTA captured A's and B's messages. */
export async function launchAbTest(
  db: Database,
  stack: SendingStack,
  clock: FakeClock,
  name: string,
  pick: Pick,
): Promise<{ a: CapturedMail[]; b: CapturedMail[] }> {
  await saveWorkflow(db, { name, label: name, definition: { activities: abTestDefinition(name, pick) } });
  await changeState(db, await requireWorkflow(db, name), 'start', clock.now());
  await stack.engine.poll();
  const [a] = await deliveriesOfActivity(db, name, 'sendA');
  const [b] = await deliveriesOfActivity(db, name, 'sendB');
  return { a: await stack.waitCaptured(a!.id, 5), b: await stack.waitCaptured(b!.id, 5) };
}

/** A whole test up to its decision: B's mails opened more (through the tracking server), ingested, the day over. */
export async function decideAbTest(db: Database, stack: SendingStack, clock: FakeClock, name: string, pick: Pick): Promise<AbTest> {
  const started = clock.now();
  const { a, b } = await launchAbTest(db, stack, clock, name, pick);
  clock.set(plus(started, 3_600_000));
  await openMail(a[0]!);
  for (const mail of b.slice(0, 3)) await openMail(mail);
  await stack.engine.runNow('tracking');
  clock.set(plus(started, DAY + MINUTE));
  await stack.engine.poll();
  const wf = await requireWorkflow(db, name);
  return (await db.models.AbTest.findOne({ where: { workflowId: wf.id } }))!;
}
