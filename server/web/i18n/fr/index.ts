import type { MessageKey } from '../en.js';
import { AUDIENCES } from './audiences.js';
import { AUDIT } from './audit.js';
import { CONTENT } from './content.js';
import { ACTION_LABELS, CORE } from './core.js';
import { DEFINITIONS } from './definitions.js';
import { DELIVERIES } from './deliveries.js';
import { FORMS } from './forms.js';
import { MAIL_FR } from '../../../events/mail-texts/fr.js';
import { ISSUES_FR } from '../../../delivery/issue-texts/fr.js';
import { HOME } from './home.js';
import { MONITORING } from './monitoring.js';
import { REPORTS } from './reports.js';
import { WORKFLOW_EDITOR } from './workflow-editor.js';
import { prefixed } from '../keys.js';

/** The console's French text, composed as en.ts composes the English one. */
export const FR: Record<MessageKey, string> = {
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
  ...MAIL_FR,
  ...ISSUES_FR,
  ...prefixed('audit.action.', ACTION_LABELS),
};
