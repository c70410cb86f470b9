import { isUniqueViolation } from '../db/errors.js';
import type { Database } from '../db/connect.js';
import { countDeliveriesNamed, findDelivery, updateDeliveryWhile, type DeliveryChanges } from '../db/repos/deliveries.js';
import { changeDeliveryState, createDelivery, type LifecycleStep, type StateChangeValues } from '../db/repos/delivery-state.js';
import { cancelPendingMessages } from '../db/repos/delivery-schedule.js';
import { findRecipient } from '../db/repos/delivery-target.js';
import type { Delivery } from '../db/models/index.js';
import { HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import type { Channel, DeliveryKind } from '../shared/glossary.js';
import { analyseDelivery, type AnalysisReport, type DeliveryDeps } from './analyse.js';
import { blockingErrors } from './control-rules.js';
import { planLocalSendTimes } from './local-send-time.js';
import { notFound, refused } from './delivery-content.js';
import * as lifecycle from './lifecycle.js';
import type { MessageContent } from './message-content.js';
import type { PushContent } from './push/push-content.js';
import type { Issue } from './template/plan.js';
import { parseExclusions, parseTargetSpec, type ExclusionSettings, type TargetSpec } from './target-spec.js';

/**
 * Operator actions on deliveries (CLI, console, API call these): create, start, pause, resume,
 * stop, proof. Each one hands a lifecycle step to the one state writer (changeDeliveryState), which
 * writes the next state only if nobody changed the delivery meanwhile (compare-and-set).
 */

/** A new delivery: its content, and where, when and to whom it goes. */
export interface NewDelivery extends MessageContent {
  internalName: string;
  label: string;
  kind: Extract<DeliveryKind, 'marketing' | 'transactional'>;
  /** The channel its messages go out on (email when not given). */
  channel?: Channel;
  target: TargetSpec;
  exclusions: ExclusionSettings;
  /** The service a marketing message unsubscribes from (default: the target's service). */
  serviceId: number | null;
  scheduledAt: Date | null;
  validityEnd: Date | null;
  /** IANA zone of the delivery (canonical); null: UTC. */
  timeZone?: string | null;
  /** `HH:MM`: each message goes at the next such time in its recipient's zone once the delivery starts; null: at once. */
  localSendTime?: string | null;
  /** A push delivery's own fields (push/push-content.ts); null or absent: none. */
  pushContent?: PushContent | null;
  createdBy?: number | null;
  /** A delivery template (never analysed or started; new deliveries copy it). */
  isTemplate?: boolean;
  /** The template a delivery was created from. */
  templateId?: number | null;
}

const NAME = /^(?!\d+$)[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export async function createNewDelivery(deps: DeliveryDeps, input: NewDelivery): Promise<Delivery> {
  if (!NAME.test(input.internalName))
    throw new HeraldError('DELIVERY_INVALID', 'an internal name is 1–100 characters (letters, digits, . _ -) and not only digits', {
      exitCode: EXIT.USAGE,
      status: 400,
    });
  parseTargetSpec(input.target);
  parseExclusions(input.exclusions);
  const serviceId = input.serviceId ?? (input.target.kind === 'service' ? input.target.serviceId : null);
  try {
    const { format, ...values } = input;
    const d = await createDelivery(deps.db, {
      ...values,
      contentFormat: format ?? 'html',
      serviceId,
      state: 'editing',
      isTemplate: input.isTemplate ?? false,
      templateId: input.templateId ?? null,
      createdBy: input.createdBy ?? null,
    });
    deps.log.info('DELIVERY_CREATED', { deliveryId: d.id, internalName: d.internalName, kind: d.kind });
    return d;
  } catch (err) {
    if (isUniqueViolation(err))
      throw new HeraldError('DELIVERY_EXISTS', `a delivery named "${input.internalName}" exists already`, { exitCode: EXIT.DATA, status: 409 });
    throw err;
  }
}

/** Content, target and settings an edit may change; `limit` changes only the limit of the exclusions. */
export type DeliveryEdit = Partial<Omit<NewDelivery, 'internalName' | 'kind' | 'exclusions' | 'createdBy' | 'isTemplate' | 'templateId'>> & {
  limit?: number | null;
};

/** Changes a delivery that has not started; a ready delivery goes back to editing (analyse again). */
export async function editDelivery(deps: DeliveryDeps, ref: string | number, edit: DeliveryEdit, now: Date): Promise<Delivery> {
  const d = await load(deps.db, ref);
  if (d.kind === 'proof') throw refused('a proof cannot be changed; send a new proof');
  const { limit, format, ...rest } = edit;
  const changes = { ...rest, ...(format ? { contentFormat: format } : {}) };
  if (changes.target) parseTargetSpec(changes.target);
  const exclusions = limit === undefined ? {} : { exclusions: { ...parseExclusions(d.exclusions), limit } };
  const change = await changeDeliveryState(deps.db, {
    id: d.id,
    from: d.state,
    step: lifecycle.edit,
    now,
    // the compiled content is the analysis's: an edit drops it until the next analysis
    set: { ...changes, ...exclusions, analysedAt: null, compiledHtml: null, compiledText: null },
  });
  if (!change.ok) throw refused(change.reason);
  deps.log.info('DELIVERY_EDITED', { deliveryId: d.id, from: d.state, fields: Object.keys(edit) });
  return (await findDelivery(deps.db, d.id))!;
}

async function load(db: Database, ref: string | number): Promise<Delivery> {
  const d = await findDelivery(db, ref);
  if (!d) throw notFound(ref);
  return d;
}

/** Applies a lifecycle step to a loaded delivery (compare-and-set on the state read) and logs it. */
async function move(deps: DeliveryDeps, d: Delivery, step: LifecycleStep, now: Date, set: StateChangeValues = {}): Promise<Delivery> {
  const change = await changeDeliveryState(deps.db, { id: d.id, from: d.state, step, now, set });
  if (!change.ok) throw refused(change.reason);
  deps.log.info('DELIVERY_STATE_CHANGED', { deliveryId: d.id, from: change.from, to: change.to });
  return (await findDelivery(deps.db, d.id))!;
}

const issuesOf = (d: Delivery): Issue[] => (d.analysis as { issues?: Issue[] } | null)?.issues ?? [];

export interface StartHooks {
  /** Runs before the state changes, e.g. to publish the tracking URLs to the tracking servers. */
  beforeStart?: (delivery: Delivery) => Promise<void>;
}

export async function startDelivery(deps: DeliveryDeps, ref: string | number, now: Date, hooks: StartHooks = {}): Promise<Delivery> {
  const d = await load(deps.db, ref);
  const facts = { now, scheduledAt: d.scheduledAt, validityEnd: d.validityEnd, toDeliver: d.toDeliver, blockingErrors: blockingErrors(issuesOf(d)) };
  const step: LifecycleStep = (state) => lifecycle.start({ ...facts, state });
  const t = step(d.state);
  if (!t.ok) throw refused(t.reason);
  const from = d.scheduledAt && d.scheduledAt > now ? d.scheduledAt : now;
  const validityEnd = lifecycle.validityEndFor(from, d.validityEnd, deps.config.delivery.validityDays);
  const webValidityEnd = d.webValidityEnd ?? lifecycle.webValidityEndFor(validityEnd, deps.config.delivery.webValidityDays);
  // the tracking servers learn the links' expiry from the delivery row, so it is written before they are told
  if (!d.webValidityEnd) await updateDeliveryWhile(deps.db, d.id, d.state, { webValidityEnd }, now);
  // sent at a local time of day: each message waits for that time on its recipient's clock (set before the MTA may claim any)
  if (d.localSendTime && d.kind !== 'proof') {
    const plan = await planLocalSendTimes(deps.db, d.id, d.localSendTime, d.timeZone ?? 'UTC', from);
    deps.log.info('DELIVERY_LOCAL_SEND_PLANNED', { deliveryId: d.id, time: d.localSendTime, messages: plan.messages, byTime: plan.byTime });
  }
  await hooks.beforeStart?.(d);
  return move(deps, d, step, now, { startedAt: now, validityEnd, webValidityEnd });
}

export async function pauseDelivery(deps: DeliveryDeps, ref: string | number, now: Date): Promise<Delivery> {
  const d = await load(deps.db, ref);
  return move(deps, d, lifecycle.pause, now, { pausedAt: now });
}

export async function resumeDelivery(deps: DeliveryDeps, ref: string | number, now: Date): Promise<Delivery> {
  const d = await load(deps.db, ref);
  const step: LifecycleStep = (state) => lifecycle.resume(state, d.validityEnd, now);
  const t = step(d.state);
  if (!t.ok) throw refused(t.reason);
  // sent at a local time of day: a message whose time passed while paused waits for the next one (set before the MTA may claim it)
  if (d.localSendTime && d.kind !== 'proof') {
    const plan = await planLocalSendTimes(deps.db, d.id, d.localSendTime, d.timeZone ?? 'UTC', now, { missedSince: d.pausedAt ?? now });
    deps.log.info('DELIVERY_LOCAL_SEND_PLANNED', { deliveryId: d.id, time: d.localSendTime, messages: plan.messages, byTime: plan.byTime });
  }
  return move(deps, d, step, now);
}

/** Stops for good and cancels the messages still pending. */
export async function stopDelivery(deps: DeliveryDeps, ref: string | number, now: Date): Promise<{ delivery: Delivery; cancelled: number }> {
  const current = await load(deps.db, ref);
  const d = await move(deps, current, lifecycle.stop, now, { finishedAt: now });
  // Messages an MTA holds right now are left to it (it checks the state) and to the validity-end cleanup.
  const { cancelled } = await cancelPendingMessages(deps.db, d.id, now, { batchSize: Math.min(deps.config.delivery.analysisBatchSize, 4000), pauseMs: 0 });
  deps.log.info('DELIVERY_PENDING_CANCELLED', { deliveryId: d.id, cancelled });
  return { delivery: d, cancelled };
}

export interface ProofResult {
  proof: Delivery;
  report: AnalysisReport;
  started: boolean;
}

/**
 * A proof: a new delivery of kind `proof` with a copy of the content, targeting seed addresses,
 * analysed and (when the rules pass) started, so the MTA sends its pending broad logs. `as` picks
 * the recipient whose data personalizes the proofs (default: none, the seed address only).
 */
export async function sendProof(
  deps: DeliveryDeps,
  ref: string | number,
  seeds: readonly string[],
  as: string | number | undefined,
  now: Date,
  hooks: StartHooks = {},
): Promise<ProofResult> {
  const src = await load(deps.db, ref);
  if (src.state === 'deleted') throw refused('the delivery is deleted');
  const recipient = as === undefined ? undefined : await findRecipient(deps.db, as);
  if (as !== undefined && !recipient)
    throw new HeraldError('RECIPIENT_NOT_FOUND', `no recipient ${JSON.stringify(String(as))}`, { exitCode: EXIT.DATA, status: 404 });
  const target: TargetSpec = { kind: 'addresses', addresses: [...seeds], recipientId: recipient?.id ?? null, sourceDeliveryId: src.id, sourceKind: src.kind };
  const proof = await createProof(deps, src, target);
  deps.log.info('DELIVERY_CREATED', { deliveryId: proof.id, internalName: proof.internalName, kind: 'proof' });
  const report = await analyseDelivery(deps, proof.id, { now: () => now });
  if (report.state !== 'ready') return { proof: (await findDelivery(deps.db, proof.id))!, report, started: false };
  return { proof: await startDelivery(deps, proof.id, now, hooks), report, started: true };
}

/** The proof delivery, named <source>-proof-<n> (the next free number). */
async function createProof(deps: DeliveryDeps, src: Delivery, target: TargetSpec): Promise<Delivery> {
  const prefix = `${src.internalName.slice(0, 80)}-proof-`;
  const first = (await countDeliveriesNamed(deps.db, prefix)) + 1;
  for (let n = first; ; n++) {
    try {
      return await createDelivery(deps.db, {
        internalName: `${prefix}${n}`,
        label: `Proof: ${src.label}`.slice(0, 255),
        kind: 'proof',
        state: 'editing',
        ...copyContent(src),
        target,
      });
    } catch (err) {
      if (!isUniqueViolation(err) || n >= first + 20) throw err;
    }
  }
}

function copyContent(d: Delivery): DeliveryChanges {
  const { subject, fromName, fromAddress, replyTo, contentFormat, html, text, headers, serviceId, trackingEnabled, openTracking } = d;
  return { subject, fromName, fromAddress, replyTo, contentFormat, html, text, headers, serviceId, trackingEnabled, openTracking };
}
