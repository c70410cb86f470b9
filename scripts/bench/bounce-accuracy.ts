import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { classifyInputOf, type Analysis } from '../../server/bounce/analyse.js';
import { classify } from '../../server/bounce/classify.js';
import { loadRules } from '../../server/bounce/load-rules.js';
import { parseBounce } from '../../server/bounce/parse-bounce.js';
import type { RuleSet } from '../../server/bounce/rules-file.js';
import type { ParsedBounce } from '../../server/bounce/types.js';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { messagesOf } from '../../server/bounce/mbox.js';
import { foldsOf, groupOf, knownWithout, rulesWithout, unknownSampleFamilies } from './bounce-folds.js';

/**
 * `bench bounce-accuracy`: the classifier against a labelled bounce corpus (Sisimai's test set:
 * labels.json + mapping.json + emails/), scored per labelled recipient. The corpus folder is
 * HERALD_BOUNCE_CORPUS, by default ../shared/corpus/bounces next to the install.
 *
 * - type / reason: Herald's type and reason against mapping.json's Adobe type and reason for the
 *   recipient's Sisimai reason ("Inactive user" counts as "Account disabled", which the mapping
 *   merges; "Unknown" is not_defined);
 * - status: the RFC 3463 code, over recipients whose label has a real one (not a Sisimai pseudo
 *   code X.0.9NN, not empty): that count is `status_scored`;
 * - address: the recipient found under its labelled address (or the alternative label).
 * - cv_*: the same scores under grouped k-fold cross-validation (`--folds`, default 5): every
 *   provider family is in exactly one fold, and a fold is scored without what Herald knows of its
 *   families: they are not recognised, and every rule learned only from them is disabled, whatever
 *   its tier (see bounce-folds.ts); `cv_by_family` gives each family's figures.
 * `scripts/bench/bounce-misses.ts` lists every recipient scored wrong (in-sample or cross-validated)
 * with its family, what was expected, what Herald decided and the text that decided it.
 */

interface LabelRecipient {
  address: string;
  address_alt_p5_decoder?: string;
  status: string;
  status_is_sisimai_pseudo_code?: boolean;
  reason: string;
  hardbounce: boolean;
}
interface Label {
  file: string;
  is_bounce: boolean;
  recipients: LabelRecipient[];
}
type MapEntry = { type: string; reason: string };

/** One labelled recipient Herald scored wrong: where it comes from, what was expected, what decided. */
export interface Miss {
  file: string;
  family: string;
  address: string;
  label: string;
  expected: { type: string; reason: string };
  got: { type: string; reason: string; rule: string } | undefined;
  typeOk: boolean;
  reasonOk: boolean;
  facts: Record<string, string>;
  text: string;
}
export type MissSink = (miss: Miss) => void;
type Mapping = Record<string, MapEntry | { hardbounce: MapEntry; softbounce: MapEntry }>;

const REASONS: Record<string, string> = {
  'User unknown': 'user_unknown',
  'Invalid domain': 'invalid_domain',
  'Mailbox full': 'mailbox_full',
  'Account disabled': 'account_disabled',
  'Inactive user': 'account_disabled',
  Refused: 'refused',
  Unreachable: 'unreachable',
  'Error ignored': 'error_ignored',
  'Not connected': 'not_connected',
  Unknown: 'not_defined',
};
const sameReason = (ours: string) => (ours === 'inactive_user' ? 'account_disabled' : ours);
const round = (x: number) => Math.round(x * 10_000) / 10_000;

function expected(mapping: Mapping, r: LabelRecipient): MapEntry {
  const entry = mapping[r.reason];
  if (!entry) throw new Error(`mapping.json has no entry for reason "${r.reason}"`);
  return 'hardbounce' in entry ? (r.hardbounce ? entry.hardbounce : entry.softbounce) : entry;
}

interface Score {
  recipients: number;
  type: number;
  reason: number;
  address: number;
  statusScored: number;
  status: number;
  byReason: Record<string, { n: number; type: number; reason: number }>;
}

const newScore = (): Score => ({ recipients: 0, type: 0, reason: 0, address: 0, statusScored: 0, status: 0, byReason: {} });

