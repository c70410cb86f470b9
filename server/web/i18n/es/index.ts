import type { MessageKey } from '../en.js';
import { prefixed } from '../keys.js';
import { AUDIENCES } from './audiences.js';
import { AUDIT } from './audit.js';
import { CONTENT } from './content.js';
import { ACTION_LABELS, CORE } from './core.js';
import { DEFINITIONS } from './definitions.js';
import { DELIVERIES } from './deliveries.js';
import { FORMS } from './forms.js';
import { MAIL_ES } from '../../../events/mail-texts/es.js';
import { ISSUES_ES } from '../../../delivery/issue-texts/es.js';
import { HOME } from './home.js';
import { MONITORING } from './monitoring.js';
import { REPORTS } from './reports.js';
import { WORKFLOW_EDITOR } from './workflow-editor.js';

/** The console's Spanish text, composed as en.ts composes the English one. */
export const ES: Record<MessageKey, string> = {
  ...CORE,
  ...DELIVERIES,
  ...CONTENT,
  ...REPORTS,
  ...MONITORING,
  ...WORKFLOW_EDITOR,
  ...AUDIENCES,
  ...HOME,
  ...DEFINITIONS,
  ...AUDIT,
  ...FORMS,
  ...MAIL_ES,
  ...ISSUES_ES,
  ...prefixed('audit.action.', ACTION_LABELS),
};
