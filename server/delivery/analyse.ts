import type { Database } from '../db/connect.js';
import { findDelivery } from '../db/repos/deliveries.js';
import { changeDeliveryState } from '../db/repos/delivery-state.js';
import { clearAnalysis, writeAnalysisBatch, type Exclusion, type PendingMessage } from '../db/repos/delivery-logs.js';
import { blockedAddresses, missingCustomFields, targetPage } from '../db/repos/delivery-target.js';
import { replaceTrackingUrls } from '../db/repos/delivery-urls.js';
import { blocksNamed } from '../db/repos/content-blocks.js';
import { activeSubscriptionsOf, pushAddress } from '../db/repos/push.js';
import type { Delivery } from '../db/models/index.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { describeError } from '../shared/errors.js';
import type { Channel, DeliveryState, FailureReason, QuarantineStatus } from '../shared/glossary.js';
import type { Logger } from '../shared/logger.js';
import { AddressSet } from './address-set.js';
import { contentFacts } from './checks/content-facts.js';
import { networkChecks } from './checks/network-checks.js';
import { blockingErrors } from './control-rules.js';
import { contentOf, notFound, refused, trackingRowsFor, trackingTagOf } from './delivery-content.js';
import { postalLine, type PostalParts } from '../shared/postal-address.js';
import { channelAddress, decide, precheck, type Candidate, type ExclusionState } from './exclusions.js';
import { beginAnalysis, endAnalysis, failAnalysis } from './lifecycle.js';
import { checkContent, contentPlan, type ContentOwner, type MessageContent } from './message-content.js';
import { contentBlockNames, renderSource } from './source/render-source.js';
import type { DkimKey } from './mime/dkim.js';
import type { ContentPlan } from './template/content.js';
import type { Issue } from './template/plan.js';
import { conditionFields, parseExclusions, parseTargetSpec, type ExclusionSettings, type TargetSpec } from './target-spec.js';

/**
 * The analysis (Adobe's preparation step), as named steps: freeze the delivery (analysing), plan the
 * content and run the control rules, clear a previous analysis, record the tracking URLs, stream
 * the target in keyset pages through the exclusions writing pending broad logs and exclusion logs
 * batch by batch, then store the counters and move to ready (or back to editing on rule errors).
 */

export interface DeliveryDeps {
  db: Database;
  config: HeraldConfig;
  log: Logger;
  /** DKIM keys for signing (previews); the analysis only reads which domains have keys from the config. */
  dkim: readonly DkimKey[];
}

export interface AnalysisReport {
  deliveryId: number;
  state: DeliveryState;
  totalTarget: number;
  excluded: number;
  toDeliver: number;
  excludedByReason: Partial<Record<FailureReason, number>>;
  issues: Issue[];
  links: number;
  seconds: number;
}

interface Counts {
  total: number;
  toDeliver: number;
  byReason: Partial<Record<FailureReason, number>>;
}

export async function analyseDelivery(deps: DeliveryDeps, ref: string | number, options: { force?: boolean; now?: () => Date } = {}): Promise<AnalysisReport> {
  const now = options.now ?? (() => new Date());
  const d = await findDelivery(deps.db, ref);
  if (!d) throw notFound(ref);
  const begin = await changeDeliveryState(deps.db, {
    id: d.id,
    from: d.state,
    step: (state) => beginAnalysis(state, options.force),
    now: now(),
    set: { lastError: null },
  });
  if (!begin.ok) throw refused(begin.reason);
  deps.log.info('DELIVERY_ANALYSIS_STARTED', { deliveryId: d.id, force: Boolean(options.force) });
  try {
    return await runAnalysis(deps, d, now);
  } catch (err) {
    await changeDeliveryState(deps.db, { id: d.id, from: 'analysing', step: failAnalysis, now: now(), set: { lastError: describeError(err).slice(0, 1000) } });
    deps.log.error('DELIVERY_ANALYSIS_FAILED', { deliveryId: d.id, err });
    throw err;
  }
}

/** The content with its blocks included, MJML compiled and text generated: what the delivery will send. */
export async function renderDeliveryContent(deps: Pick<DeliveryDeps, 'db'>, content: MessageContent & ContentOwner) {
  const rendered = await renderSource(content, await blocksNamed(deps.db, contentBlockNames(content)));
  return { content: { ...content, ...rendered.content }, issues: rendered.issues };
}

