import type { Middleware } from 'koa';
import type { Database } from '../../db/connect.js';
import { findOperatorById } from '../../db/repos/operators.js';
import { deleteSession, findSession, touchSession } from '../../db/repos/sessions.js';
import { hashSessionId, serializeCookie, SESSION_ID, type CookieNames } from '../security/session-token.js';
import { sessionVerdict, shouldTouch } from '../security/session-policy.js';
import type { ConsoleState } from '../state.js';

export interface SessionDeps {
  db: Database;
  clock: () => Date;
  cookies: CookieNames;
  secure: boolean;
  idleMs: number;
}

/**
 * Loads the operator of the session cookie into ctx.state. An ended session (idle, past its
 * absolute end, operator disabled or gone) is deleted and its cookie cleared.
 */
export function sessions(deps: SessionDeps): Middleware<ConsoleState> {
  return async (ctx, next) => {
    const id = ctx.cookies.get(deps.cookies.session);
    if (id !== undefined) {
      const idHash = SESSION_ID.test(id) ? hashSessionId(id) : undefined;
      const row = idHash ? await findSession(deps.db, idHash) : null;
      const now = deps.clock();
      const operator = row && sessionVerdict(row, now, deps.idleMs) === 'active' ? await findOperatorById(deps.db, row.operatorId) : null;
      if (row && operator && !operator.disabled) {
        ctx.state.operator = operator;
        ctx.state.session = { idHash: row.idHash };
        if (shouldTouch(row, now)) await touchSession(deps.db, row.idHash, now);
      } else {
        if (row) await deleteSession(deps.db, row.idHash);
        ctx.append('Set-Cookie', serializeCookie(deps.cookies.session, '', { secure: deps.secure, maxAge: 0 }));
        ctx.state.sessionEnded = true;
      }
    }
    await next();
  };
}
