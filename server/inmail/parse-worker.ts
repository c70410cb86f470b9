import { parentPort, workerData } from 'node:worker_threads';
import { analyseMessage } from '../bounce/analyse.js';
import { combineRules, type RuleSet } from '../bounce/rules-file.js';
import { describeError } from '../shared/errors.js';
import type { ParserReply, ParserRequest, RulesTexts } from './parser-pool.js';

/** Worker thread entry: parses and classifies one message at a time, off the SMTP event loop. */
const init = workerData as RulesTexts;
let rules: RuleSet = combineRules(init.text, init.file, init.operatorText);

parentPort!.postMessage({ type: 'ready' } satisfies ParserReply);
parentPort!.on('message', (request: ParserRequest) => {
  if (request.type === 'rules') {
    rules = combineRules(request.text, request.file, request.operatorText);
    return;
  }
  analyseMessage(Buffer.from(request.raw), rules).then(
    (analysis) => parentPort!.postMessage({ type: 'done', id: request.id, ok: true, analysis } satisfies ParserReply),
    (err: unknown) =>
      parentPort!.postMessage({ type: 'done', id: request.id, ok: false, reason: `unparsable: ${describeError(err).slice(0, 200)}` } satisfies ParserReply),
  );
});
