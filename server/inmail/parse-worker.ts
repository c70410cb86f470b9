import { parentPort, workerData } from 'node:worker_threads';
import { analyseMessage } from '../bounce/analyse.js';
import { combineRules, type RuleSet } from '../bounce/rules-file.js';
import { describeError } from '../shared/errors.js';
import type { ParserReply, ParserRequest, RulesTexts } from './parser-pool.js';

/**
 * Worker thread entry: parses and classifies messages off the SMTP event loop, one at a time in
 * the order they arrive (the pool keeps a few queued here so the thread never waits for the next
 * one; it times the oldest, which is always the one being parsed). Rules changes take their turn
 * in the same order.
 */
const init = workerData as RulesTexts;
let rules: RuleSet = combineRules(init.text, init.file, init.operatorText);
let turn: Promise<void> = Promise.resolve();

async function handle(request: ParserRequest): Promise<void> {
  if (request.type === 'rules') {
    rules = combineRules(request.text, request.file, request.operatorText);
    return;
  }
  const failed = (err: unknown): ParserReply => ({ type: 'done', id: request.id, ok: false, reason: `unparsable: ${describeError(err).slice(0, 200)}` });
  let reply: ParserReply;
  try {
    reply = { type: 'done', id: request.id, ok: true, analysis: await analyseMessage(Buffer.from(request.raw), rules) };
  } catch (err) {
    reply = failed(err);
  }
  try {
    parentPort!.postMessage(reply);
  } catch (err) {
    // An analysis that cannot be sent is this message's failure, not the next ones'.
    parentPort!.postMessage(failed(err));
  }
}

parentPort!.postMessage({ type: 'ready' } satisfies ParserReply);
parentPort!.on('message', (request: ParserRequest) => {
  turn = turn.then(() => handle(request)).catch(() => undefined);
});
