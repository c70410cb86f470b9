import type { ParameterizedContext } from 'koa';
import type { Operator } from '../db/models/index.js';

/** What the console middleware leaves on `ctx.state` for the routes and the page renderer. */
export interface ConsoleState {
  /** The logged-in operator, when the request carries a valid session. */
  operator?: Operator;
  /** The current session (its stored hash). */
  session?: { idHash: string };
  /** The request came with a session cookie that has ended (idle, absolute end or logout). */
  sessionEnded?: boolean;
  /** The CSRF token to put in this response's forms. */
  csrfToken?: string;
  /** For upload routes: checks the token read from the first multipart field. */
  checkCsrf?: (token: string | undefined) => boolean;
}

export type ConsoleContext = ParameterizedContext<ConsoleState>;