/**
 * Control-rule issues of the delivery's content and settings, then (when no rule blocks it) the
 * checks that ask the network; no database writes. Gives the compiled content the analysis freezes.
 */
async function checkRules(
  deps: DeliveryDeps,
  d: Delivery,
  target: TargetSpec,
  now: Date,
): Promise<{ issues: Issue[]; plan: ContentPlan; compiled: MessageContent }> {
  const rendered = await renderDeliveryContent(deps, contentOf(d, target));
  const content = rendered.content;
  const plan = contentPlan(content, 'tracked');
  const filterFields = target.kind === 'addresses' ? [] : conditionFields(target.filter);
  const missing = await missingCustomFields(deps.db, [...new Set([...plan.customFields, ...filterFields])]);
  const ruled = checkContent(content, plan, {
    kind: d.kind,
    channel: d.channel,
    routedChannels: deps.config.routing.providers.map((p) => p.channel),
    marketing: content.marketing,
    ...trackingTagOf(deps.config),
    dkim: deps.config.delivery.dkim,
    missingCustomFields: missing,
    validityEnd: d.validityEnd,
    scheduledAt: d.scheduledAt,
    proofRecipients: target.kind === 'addresses' ? target.addresses.length : 0,
    maxProofRecipients: deps.config.delivery.maxProofRecipients,
    now,
  });
  const issues = [...rendered.issues, ...ruled];
  if (blockingErrors(issues) === 0)
    issues.push(...(await networkChecks(deps.config, content, contentFacts(content.html ?? '', content.text ?? '', plan.links.length), now)));
  return { issues, plan, compiled: content };
}

async function runAnalysis(deps: DeliveryDeps, d: Delivery, now: () => Date): Promise<AnalysisReport> {
  const started = process.hrtime.bigint();
  const { db, config } = deps;
  const target = parseTargetSpec(d.target);
  const { issues, plan, compiled } = await checkRules(deps, d, target, now());
  await clearAnalysis(db, d.id, config.delivery.analysisBatchSize);
  const errors = blockingErrors(issues);
  const urls = await replaceTrackingUrls(db, d.id, errors ? [] : trackingRowsFor(plan), now());
  const counts: Counts = errors
    ? { total: 0, toDeliver: 0, byReason: {} }
    : await writeTarget(deps, d.id, d.channel, target, parseExclusions(d.exclusions), now());
  const excluded = counts.total - counts.toDeliver;
  const seconds = Math.round(Number(process.hrtime.bigint() - started) / 1e7) / 100;
  const analysis = { excluded: counts.byReason, issues, links: urls.length, seconds };
  const at = now();
  const end = await changeDeliveryState(db, {
    id: d.id,
    from: 'analysing',
    step: (state) => endAnalysis(state, errors),
    now: at,
    set: {
      totalTarget: counts.total,
      excluded,
      toDeliver: counts.toDeliver,
      analysis,
      analysedAt: at,
      compiledHtml: errors ? null : compiled.html,
      compiledText: errors ? null : compiled.text,
    },
  });
  if (!end.ok) throw refused(end.conflict ? 'the delivery changed during its analysis; analyse it again' : end.reason);
  if (errors)
    deps.log.warn('DELIVERY_ANALYSIS_BLOCKED', { deliveryId: d.id, errors, rules: [...new Set(issues.filter((i) => i.level === 'error').map((i) => i.rule))] });
  else
    deps.log.info('DELIVERY_ANALYSED', {
      deliveryId: d.id,
      totalTarget: counts.total,
      excluded,
      toDeliver: counts.toDeliver,
      links: urls.length,
      warnings: issues.length,
      seconds,
    });
  return {
    deliveryId: d.id,
    state: end.to,
    totalTarget: counts.total,
    excluded,
    toDeliver: counts.toDeliver,
    excludedByReason: counts.byReason,
    issues,
    links: urls.length,
    seconds,
  };
}

