import type { Database } from '../../db/connect.js';
import type { Delivery } from '../../db/models/index.js';
import { findDelivery } from '../../db/repos/deliveries.js';
import { findList } from '../../db/repos/lists.js';
import { findService } from '../../db/repos/services.js';
import { parseExclusions, parseTargetSpec, type TargetSpec } from '../../delivery/target-spec.js';
import { issueText } from '../../delivery/issue-texts/index.js';
import type { Issue } from '../../delivery/template/plan.js';
import type { FailureReason } from '../../shared/glossary.js';
import { proofsOf } from '../../db/repos/delivery-lists.js';
import { availableActions } from '../console/delivery-buttons.js';
import type { ConsoleDeps } from '../console/deps.js';
import { id } from '../console/forms.js';
import type { Translate } from '../i18n/translate.js';
import type { ConsoleContext } from '../state.js';

/**
 * What a delivery page shows besides the row itself: its target in words (service or list label,
 * the filter as JSON), its exclusion settings and the result of its last analysis.
 */

export interface TargetView {
  kind: TargetSpec['kind'];
  name?: string;
  href?: string;
  filter?: string;
  seeds?: number;
}

export interface AnalysisView {
  excluded: Array<{ reason: FailureReason; messages: number }>;
  /** Each issue with its sentence in the reader's language (`text`). */
  issues: Array<Issue & { text: string }>;
  errors: number;
  links: number | null;
  seconds: number | null;
}

async function targetView(db: Database, value: unknown): Promise<TargetView> {
  let target: TargetSpec;
  try {
    target = parseTargetSpec(value);
  } catch {
    return { kind: 'all' };
  }
  if (target.kind === 'addresses') return { kind: 'addresses', seeds: target.addresses.length, href: `/deliveries/${target.sourceDeliveryId}` };
  const filter = target.filter ? JSON.stringify(target.filter) : undefined;
  if (target.kind === 'service')
    return { kind: 'service', name: (await findService(db, target.serviceId))?.label ?? `#${target.serviceId}`, href: `/services/${target.serviceId}`, filter };
  if (target.kind === 'list')
    return { kind: 'list', name: (await findList(db, target.listId))?.label ?? `#${target.listId}`, href: `/lists/${target.listId}`, filter };
  return { kind: 'all', filter };
}

export function analysisView(d: Pick<Delivery, 'analysis'>, t: Translate): AnalysisView {
  const a = (d.analysis ?? {}) as { excluded?: Partial<Record<FailureReason, number>>; issues?: Issue[]; links?: number; seconds?: number };
  const issues = (Array.isArray(a.issues) ? a.issues : []).map((i) => ({ ...i, text: issueText(i, t) }));
  const excluded = Object.entries(a.excluded ?? {})
    .map(([reason, messages]) => ({ reason: reason as FailureReason, messages: Number(messages) }))
    .sort((x, y) => y.messages - x.messages);
  return { excluded, issues, errors: issues.filter((i) => i.level === 'error').length, links: a.links ?? null, seconds: a.seconds ?? null };
}

/** The delivery of the route's :id with its target, exclusions and analysis, or undefined (404). */
export async function loadDelivery(db: Database, ctx: ConsoleContext, t: Translate) {
  const delivery = await findDelivery(db, id(ctx.params.id) ?? 0);
  if (!delivery) return undefined;
  let exclusions;
  try {
    exclusions = parseExclusions(delivery.exclusions);
  } catch {
    exclusions = undefined;
  }
  return { delivery, target: await targetView(db, delivery.target), exclusions, analysis: analysisView(delivery, t) };
}

/** Renders the delivery page (with `extra`, e.g. why an action was refused); false when there is no such delivery. */
export async function renderDeliveryPage(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  extra: { error?: string; errorDetail?: string; seeds?: string; seedErrors?: string[] } = {},
): Promise<boolean> {
  const page = await loadDelivery(deps.db, ctx, deps.t);
  if (!page) return false;
  const d = page.delivery;
  const proofs = d.kind === 'proof' ? [] : await proofsOf(deps.db, d.internalName);
  deps.render(ctx, '/admin/deliveries/show', {
    title: d.label,
    ...page,
    actions: availableActions(d, ctx.state.operator!.rights, deps.clock()),
    proofs,
    maxSeeds: deps.config.delivery.maxProofRecipients,
    ...extra,
  });
  return true;
}
