import { relative } from 'node:path';
import ts from 'typescript';
import { APP_ROOT } from '../../server/shared/app-root.js';

/**
 * Finds every place in a set of files that could write a delivery's state, with the type checker
 * (so an alias of the model, a spread of values typed with `state`, or an instance from a query are
 * seen as well as the literal `Delivery.update({ state })`):
 * - a write method on the Delivery model or a Delivery row (`update`, `set`, `setDataValue`) whose
 *   values may hold `state` (their type has a `state` property, or is any, unknown or never);
 * - any creation of a delivery row (`create`, `bulkCreate`, `upsert`, `findOrCreate`, `build`), and
 *   `save()` of a row;
 * - an assignment to `<delivery row>.state`;
 * - the Delivery model handed to a function whose parameter type allows writes (a generic helper
 *   could write its state unseen; a narrow read-only type such as `{ findAll }` is fine);
 * - SQL text that updates, inserts into or merges into the deliveries table, and a query-interface
 *   bulk write naming it.
 */

export interface StateWrite {
  file: string;
  line: number;
  what: string;
}

const CREATES = new Set(['create', 'bulkCreate', 'upsert', 'findOrCreate', 'findCreateFind', 'build']);
const VALUE_WRITES = new Set(['update', 'set', 'setDataValue']);
const TABLE_WRITES = new Set(['bulkUpdate', 'bulkInsert', 'upsert', 'insert', 'update']);
const WRITE_MEMBERS = [...CREATES, ...VALUE_WRITES, 'save'];
/** Types that can hold anything (a cast to them hides what is written). */
const LOOSE = ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never;
const RAW_WRITE = /\b(update|insert\s+into|merge(\s+into)?)\s+[[`"]?deliveries\b/i;

function compilerOptions(): ts.CompilerOptions {
  const file = ts.findConfigFile(APP_ROOT, ts.sys.fileExists, 'tsconfig.json')!;
  const { config } = ts.readConfigFile(file, ts.sys.readFile);
  return { ...ts.parseJsonConfigFileContent(config, ts.sys, APP_ROOT).options, noEmit: true };
}

export function deliveryStateWrites(files: readonly string[]): StateWrite[] {
  const program = ts.createProgram({ rootNames: files, options: compilerOptions() });
  const checker = program.getTypeChecker();
  const out: StateWrite[] = [];

  const isDeliveryModel = (type: ts.Type): boolean => {
    const symbols = [type.getSymbol(), type.aliasSymbol, ...(type.aliasTypeArguments ?? []).map((t) => t.getSymbol())];
    return symbols.some(
      (s) => s?.getName() === 'Delivery' && (s.declarations ?? []).some((d) => d.getSourceFile().fileName.endsWith('/server/db/models/delivery.ts')),
    );
  };
  const isDelivery = (node: ts.Expression) => isDeliveryModel(checker.getNonNullableType(checker.getTypeAtLocation(node)));
  const mayHoldState = (node: ts.Expression | undefined): boolean => {
    if (!node) return false;
    const type = checker.getTypeAtLocation(node);
    if (type.flags & LOOSE) return true;
    return checker.getApparentType(type).getProperty('state') !== undefined || (type.isUnion() && type.types.some((t) => t.getProperty('state')));
  };

  /** A parameter type that lets a function write rows (a narrow read-only type such as `{ findAll }` does not). */
  const canWrite = (param: ts.Type | undefined): boolean =>
    !param || (param.flags & LOOSE) !== 0 || WRITE_MEMBERS.some((m) => checker.getApparentType(param).getProperty(m) !== undefined);

  for (const source of program.getSourceFiles()) {
    if (!files.includes(source.fileName)) continue;
    const found = (node: ts.Node, what: string) =>
      out.push({ file: relative(APP_ROOT, source.fileName), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, what });
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        if (ts.isPropertyAccessExpression(callee)) {
          const method = callee.name.text;
          const [first] = node.arguments;
          if (isDelivery(callee.expression)) {
            if (CREATES.has(method)) found(node, `creates a delivery (${method})`);
            else if (method === 'save') found(node, 'saves a delivery row');
            else if (VALUE_WRITES.has(method)) {
              const key = first && ts.isStringLiteralLike(first) ? first.text : undefined;
              if (key === 'state' || (key === undefined && mayHoldState(first))) found(node, `${method} may write the state`);
            }
          }
          if (TABLE_WRITES.has(method) && first && ts.isStringLiteralLike(first) && first.text === 'deliveries')
            found(node, `${method} on the deliveries table`);
        }
        for (const arg of node.arguments) {
          if (isDelivery(arg) && checker.getTypeAtLocation(arg).getConstructSignatures().length > 0 && canWrite(checker.getContextualType(arg)))
            found(arg, 'hands the Delivery model to a function that may write with it');
        }
      }
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const target = node.left;
        if (ts.isPropertyAccessExpression(target) && target.name.text === 'state' && isDelivery(target.expression)) found(node, 'assigns a delivery state');
      }
      if ((ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) && RAW_WRITE.test(node.text))
        found(node, 'SQL writing the deliveries table');
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}