/** Pages of candidates: recipients from the database, or a proof's seed addresses (numbers for an SMS proof). */
async function* candidates(db: Database, channel: Channel, target: TargetSpec, pageSize: number, now: Date): AsyncGenerator<Candidate[]> {
  if (target.kind === 'addresses') {
    for (let i = 0; i < target.addresses.length; i += pageSize) {
      yield target.addresses.slice(i, i + pageSize).map((seed) => ({
        recipientId: target.recipientId,
        email: seed,
        mobile: seed,
        pushSubscription: seed,
        fax: seed,
        postalAddress: seed,
        emailFormat: 'html',
        denylisted: false,
        denylistedEmail: false,
      }));
    }
    return;
  }
  for (let after: number | undefined = 0; after !== undefined;) {
    const page: Awaited<ReturnType<typeof targetPage>> = await targetPage(db, target, after, pageSize, now);
    const rows = page.rows.map((r) => ({
      recipientId: r.id,
      email: r.email,
      emailFormat: r.emailFormat,
      denylisted: r.denylisted,
      denylistedEmail: r.denylistedEmail,
      mobile: r.mobile,
      denylistedSms: r.denylistedSms,
      denylistedPush: r.denylistedPush,
      fax: r.fax,
      denylistedFax: r.denylistedFax,
      ...postalOf(r),
    }));
    if (rows.length) yield channel === 'push' ? await perSubscription(db, rows) : rows;
    after = page.next;
  }
}

/** A direct mail candidate's address: the recipient's postal address as one line, and what it lacks. */
function postalOf(r: PostalParts & { denylistedPostal: boolean }): Pick<Candidate, 'postalAddress' | 'postalProblem' | 'denylistedPostal'> {
  const line = postalLine(r);
  return { postalAddress: line.address || null, postalProblem: line.problem, denylistedPostal: r.denylistedPostal };
}

/** A push target: one candidate per active subscription of each recipient (one with none has no address). */
async function perSubscription(db: Database, rows: readonly Candidate[]): Promise<Candidate[]> {
  const subscriptions = await activeSubscriptionsOf(
    db,
    rows.map((r) => r.recipientId!),
  );
  return rows.flatMap((r): Candidate[] => {
    const ids = subscriptions.get(r.recipientId!) ?? [];
    return ids.length ? ids.map((id) => ({ ...r, pushSubscription: pushAddress(id) })) : [{ ...r, pushSubscription: null }];
  });
}

/** Proofs go to their seed addresses as given: only empty, invalid and duplicate ones are dropped. */
const PROOF_EXCLUSIONS: ExclusionSettings = { duplicates: true, denylisted: false, quarantined: false, limit: null };

/** Candidate pages with the quarantine statuses of their addresses on the delivery's channel. */
async function* lookedUp(deps: DeliveryDeps, channel: Channel, target: TargetSpec, settings: ExclusionSettings, now: Date) {
  const lookup = settings.quarantined || settings.denylisted;
  for await (const page of candidates(deps.db, channel, target, deps.config.delivery.analysisBatchSize, now)) {
    const blocked: Map<string, QuarantineStatus> = lookup
      ? await blockedAddresses(
          deps.db,
          page.map((c) => precheck(c, channel)).filter((a): a is string => a !== undefined),
          channel,
        )
      : new Map();
    yield { page, blocked };
  }
}

/** Streams the target through the exclusions; the next page is read while the current one is written. */
async function writeTarget(
  deps: DeliveryDeps,
  deliveryId: number,
  channel: Channel,
  target: TargetSpec,
  settings: ExclusionSettings,
  now: Date,
): Promise<Counts> {
  const state: ExclusionState = { settings: target.kind === 'addresses' ? PROOF_EXCLUSIONS : settings, seen: new AddressSet(), channel, accepted: 0 };
  const counts: Counts = { total: 0, toDeliver: 0, byReason: {} };
  const pages = lookedUp(deps, channel, target, state.settings, now);
  const ahead = () => {
    const promise = pages.next();
    promise.catch(() => undefined); // a read failing while a write is pending is reported when awaited
    return promise;
  };
  for (let next = ahead(); ;) {
    const current = await next;
    if (current.done) return counts;
    next = ahead();
    const { page, blocked } = current.value;
    const messages: PendingMessage[] = [];
    const exclusions: Exclusion[] = [];
    for (const c of page) {
      const decision = decide(c, blocked.get(channelAddress(c, channel)), state);
      if (decision.deliver) messages.push({ recipientId: c.recipientId, address: decision.address, emailFormat: c.emailFormat });
      else {
        exclusions.push({ recipientId: c.recipientId, address: decision.address, reason: decision.reason, detail: decision.detail });
        counts.byReason[decision.reason] = (counts.byReason[decision.reason] ?? 0) + 1;
      }
    }
    counts.total += page.length;
    counts.toDeliver += messages.length;
    await writeAnalysisBatch(deps.db, deliveryId, messages, exclusions, now);
  }
}