/** Scores the labelled recipients of one message against what Herald read and decided. */
function scoreMessage(label: Label, analysis: Analysis, mapping: Mapping, score: Score, onMiss?: MissSink): void {
  const { parsed, classifications } = analysis;
  const used = new Set<number>();
  label.recipients.forEach((want, i) => {
    const names = [want.address.toLowerCase(), want.address_alt_p5_decoder?.toLowerCase()];
    let j = parsed.recipients.findIndex((r, k) => !used.has(k) && names.includes(r.address));
    if (j >= 0) score.address++;
    else j = i < parsed.recipients.length && !used.has(i) ? i : -1;
    if (j >= 0) used.add(j);
    const got = j >= 0 ? classifications[j] : undefined;
    const exp = expected(mapping, want);
    const typeOk = got?.type === exp.type.toLowerCase();
    const reasonOk = got !== undefined && sameReason(got.reason) === REASONS[exp.reason];
    if ((!typeOk || !reasonOk) && onMiss) onMiss(missOf(label, want, exp, j >= 0 ? j : undefined, analysis, typeOk, reasonOk));
    score.recipients++;
    score.type += typeOk ? 1 : 0;
    score.reason += reasonOk ? 1 : 0;
    if (want.status !== '' && !want.status_is_sisimai_pseudo_code) {
      score.statusScored++;
      if (j >= 0 && parsed.recipients[j]!.status === want.status) score.status++;
    }
    const r = (score.byReason[want.reason] ??= { n: 0, type: 0, reason: 0 });
    r.n++;
    r.type += typeOk ? 1 : 0;
    r.reason += reasonOk ? 1 : 0;
  });
}

function missOf(label: Label, want: LabelRecipient, exp: MapEntry, j: number | undefined, analysis: Analysis, typeOk: boolean, reasonOk: boolean): Miss {
  const r = j === undefined ? undefined : analysis.parsed.recipients[j];
  const got = j === undefined ? undefined : analysis.classifications[j];
  const facts: Record<string, string> = { kind: analysis.parsed.kind };
  if (analysis.parsed.reporter) facts.reporter = analysis.parsed.reporter;
  if (analysis.parsed.role) facts.role = analysis.parsed.role;
  for (const key of ['address', 'provider', 'status', 'smtpCode', 'command', 'action'] as const) if (r?.[key] !== undefined) facts[key] = String(r[key]);
  return {
    file: label.file,
    family: groupOf(label.file),
    address: want.address,
    label: `${want.reason}${want.hardbounce ? ' hard' : ''} ${want.status}`.trim(),
    expected: { type: exp.type.toLowerCase(), reason: REASONS[exp.reason]! },
    got: got && { type: got.type, reason: got.reason, rule: got.rule },
    typeOk,
    reasonOk,
    facts,
    text: r?.text ?? '',
  };
}

/** Parses every message of a corpus file. */
async function parseFile(raw: Buffer, known?: ReadonlySet<string>): Promise<ParsedBounce[]> {
  return Promise.all(messagesOf(raw).map((message) => parseBounce(message, known ? { known } : {})));
}

/** The recipients of every message of a file, each qualified with its own message's facts (read as one report). */
function analysed(messages: ParsedBounce[], rules: RuleSet): Analysis {
  const classifications = messages.flatMap((parsed) => parsed.recipients.map((r) => classify(classifyInputOf(parsed, r), rules)));
  const first = messages[0]!;
  const parsed = messages.length === 1 ? first : { ...first, recipients: messages.flatMap((m) => m.recipients) };
  return { parsed, classifications };
}

interface CrossValidation {
  score: Score;
  byFamily: Map<string, Score>;
}

