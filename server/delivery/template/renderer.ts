import vm from 'node:vm';
import type { ContentPlan, RenderPart } from './content.js';
import { etaBody, TemplateSyntaxError } from './parse.js';
import type { PlanNode } from './plan.js';

/**
 * Compiles a content plan ONCE into one render function that produces every part of a message,
 * and runs it per recipient inside a dedicated `vm` context with a time budget.
 *
 * Why a vm context: a template is JavaScript (Eta), and a synchronous infinite loop cannot be
 * interrupted from the same thread; `runInContext({ timeout })` can. The context also has no
 * `require`/`process`, string code generation (eval, new Function) is disabled in it, the escapers
 * live inside it, and every object handed in has a null prototype. This is NOT a security boundary
 * against a hostile author (see README, trust model); it bounds mistakes and keeps recipient data
 * from ever being evaluated.
 *
 * The HTML and text parts come out as segments (see Segment): the static text of the template is
 * numbered once here and only its number travels per message, so message building can reuse each
 * static piece's encoding. Subject and headers come out as strings. Characters U+E000–U+E00F are
 * never allowed in templates and are stripped from data (Herald's own markers).
 */

const LINK_HTML = '\uE002';
const LINK_TEXT = '\uE004';
const PIXEL = '\uE003';
const PIXEL_TAG = `<img src="${PIXEL}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">`;

export interface RenderInput {
  recipient: Record<string, unknown>;
  delivery: Record<string, unknown>;
  message: Record<string, unknown>;
  links: Record<string, unknown>;
  /**
   * A transactional message's event context as JSON text, parsed inside the context (so its objects
   * and arrays belong to the template's realm); templates read it as `event`, `{}` when absent.
   */
  event?: string;
}

/**
 * A piece of a rendered HTML or text part: a number >= 0 is static text (`Renderer.statics`), a
 * string is personalized output, PIXEL_SEGMENT is the open pixel's URL, and a number <= -2 is a
 * tracked link: `linkSegment(n, html)` for the n-th pair of `RenderOutput.links`.
 */
export type Segment = number | string;
export const PIXEL_SEGMENT = -1;
export const linkSegment = (n: number, html: boolean): number => -2 - 2 * n - (html ? 0 : 1);
/** The link pair number and context of a link segment. */
export const segmentLink = (segment: number): { n: number; html: boolean } => ({ n: (-2 - segment) >> 1, html: ((-2 - segment) & 1) === 0 });

export interface RenderOutput {
  /** One entry per plan part, in plan order: segments for the HTML and text parts, a string for the others. */
  parts: Array<string | Segment[]>;
  /** Pairs (link index, parameter values) in marker order. */
  links: Array<number | string[]>;
}

export type RenderResult = { ok: true; output: RenderOutput } | { ok: false; error: string };

export interface Renderer {
  /**
   * Renders a batch of messages in one call into the context. The batch as a whole gets `budgetMs`
   * (normally a few milliseconds are used); if it runs out, each message is rendered again alone
   * with the same budget, so only the slow one fails. One watchdog per batch instead of per message:
   * arming vm's timeout costs about 45 µs, more than rendering a typical message.
   */
  renderMany(inputs: readonly RenderInput[], budgetMs: number): RenderResult[];
  /** The static text pieces the segments number. */
  readonly statics: readonly string[];
}

const RUNTIME = String.raw`
const __RESERVED = /[\uE000-\uE00F]/g;
const __HTML = /[&<>"']/;
const __HTML_ALL = /[&<>"']/g;
const __ENTITY = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const __CONTROL = /[\u0000-\u001F\u007F\u2028\u2029]+/g;
const __LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const __NO_EVENT = Object.freeze(Object.create(null));
const __s = (v) => (v === null || v === undefined ? '' : String(v).replace(__RESERVED, ''));
const __html = (v) => { const t = __s(v); return __HTML.test(t) ? t.replace(__HTML_ALL, (c) => __ENTITY[c]) : t; };
const __url = (v) => encodeURIComponent(__s(v).replace(__LONE, '\uFFFD'));
const E = Object.freeze({
  html: __html,
  raw: __s,
  uq: (v) => __html(__url(v)),
  ut: __url,
  text: __s,
  header: (v) => __s(v).replace(__CONTROL, ' '),
});
const __fail = (part, e) => new Error(part + ': ' + (e !== null && typeof e === 'object' && 'message' in e ? String(e.message) : String(e)));
`;

// The batch is taken off the global object before any template code runs: templates only ever see
// their own 'it' (null-prototype objects), never an object of the main realm with a prototype.
const BATCH = String.raw`
const __renderMany = () => {
  const inputs = globalThis.__in;
  globalThis.__in = undefined;
  const results = [];
  for (let i = 0; i < inputs.length; i++) {
    try {
      results.push({ ok: true, output: __render(inputs[i]) });
    } catch (e) {
      results.push({ ok: false, error: 'personalization error in ' + String(e !== null && typeof e === 'object' && 'message' in e ? e.message : e).slice(0, 500) });
    }
  }
  return results;
};
`;

