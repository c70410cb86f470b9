import { readFile } from 'node:fs/promises';
import { analyseMessage, classifyInputOf, type Analysis } from '../../bounce/analyse.js';
import { explain } from '../../bounce/classify.js';
import { classifyRecord, explainLines } from '../../bounce/describe.js';
import { providerFamily } from '../../bounce/detect-family.js';
import { loadRules } from '../../bounce/load-rules.js';
import { isMbox, messagesOf } from '../../bounce/mbox.js';
import type { RuleSet } from '../../bounce/rules-file.js';
import { describeError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import type { Command, CommandInput } from '../command.js';
import { commandConfig } from '../context.js';

/** `herald bounce classify` and `herald bounce check`: the qualification rules without a database. */

function rulesFor(input: CommandInput): RuleSet {
  return loadRules(typeof input.flags.rules === 'string' ? input.flags.rules : commandConfig(input).config.bounce.rulesFile);
}

async function readAll(stream: NodeJS.ReadableStream, max = 50 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > max) break;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

async function checkMessage(input: CommandInput, rules: RuleSet, verbose: boolean): Promise<number> {
  const raw = await readAll(input.stdin);
  const { parsed } = await analyseMessage(raw, rules);
  input.out.write(
    `message: ${parsed.kind}${parsed.subject ? `, subject "${parsed.subject}"` : ''}${parsed.from ? `, from ${parsed.from}` : ''}, written by ${parsed.reporter ?? 'an unrecognised family'}\n`,
  );
  if (parsed.feedback) input.out.write(`feedback report: ${parsed.feedback.feedbackType}\n`);
  if (parsed.recipients.length === 0) input.out.write('no recipient reported: nothing to qualify\n');
  parsed.recipients.forEach((r, i) => {
    const why = explain(classifyInputOf(parsed, r), rules);
    input.out.write(`${explainLines(`recipient ${i + 1}`, r, why, rules.file, verbose).join('\n')}\n`);
  });
  return EXIT.OK;
}

/** The worse of two exit codes: a file that cannot be read (66) outranks one that cannot be parsed (65). */
function worse(a: number, b: number): number {
  if (a === EXIT.NO_INPUT || b === EXIT.NO_INPUT) return EXIT.NO_INPUT;
  return a === EXIT.OK ? b : a;
}

/**
 * Classifies every message `file` holds (an mbox file holds several, see mbox.ts): one line per
 * message, JSON with --json, where a message of an mbox file is numbered (`message`, from 1). A
 * message that cannot be parsed is named on stderr and the next ones still run.
 */
async function classifyFile(input: CommandInput, rules: RuleSet, file: string): Promise<number> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch {
    input.err.write(`herald: cannot read ${file}\n`);
    return EXIT.NO_INPUT;
  }
  const numbered = isMbox(raw);
  let code: number = EXIT.OK;
  for (const [i, message] of messagesOf(raw).entries()) {
    const name = numbered ? `${file} message ${i + 1}` : file;
    let analysis: Analysis;
    try {
      analysis = await analyseMessage(message, rules);
    } catch (err) {
      input.err.write(`herald: cannot parse ${name}: ${describeError(err)}\n`);
      code = EXIT.DATA;
      continue;
    }
    const { kind, reporter, recipients } = classifyRecord(file, analysis);
    const record = { file, ...(numbered ? { message: i + 1 } : {}), kind, reporter, recipients };
    if (input.flags.json) input.out.write(`${JSON.stringify(record)}\n`);
    else
      input.out.write(
        `${name}: ${record.kind}${record.recipients.map((r) => `\n  ${r.address || '(no address)'} ${r.status || '-'} ${r.type}/${r.reason} [${r.rule}]`).join('')}\n`,
      );
  }
  return code;
}

export const bounceCommands: Command[] = [
  {
    words: ['bounce', 'classify'],
    usage: 'bounce classify [--json] [--rules <file>] <file.eml|file.mbox>...',
    summary:
      'parse and qualify bounce emails without a database: one line (JSON with --json) per message, every message of an mbox file numbered from 1; a file that cannot be read or a message that cannot be parsed is named on stderr and the others still run (exit 66 / 65)',
    args: [1, 100_000],
    options: { json: { type: 'boolean' }, rules: { type: 'string' } },
    async run(input) {
      const rules = rulesFor(input);
      let code: number = EXIT.OK;
      for (const file of input.args) code = worse(code, await classifyFile(input, rules, file));
      return code;
    },
  },
  {
    words: ['bounce', 'check'],
    usage: 'bounce check [--verbose] [--rules <file>] [--text "<reply>"] < message.eml',
    summary: 'explain which qualification rule matches an email read on stdin (or one SMTP reply with --text), and why',
    options: { verbose: { type: 'boolean' }, rules: { type: 'string' }, text: { type: 'string' } },
    async run(input) {
      const rules = rulesFor(input);
      const verbose = input.flags.verbose === true;
      if (typeof input.flags.text !== 'string') return checkMessage(input, rules, verbose);
      const text = input.flags.text;
      const provider = providerFamily({ text, address: '' })?.id;
      const reply = { address: '', text, ...(provider ? { provider } : {}) };
      input.out.write(`${explainLines('reply', reply, explain(reply, rules), rules.file, verbose).join('\n')}\n`);
      return EXIT.OK;
    },
  },
];