/** Scores every fold with what may be known without its families. */
async function crossValidate(
  labels: Label[],
  read: (label: Label) => Buffer,
  rules: RuleSet,
  mapping: Mapping,
  k: number,
  onMiss?: MissSink,
): Promise<CrossValidation> {
  const sizes = new Map<string, number>();
  for (const label of labels) sizes.set(groupOf(label.file), (sizes.get(groupOf(label.file)) ?? 0) + 1);
  const unknown = unknownSampleFamilies(rules, new Set(sizes.keys()));
  if (unknown.length > 0) throw new Error(`rule examples name families that are not corpus groups: ${unknown.join(', ')}`);
  const cv: CrossValidation = { score: newScore(), byFamily: new Map() };
  for (const fold of foldsOf(sizes, k)) {
    const heldOut = new Set(fold);
    const known = knownWithout(heldOut);
    const foldRules = rulesWithout(rules, heldOut);
    for (const label of labels.filter((l) => heldOut.has(groupOf(l.file)))) {
      const parsed = await parseFile(read(label), known);
      const analysis = analysed(parsed, foldRules);
      scoreMessage(label, analysis, mapping, cv.score, onMiss);
      const family = groupOf(label.file);
      if (!cv.byFamily.has(family)) cv.byFamily.set(family, newScore());
      scoreMessage(label, analysis, mapping, cv.byFamily.get(family)!);
    }
  }
  return cv;
}

const ratio = (part: number, whole: number) => round(part / Math.max(1, whole));

export interface AccuracyOptions {
  folds: number;
  /** Receives the recipients scored wrong on the whole corpus. */
  onMiss?: MissSink;
  /** Receives the recipients scored wrong under cross-validation. */
  onCvMiss?: MissSink;
}

export async function benchBounceAccuracy(options: AccuracyOptions): Promise<Record<string, unknown>> {
  const corpus = resolve(process.env.HERALD_BOUNCE_CORPUS || join(APP_ROOT, '..', 'shared', 'corpus', 'bounces'));
  const labels = JSON.parse(readFileSync(join(corpus, 'labels.json'), 'utf8')) as Label[];
  const mapping = (JSON.parse(readFileSync(join(corpus, 'mapping.json'), 'utf8')) as { map: Mapping }).map;
  const rules = loadRules('config/bounce-rules.conf');
  const read = (label: Label) => readFileSync(join(corpus, label.file));
  const score = newScore();
  let notBounces = 0;
  let notBouncesSeen = 0;
  const started = performance.now();
  for (const label of labels) {
    const analysis = analysed(await parseFile(read(label)), rules);
    if (!label.is_bounce) {
      notBounces++;
      if (analysis.parsed.kind === 'not_bounce') notBouncesSeen++;
    }
    scoreMessage(label, analysis, mapping, score, options.onMiss);
  }
  const seconds = (performance.now() - started) / 1000;
  const cv = await crossValidate(labels, read, rules, mapping, options.folds, options.onCvMiss);
  return {
    recipients: score.recipients,
    type_accuracy: ratio(score.type, score.recipients),
    reason_accuracy: ratio(score.reason, score.recipients),
    status_accuracy: ratio(score.status, score.statusScored),
    address_accuracy: ratio(score.address, score.recipients),
    status_scored: score.statusScored,
    messages: labels.length,
    not_bounce_detected: `${notBouncesSeen}/${notBounces}`,
    messages_per_s: Math.round(labels.length / seconds),
    by_reason: Object.fromEntries(
      Object.entries(score.byReason)
        .sort(([, a], [, b]) => b.n - a.n)
        .map(([k, v]) => [k, `${v.n} type ${round(v.type / v.n)} reason ${round(v.reason / v.n)}`]),
    ),
    cv_folds: options.folds,
    cv_type_accuracy: ratio(cv.score.type, cv.score.recipients),
    cv_reason_accuracy: ratio(cv.score.reason, cv.score.recipients),
    cv_status_accuracy: ratio(cv.score.status, cv.score.statusScored),
    cv_address_accuracy: ratio(cv.score.address, cv.score.recipients),
    cv_by_family: Object.fromEntries(
      [...cv.byFamily]
        .filter(([, v]) => v.recipients > 0)
        .sort(([a, x], [b, y]) => y.recipients - x.recipients || (a < b ? -1 : 1))
        .map(([k, v]) => [
          k,
          `${v.recipients} type ${ratio(v.type, v.recipients)} reason ${ratio(v.reason, v.recipients)} address ${ratio(v.address, v.recipients)}`,
        ]),
    ),
  };
}