function nodeCode(node: PlanNode, linkIndex: ReadonlyMap<string, number>): string | { kind: 'out' | 'code'; code: string } {
  if (typeof node === 'string') return node;
  if ('code' in node) return { kind: 'code', code: node.code };
  if ('out' in node) return { kind: 'out', code: `E.${node.escaper}(${node.out}\n)` };
  if ('pixel' in node) return PIXEL_TAG;
  const params = node.params.map((pieces) =>
    pieces.length === 0 ? "''" : pieces.map((p) => (typeof p === 'string' ? JSON.stringify(p) : `__s(${p.code}\n)`)).join(' + '),
  );
  return { kind: 'out', code: `__L(${JSON.stringify(node.marker === 'html' ? LINK_HTML : LINK_TEXT)}, ${linkIndex.get(node.link)}, [${params.join(', ')}])` };
}

const partName = (p: RenderPart) => (p.kind === 'header' ? `header ${p.header}` : p.kind);

/**
 * The code of a segmented part: what Eta's code generator writes (code verbatim, outputs appended),
 * with each run of static text pushed as its number in `statics` and links as link segments.
 */
function segmentedBody(nodes: readonly PlanNode[], linkIndex: ReadonlyMap<string, number>, statics: string[]): string {
  const lines: string[] = [];
  let text = '';
  const flush = () => {
    if (text) lines.push(`__o.push(${statics.push(text) - 1});`);
    text = '';
  };
  for (const node of nodes) {
    if (typeof node === 'string') text += node;
    else if ('pixel' in node) {
      const [before, after] = PIXEL_TAG.split(PIXEL) as [string, string];
      text += before;
      flush();
      lines.push(`__o.push(${PIXEL_SEGMENT});`);
      text += after;
    } else {
      flush();
      if ('code' in node) lines.push(node.code);
      else if ('out' in node) lines.push(`__o.push(E.${node.escaper}(${node.out}\n));`);
      else {
        const params = node.params.map((pieces) =>
          pieces.length === 0 ? "''" : pieces.map((p) => (typeof p === 'string' ? JSON.stringify(p) : `__s(${p.code}\n)`)).join(' + '),
        );
        lines.push(`__o.push(__S(${node.marker === 'html'}, ${linkIndex.get(node.link)}, [${params.join(', ')}]));`);
      }
    }
  }
  flush();
  return lines.join('\n');
}

function partCode(part: RenderPart, linkIndex: ReadonlyMap<string, number>, statics: string[]): string {
  const body = etaBody(part.nodes.map((n) => nodeCode(n, linkIndex)));
  try {
    new vm.Script(`'use strict'; (function (__eta, __L) {\n${body}\n})`);
  } catch (err) {
    throw new TemplateSyntaxError(`${partName(part)}: ${(err as Error).message}`);
  }
  const name = JSON.stringify(partName(part));
  if (part.kind === 'html' || part.kind === 'text')
    return `try { const __o = [];\n${segmentedBody(part.nodes, linkIndex, statics)}\n__out.parts.push(__o); } catch (e) { throw __fail(${name}, e); }`;
  return `try { const __eta = { res: '' };\n${body}\n__out.parts.push(__eta.res); } catch (e) { throw __fail(${name}, e); }`;
}

/** Throws TemplateSyntaxError (naming the part) when a part's code does not compile. */
export function compileRenderer(plan: ContentPlan): Renderer {
  const linkIndex = new Map(plan.links.map((l, i) => [l.key, i]));
  const statics: string[] = [];
  const parts = plan.parts.map((p) => partCode(p, linkIndex, statics));
  const source = [
    "'use strict';",
    '(() => {',
    RUNTIME,
    'const __render = function render(it) {',
    'const recipient = it.recipient, delivery = it.delivery, message = it.message, links = it.links;',
    'const event = it.event === undefined ? __NO_EVENT : JSON.parse(it.event);',
    'const __links = [];',
    "const __L = (m, i, p) => { __links.push(i, p); return m + (__links.length / 2 - 1) + '\\uE00F'; };",
    `const __S = (h, i, p) => { __links.push(i, p); return -2 - (__links.length - 2) - (h ? 0 : 1); };`,
    'const __out = { parts: [], links: __links };',
    ...parts,
    'return __out;',
    '};',
    BATCH,
    'return __renderMany;',
    '})()',
  ].join('\n');
  const context = vm.createContext(Object.create(null), { name: 'herald-personalization', codeGeneration: { strings: false, wasm: false } });
  context.__renderMany = new vm.Script(source, { filename: 'personalization.js' }).runInContext(context);
  const call = new vm.Script('__renderMany()');
  const renderMany = (inputs: readonly RenderInput[], budgetMs: number): RenderResult[] => {
    context.__in = inputs;
    try {
      return call.runInContext(context, budgetMs > 0 ? { timeout: budgetMs } : {}) as RenderResult[];
    } catch (err) {
      if ((err as { code?: string })?.code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw err;
      if (inputs.length > 1) return inputs.flatMap((input) => renderMany([input], budgetMs));
      return [{ ok: false, error: `personalization took longer than ${budgetMs} ms and was stopped` }];
    } finally {
      context.__in = undefined;
    }
  };
  return { renderMany, statics };
}
